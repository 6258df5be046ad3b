import { REDACTED } from '@zcrm-sharing/client';

/** Receives one finished log line (JSON, no trailing newline). Default: stdout. Tests inject their own. */
export type LogWriter = (line: string) => void;

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export { REDACTED };

// Keys whose values are never logged, whatever they hold (the Authorization header, the webhook
// secret, tokens, cookies...). Values of other keys are still scanned for the known secrets.
const SENSITIVE_KEY = /authorization|secret|token|password|cookie|api[-_]?key/i;

export const stdoutWriter: LogWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = SENSITIVE_KEY.test(key) ? REDACTED : scrub(v, depth + 1);
  return out;
}

/**
 * Structured JSON lines: `{"time","level","msg",...fields}`, secrets removed by key, then by value
 * with `redact` (the client's redaction: every known secret, raw, URL-encoded or JSON-escaped).
 */
export function createLogger(write: LogWriter, redact: (text: string) => string): Logger {
  const emit = (level: LogLevel, msg: string, fields: Record<string, unknown> = {}) => {
    const entry = { time: new Date().toISOString(), level, msg, ...(scrub(fields) as Record<string, unknown>) };
    let line: string;
    try {
      line = JSON.stringify(entry, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    } catch {
      line = JSON.stringify({ time: entry.time, level, msg });
    }
    write(redact(line));
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}
