// The restore's own journal, beside the revoke journal it undoes (`J.restore`): a header, then one
// line per record when its restore begins (`started`, written before the first POST) and when it ends.
// Written with the revoke journal's writer (one write() per line, kill -9 loses none written); a torn
// last line is truncated away on the next run.
import { createReadStream } from 'node:fs';
import { CANONICAL_ID, IdSet } from '../bulk/id-set.js';
import { JournalError, truncateTornLine } from '../bulk/journal.js';
import { readLines } from '../bulk/lines.js';

export const RESTORE_FORMAT = 'zcrm-sharing share restore';
export const RESTORE_VERSION = 1;

export interface RestoreHeader {
  module: string;
  api: { origin: string; version: string };
  /** The revoke journal restored from. */
  source: { path: string };
}

/** Outcomes that end a record's restore; `partial` and `failed` are tried again by the next run. */
export const RESTORE_DONE: ReadonlySet<string> = new Set(['restored', 'already_present', 'reshared', 'nothing_to_restore']);
const RESTORE_OUTCOMES: ReadonlySet<string> = new Set([...RESTORE_DONE, 'started', 'partial', 'failed']);

export interface ReadRestoreLedger {
  header: RestoreHeader & { created: string };
  done: IdSet;
  /** Of `done`: records found shared again and left alone (a run with --merge takes them up). */
  reshared: Set<string>;
  /** Records whose restore began (a POST may have been applied): the next run continues them. */
  started: IdSet;
  bytes: number;
  tornLine: boolean;
}

export async function readRestoreLedger(path: string, options: { readOnly?: boolean } = {}): Promise<ReadRestoreLedger> {
  let header: ReadRestoreLedger['header'] | undefined;
  const done = new IdSet();
  const started = new IdSet();
  const reshared = new Set<string>();
  let n = 0;
  let goodEnd = 0;
  let tornLine = false;
  for await (const line of readLines(createReadStream(path, { highWaterMark: 64 * 1024 }), 256 * 1024)) {
    n++;
    if (!line.complete) {
      tornLine = true;
      break;
    }
    let value: Record<string, unknown> | undefined;
    try {
      value = line.tooLong ? undefined : (JSON.parse(line.text) as Record<string, unknown>);
    } catch {}
    if (n === 1) {
      if (value?.journal !== RESTORE_FORMAT || value.version !== RESTORE_VERSION) throw new JournalError(`${path}:1: not a journal of zcrm-sharing share restore (version ${RESTORE_VERSION}); move this file away`);
      const { journal: _j, version: _v, ...rest } = value;
      header = rest as unknown as ReadRestoreLedger['header'];
    } else if (typeof value?.id === 'string' && CANONICAL_ID.test(value.id) && typeof value.outcome === 'string' && RESTORE_OUTCOMES.has(value.outcome)) {
      if (value.outcome === 'reshared') reshared.add(value.id);
      else if (value.outcome !== 'started') reshared.delete(value.id);
      if (value.outcome === 'started') started.add(value.id);
      else if (RESTORE_DONE.has(value.outcome)) done.add(value.id);
      else done.delete(value.id);
    } else if (!(typeof value?.api_domain === 'string')) {
      throw new JournalError(`${path}:${n}: not a restore journal entry; the journal is damaged (fix or remove that line)`);
    }
    goodEnd = line.end;
  }
  if (!header) throw new JournalError(`${path}: empty, not a journal of zcrm-sharing share restore`);
  if (tornLine && !options.readOnly) truncateTornLine(path, goodEnd);
  return { header, done, reshared, started, bytes: goodEnd, tornLine };
}
