// Option values as the commands read them: parsed, range-checked, or a usage error naming the flag.
import { validateModule } from '@zcrm-sharing/client';
import { usageError } from './cli-error.js';

export type Values = Record<string, string | boolean | undefined>;

export function intOption(values: Values, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < min || n > max) throw usageError(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

export function requireModule(values: Values): string {
  if (typeof values.module !== 'string') throw usageError('--module is required (a module API name such as Leads or Contacts)');
  try {
    return validateModule(values.module, '--module');
  } catch (e) {
    throw usageError((e as Error).message);
  }
}
