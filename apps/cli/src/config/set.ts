// `config set`: the client id, secret and refresh token from stdin into the config file (mode 0600).
import { createInterface } from 'node:readline/promises';
import { usageError } from '../cli-error.js';
import type { RunContext } from '../commands/command.js';
import { configPath, readConfig, writeConfig } from '../credentials.js';
import { EXIT } from '../exit-codes.js';

export async function configSet({ values, out }: RunContext): Promise<number> {
  const path = configPath();
  let existing: ReturnType<typeof readConfig> = {};
  try {
    existing = readConfig(path);
  } catch {
    // An unreadable or invalid file is what config set replaces.
  }
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string) => {
    if (process.stdin.isTTY) process.stderr.write(prompt);
    const n = await lines.next();
    return n.done ? '' : String(n.value).trim();
  };
  const clientId = (values['client-id'] as string | undefined) ?? (await ask('Zoho client id: '));
  const clientSecret = await ask('Zoho client secret: ');
  const refreshToken = await ask('Zoho refresh token: ');
  rl.close();
  if (!clientId || !clientSecret || !refreshToken) throw usageError('config set: expected the client id, client secret and refresh token (one per line on stdin)');
  const dc = (values.dc as string | undefined) ?? existing.dc;
  writeConfig({ ...existing, clientId, clientSecret, refreshToken, ...(dc ? { dc } : {}) }, path);
  out.info(`saved to ${path} (mode 0600)`);
  return EXIT.OK;
}
