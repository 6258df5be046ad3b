import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { credentialsFromEnv, type Credentials } from '@zcrm-sharing/client';
import { writeFileAtomic } from './files.js';

export type { Credentials };

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
  writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * Environment variables first, then the config file, each by the client's one rule
 * (`credentialsFromEnv`: an access token or the refresh-token trio, never both, never part of the
 * trio). Undefined when there are none.
 */
export function resolveCredentials(env = process.env, path = configPath()): Credentials | undefined {
  const fromEnv = credentialsFromEnv(env);
  if (fromEnv) return fromEnv;
  const file = readConfig(path) as Record<string, string | undefined>;
  try {
    return credentialsFromEnv(file, { accessToken: 'accessToken', clientId: 'clientId', clientSecret: 'clientSecret', refreshToken: 'refreshToken' });
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}
