import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export type Credentials =
  | { accessToken: string }
  | { clientId: string; clientSecret: string; refreshToken: string };

export interface StoredConfig {
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  accessToken?: string;
  dc?: string;
  environment?: string;
}

const FIELDS = ['clientId', 'clientSecret', 'refreshToken', 'accessToken', 'dc', 'environment'];

export function configPath(env = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'zcrm-sharing', 'config.json');
}

/** Reads the config file, refusing one that others can read (it holds secrets). */
export function readConfig(path = configPath()): StoredConfig {
  if (!existsSync(path)) return {};
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new Error(`${path} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}`);
  }
  const text = readFileSync(path, 'utf8');
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    // Never the parser's message: it quotes the text around the error, which may be a secret.
    throw new Error(`${path} is not valid JSON (a value not in double quotes?); fix it, or write it again with: zcrm-sharing config set`);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new Error(`${path}: expected a JSON object; write it again with: zcrm-sharing config set`);
  for (const [key, value] of Object.entries(config)) {
    // Only a known field is named: anything else in the file may be a secret typed in the wrong place.
    const name = FIELDS.includes(key) ? `"${key}"` : 'a field';
    if (typeof value !== 'string') throw new Error(`${path}: ${name} must be a JSON string; write the file again with: zcrm-sharing config set`);
  }
  return config as StoredConfig;
}

/** Writes the config file with mode 0600 (the directory 0700). */
export function writeConfig(config: StoredConfig, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Environment variables first, then the config file. Undefined when there are none. */
export function resolveCredentials(env = process.env, path = configPath()): Credentials | undefined {
  if (env.ZOHO_ACCESS_TOKEN) return { accessToken: env.ZOHO_ACCESS_TOKEN };
  if (env.ZOHO_CLIENT_ID || env.ZOHO_CLIENT_SECRET || env.ZOHO_REFRESH_TOKEN) {
    const missing = ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN'].filter((k) => !env[k]);
    if (missing.length) throw new Error(`set ${missing.join(' and ')} too (the refresh-token grant needs all three), or set ZOHO_ACCESS_TOKEN`);
    return { clientId: env.ZOHO_CLIENT_ID!, clientSecret: env.ZOHO_CLIENT_SECRET!, refreshToken: env.ZOHO_REFRESH_TOKEN! };
  }
  const file = readConfig(path);
  if (file.accessToken) return { accessToken: file.accessToken };
  if (file.clientId && file.clientSecret && file.refreshToken) {
    return { clientId: file.clientId, clientSecret: file.clientSecret, refreshToken: file.refreshToken };
  }
  return undefined;
}
