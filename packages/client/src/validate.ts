import { InvalidInputError } from './errors.js';

/** Modules Zoho documents for these endpoints. Custom modules have user-defined API names. */
export const KNOWN_MODULES = [
  'Leads', 'Accounts', 'Contacts', 'Deals', 'Campaigns', 'Cases', 'Solutions', 'Products', 'Vendors',
  'Price_Books', 'Quotes', 'Sales_Orders', 'Purchase_Orders', 'Invoices',
] as const;
export type KnownModule = (typeof KNOWN_MODULES)[number];

/** Revoke Shared Records refuses these (Zoho answers OAUTH_SCOPE_MISMATCH). */
export const NON_REVOCABLE_MODULES = ['Events', 'Calls', 'Tasks'] as const;

/** The spec's ModuleApiName (pattern and maxLength 100) and RecordId. */
export const MODULE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
export const RECORD_ID = /^[0-9]{1,19}$/;

export function isKnownModule(name: string): name is KnownModule {
  return (KNOWN_MODULES as readonly string[]).includes(name);
}

/** A known module or a custom module's API name (letters, digits, underscores; starts with a letter). */
export function validateModule(module: unknown, field = 'module'): string {
  if (typeof module !== 'string' || !MODULE_NAME.test(module)) {
    throw new InvalidInputError(
      field,
      `a module API name such as "Leads" or a custom module's API name (letters, digits and underscores, starting with a letter)`,
      module,
    );
  }
  return module;
}

export function validateRevocableModule(module: unknown, field = 'module'): string {
  const name = validateModule(module, field);
  if ((NON_REVOCABLE_MODULES as readonly string[]).includes(name)) {
    throw new InvalidInputError(field, `a module whose record sharing can be revoked (not Events, Calls or Tasks)`, module);
  }
  return name;
}

/**
 * Returns the record id as a string of 1-19 digits. Strings and bigints are accepted; numbers are
 * refused because ids exceed 2^53 and a number has already lost digits by the time it gets here.
 */
export function validateRecordId(recordId: unknown, field = 'recordId'): string {
  if (typeof recordId === 'bigint') {
    const s = recordId.toString();
    if (RECORD_ID.test(s)) return s;
  } else if (typeof recordId === 'string') {
    if (RECORD_ID.test(recordId)) return recordId;
  } else if (typeof recordId === 'number') {
    throw new InvalidInputError(
      field,
      'a string of 1-19 digits, not a number: ids exceed 2^53, so a number has already lost precision (4150868000001148212 becomes 4150868000001148400)',
      recordId,
    );
  }
  // Name only what the caller can act on: a string id gets the string rule, a bigint the bigint rule.
  const expected =
    typeof recordId === 'string'
      ? 'a string of 1-19 digits'
      : typeof recordId === 'bigint'
        ? 'a bigint from 0 to 9999999999999999999 (1-19 digits)'
        : 'a string of 1-19 digits (or a bigint)';
  throw new InvalidInputError(field, expected, recordId);
}
