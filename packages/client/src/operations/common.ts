// What the operations share: the path of one record, and a status object made fit to return.
import type { StatusObject } from '../generated/index.js';
import { printable, zohoCode } from '../redact.js';

/** A record-sharing path template with the module and the record id filled in. */
export const recordPath = (template: string, module: string, recordId: string) =>
  template.replace('{module_api_name}', encodeURIComponent(module)).replace('{record_id}', encodeURIComponent(recordId));

/** A checked status object: its code of the documented form, its message printable and bounded. */
export const statusObject = (s: StatusObject): StatusObject => ({ code: zohoCode(s.code), details: s.details, message: printable(s.message, 300), status: s.status });
