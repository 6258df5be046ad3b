// A store is never silently replaced. The data folder holds a marker with the store's id (written at
// the first start, and added to a store from before markers); the store file holds the same id. A
// missing store file, or one holding another id (or none), stops start-up with an error naming the
// file and START_AFRESH, the one switch that accepts what is there (or a new, empty store) on purpose.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

export const MARKER_FILE = 'store-id';
/** The switch (environment variable; `startAfresh` in the options) that starts afresh on purpose. */
export const START_AFRESH = 'START_AFRESH';
const META_TABLE = 'zcrm_store';

/** The store cannot be opened (the folder is not usable, another process has the file, or it is not this folder's store). */
export class StoreError extends Error {
  override name = 'StoreError';
}

const ID = /^[0-9a-f-]{36}$/;

function readMarker(dir: string): string | undefined {
  const path = join(dir, MARKER_FILE);
  if (!existsSync(path)) return undefined;
  const id = readFileSync(path, 'utf8').trim();
  if (!ID.test(id)) throw new StoreError(`${path} is not a store marker (expected the store's id); set ${START_AFRESH}=1 to write a new one for the store found`);
  return id;
}

/** Before the store file is opened (and so created when missing): refuses a missing file the marker says existed. */
export function checkStoreFile(dir: string, file: string, startAfresh: boolean): void {
  const marker = readMarker(dir);
  if (marker !== undefined && !existsSync(file) && !startAfresh) {
    throw new StoreError(
      `${file} is missing, but ${join(dir, MARKER_FILE)} says store ${marker} was here: its accepted jobs would be lost. ` +
        `Put the file back (with its -wal file, if any), or set ${START_AFRESH}=1 to start with an empty store on purpose`,
    );
  }
}

/** With the file open and locked: the file's id must be the marker's; a store from before markers gets both. */
export function confirmStoreIdentity(db: DatabaseSync, dir: string, file: string, startAfresh: boolean): string {
  const marker = readMarker(dir);
  db.exec(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  const row = db.prepare(`SELECT value FROM ${META_TABLE} WHERE key = 'store_id'`).get() as { value: string } | undefined;
  const stored = row?.value;
  if (marker !== undefined && stored !== marker && !startAfresh) {
    throw new StoreError(
      `${file} ${stored ? `is store ${stored}` : 'has no store id'}, but ${join(dir, MARKER_FILE)} says this folder's store is ${marker}: ` +
        `another store's file (or an empty one) is in its place. Put the right file back, or set ${START_AFRESH}=1 to use this one on purpose`,
    );
  }
  const id = stored ?? randomUUID();
  if (!stored) db.prepare(`INSERT INTO ${META_TABLE} (key, value) VALUES ('store_id', ?)`).run(id);
  if (marker !== id) writeMarker(dir, id);
  return id;
}

/** Written whole or not at all (a temporary file, fsync, rename). */
function writeMarker(dir: string, id: string): void {
  const path = join(dir, MARKER_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, `${id}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
