import { closeSync, createReadStream, existsSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { RECORD_ID } from './ids.js';

/** Digits with no leading zero: the form whose 64-bit integer maps back to the same string. */
const CANONICAL = /^(?:0|[1-9][0-9]{0,18})$/;

/** What happened to one id. `failed` ids are tried again on --resume; the others are done. */
export type Outcome = 'revoked' | 'not_shared' | 'failed';
export interface JournalEntry {
  id: string;
  outcome: Outcome;
  code?: string;
}

/**
 * An append-only journal, one JSON object per line, written before the id counts as done. A crash
 * can tear only the last line, which reading ignores; every id not journalled as done is sent again.
 * Holds ids and outcome codes only: never tokens or secrets.
 */
export class Journal {
  private fd: number;
  private unsynced = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o600);
  }

  /**
   * Ids already done (revoked or not shared) according to an existing journal: the last entry for an
   * id decides. Streamed line by line, and kept as a sorted array of 64-bit integers (8 bytes an id,
   * exact: 19 digits fit in an unsigned 64-bit integer; never a Number), so resuming a job of millions
   * of ids needs megabytes, not a Set of strings. Ids written with leading zeros are kept as strings.
   */
  static async done(path: string): Promise<DoneIds> {
    const done = new DoneIdsBuilder();
    if (!existsSync(path)) return done.build();
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line) continue;
      let e: JournalEntry;
      try {
        e = JSON.parse(line) as JournalEntry;
      } catch {
        // A torn last line from a crash: that id was not confirmed, so it is sent again.
        continue;
      }
      if (typeof e?.id !== 'string' || !RECORD_ID.test(e.id)) continue;
      done.add(e.id, e.outcome === 'revoked' || e.outcome === 'not_shared');
    }
    return done.build();
  }

  /** Written to the kernel at once (so kill -9 loses nothing); fsynced every 256 entries and on close. */
  append(entry: JournalEntry): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    if (++this.unsynced >= 256) this.flush();
  }

  flush(): void {
    if (!this.unsynced) return;
    fsyncSync(this.fd);
    this.unsynced = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** The set of ids a journal lists as done. */
export interface DoneIds {
  readonly size: number;
  has(id: string): boolean;
}

class DoneIdsBuilder {
  private keys = new BigUint64Array(1 << 16);
  private lines = new Uint32Array(1 << 16);
  private count = 0;
  private line = 0;
  /** Last line on which a canonical id was journalled as not done. */
  private readonly lastNotDone = new Map<bigint, number>();
  /** Ids with leading zeros: last outcome wins, kept as strings (rare). */
  private readonly other = new Map<string, boolean>();

  add(id: string, isDone: boolean): void {
    this.line++;
    if (!CANONICAL.test(id)) {
      this.other.set(id, isDone);
      return;
    }
    const key = BigInt(id);
    if (!isDone) {
      this.lastNotDone.set(key, this.line);
      return;
    }
    if (this.count === this.keys.length) {
      const keys = new BigUint64Array(this.count * 2);
      keys.set(this.keys);
      this.keys = keys;
      const lines = new Uint32Array(this.count * 2);
      lines.set(this.lines);
      this.lines = lines;
    }
    this.keys[this.count] = key;
    this.lines[this.count++] = this.line;
  }

  build(): DoneIds {
    // An id is done when one of its "done" lines comes after its last "not done" line.
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const key = this.keys[i]!;
      const notDone = this.lastNotDone.get(key);
      if (notDone === undefined || notDone < this.lines[i]!) this.keys[kept++] = key;
    }
    const sorted = this.keys.slice(0, kept).sort();
    // Drop repeats so `size` counts ids, not lines.
    let unique = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[unique++] = sorted[i]!;
    const keys = sorted.subarray(0, unique);
    const other = new Set([...this.other].filter(([, isDone]) => isDone).map(([id]) => id));
    return {
      size: keys.length + other.size,
      has(id: string): boolean {
        if (!CANONICAL.test(id)) return other.has(id);
        const key = BigInt(id);
        let lo = 0;
        let hi = keys.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          const k = keys[mid]!;
          if (k === key) return true;
          if (k < key) lo = mid + 1;
          else hi = mid - 1;
        }
        return false;
      },
    };
  }
}
