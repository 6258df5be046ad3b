// What the operations share: the path of one record, a status object made fit to return, and a
// compile-time check that the generated constants and the generated types agree on each path.
import type { StatusObject } from '../generated/index.js';
import { printable } from '../redact.js';

// encodeURIComponent leaves these as they are: a checked module name or record id skips the call
// (this runs on every request, the test costs less).
const encode = (s: string) => (/^[\w.!~*'()-]*$/.test(s) ? s : encodeURIComponent(s));

/** A record-sharing path template with the module and the record id filled in, each encoded. */
export const recordPath = (template: string, module: string, recordId: string) =>
  template.replace('{module_api_name}', encode(module)).replace('{record_id}', encode(recordId));

/** A success's status object (its code and status already checked constants), its message printable and bounded. */
export const statusObject = (s: StatusObject): StatusObject => ({ ...s, message: printable(s.message, 300) });

/** Compile-time only: `P`, a path from src/generated/zoho.ts, is hey-api's `url` for the same operation. */
export type SamePath<T extends { url: string }, P extends T['url']> = [T['url']] extends [P] ? P : never;
