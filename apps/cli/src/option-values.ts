// Option values as the commands read them: parsed, range-checked against the option's declaration
// (its default, its bounds), or a usage error naming the flag.
import { validateModule, validateRevocableModule } from '@zcrm-sharing/client';
import { CANONICAL_ID } from './bulk/id-set.js';
import { usageError } from './cli-error.js';
import type { OptionSpec, Values } from './commands/command.js';

export type { Values };

/** A whole-number option, within its declared bounds; its declared default when absent. */
export function int(values: Values, name: string, options: Readonly<Record<string, OptionSpec>>): number {
  const spec = options[name];
  if (!spec || spec.min === undefined || spec.max === undefined) throw new Error(`int(): --${name} is not a declared whole-number option`);
  const raw = values[name];
  if (raw === undefined) {
    if (spec.default === undefined) throw new Error(`int(): --${name} has no default`);
    return spec.default;
  }
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || n < spec.min || n > spec.max) throw usageError(`--${name}: expected a whole number from ${spec.min} to ${spec.max}, got ${JSON.stringify(raw)}`);
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

/** Events, Calls and Tasks: refused before anything is read or sent. */
export function revocableModule(module: string): void {
  try {
    validateRevocableModule(module, '--module');
  } catch (e) {
    throw usageError((e as Error).message);
  }
}

export function recordIdOption(id: string): void {
  if (!CANONICAL_ID.test(id)) throw usageError(`--id: expected a record id of 1-19 digits without a leading zero; got ${JSON.stringify(id)}`);
}
