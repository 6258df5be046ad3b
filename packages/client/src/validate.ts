// Input checks, made before any request. The facts (module names, the name pattern and length, the
// record id pattern) are the spec's, from src/generated/zoho.ts.
import { InvalidInputError } from './errors.js';
import { KNOWN_MODULES, MODULE_API_NAME, NOT_SHAREABLE_MODULES, RECORD_ID, type KnownModule } from './generated/zoho.js';

export { KNOWN_MODULES, NOT_SHAREABLE_MODULES as NON_REVOCABLE_MODULES, type KnownModule };

/**
 * A module's API name: one of the standard modules (which editors complete) or any other, such as a
 * custom module's (`string & {}` keeps the completion without refusing other names).
 */
export type ModuleName = KnownModule | (string & {});

/** Whether `name` is a standard module's API name (exactly, case included). */
export function isKnownModule(name: string): name is KnownModule {
  return (KNOWN_MODULES as readonly string[]).includes(name);
}

/** A known module or a custom module's API name (letters, digits, underscores; starts with a letter). */
export function validateModule(module: unknown, field = 'module'): string {
  if (typeof module !== 'string' || module.length > MODULE_API_NAME.maxLength || !MODULE_API_NAME.pattern.test(module)) {
    throw new InvalidInputError(
      field,
      `a module API name such as "Leads" (letters, digits and _, starting with a letter, at most ${MODULE_API_NAME.maxLength})`,
      module,
    );
  }
  return module;
}

/** A module whose records can be shared, read back and revoked: not Events, Calls or Tasks. */
export function validateRevocableModule(module: unknown, field = 'module'): string {
  const name = validateModule(module, field);
  if ((NOT_SHAREABLE_MODULES as readonly string[]).includes(name)) {
    const last = NOT_SHAREABLE_MODULES.length - 1;
    throw new InvalidInputError(field, `a module with record sharing (not ${NOT_SHAREABLE_MODULES.slice(0, last).join(', ')} or ${NOT_SHAREABLE_MODULES[last]})`, module);
  }
  return name;
}

/**
 * Returns the record id as a string of 1-19 digits. Strings and bigints are accepted; numbers are
 * refused because ids exceed 2^53 and a number has already lost digits by the time it gets here.
 */
export function validateRecordId(recordId: unknown, field = 'recordId'): string {
  const id = typeof recordId === 'bigint' ? recordId.toString() : recordId;
  if (typeof id === 'string' && RECORD_ID.pattern.test(id)) return id;
  const digits = `${RECORD_ID.minLength}-${RECORD_ID.maxLength} digits`;
  throw new InvalidInputError(
    field,
    typeof recordId === 'number'
      ? `a string of ${digits}, not a number: ids exceed 2^53`
      : `a string of ${digits}${typeof recordId === 'string' ? '' : ' (or a bigint of as many)'}`,
    recordId,
  );
}
