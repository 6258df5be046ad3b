import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

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

  /** Ids already done (revoked or not shared) according to an existing journal. */
  static done(path: string): Set<string> {
    const done = new Set<string>();
    if (!existsSync(path)) return done;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        const e = JSON.parse(line) as JournalEntry;
        if (e.outcome === 'revoked' || e.outcome === 'not_shared') done.add(e.id);
        else done.delete(e.id);
      } catch {
        // A torn last line from a crash: that id was not confirmed, so it is sent again.
      }
    }
    return done;
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
