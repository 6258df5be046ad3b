// The input pass in process, collecting what it reports: the ids passed on and each message as the
// CLI prints it (`LABEL:LINE: ...`).
import { scanInput } from '../src/bulk/input.ts';

export const ID = (i: number) => String(4150868000001148212n + BigInt(i));

export async function scan(text: string | Buffer | Buffer[] | AsyncIterable<Buffer>, options: { label?: string; idColumn?: string; module?: string } = {}) {
  const { label = 'ids.csv', ...rest } = options;
  const messages: string[] = [];
  const ids: string[] = [];
  const input = typeof text === 'string' ? [Buffer.from(text)] : Buffer.isBuffer(text) ? [text] : text;
  const result = await scanInput(
    (async function* () {
      yield* input;
    })(),
    {
      label,
      ...rest,
      onId: (id) => ids.push(id),
      onInvalid: (line, message) => messages.push(`${label}:${line}: ${message}`),
      onDuplicate: (line, id) => messages.push(`${label}:${line}: duplicate ${id}`),
    },
  );
  return { ...result, ids, messages };
}
