// Which column of a CSV header holds the record ids. In this order, compared without case:
// --id-column; then the names Zoho's exports and admins use (Zoho's current export says "Record Id");
// then the module's name in capitals plus ID, as Zoho's older exports named it (CONTACTID for
// Contacts, SALESORDERID for Sales_Orders, and POTENTIALID for Deals, which were once Potentials).

/** Header names taken as the id column, in order of preference. */
export const ID_COLUMNS = ['record id', 'id', 'record_id', 'recordid'];

/** The older exports' names for `module`'s id column: the module in capitals, singular, plus ID. */
export function legacyIdColumns(module: string): string[] {
  const upper = module.toUpperCase().replace(/_/g, '');
  const names = [`${upper.replace(/S$/, '')}ID`, `${upper}ID`];
  if (upper === 'DEALS') names.push('POTENTIALID');
  return [...new Set(names)];
}

/** The index of the id column in `headers`, or -1. */
export function findIdColumn(headers: string[], module: string | undefined, idColumn: string | undefined): number {
  const names = headers.map((h) => h.trim().toLowerCase());
  const wanted = idColumn !== undefined ? [idColumn.trim().toLowerCase()] : [...ID_COLUMNS, ...(module ? legacyIdColumns(module).map((n) => n.toLowerCase()) : [])];
  for (const w of wanted) {
    const at = names.indexOf(w);
    if (at >= 0) return at;
  }
  return -1;
}

/** What a header without the id column is told it needed. */
export function expectedIdColumns(module: string | undefined): string {
  const legacy = module ? legacyIdColumns(module) : [];
  return `${[...ID_COLUMNS, ...legacy].map((c) => `"${c}"`).join(', ')} (any case), or --id-column NAME`;
}

/** The delimiter a header line uses: the most frequent of comma, semicolon and tab outside quotes (comma on a tie or none). */
export function detectDelimiter(header: string): string {
  const counts = new Map([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** A header line's cells (a header holds no line breaks): unquoted, `""` inside quotes a quote. */
export function splitHeader(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') (cur += '"'), i++;
      else quoted = !quoted;
    } else if (ch === delimiter && !quoted) (out.push(cur.trim()), (cur = ''));
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Zoho's export writes ids as `zcrm_4150868000001148212` (so spreadsheets keep them as text). */
export const stripZcrm = (value: string) => (value.length > 5 && value.slice(0, 5).toLowerCase() === 'zcrm_' ? value.slice(5) : value);
