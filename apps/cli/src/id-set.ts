// A set of record ids in their compact 64-bit form: 8 bytes a slot, half full at most, so a million
// ids take 16 MiB where a Set of strings takes over 80. Used for the duplicates of an input and for
// the ids a journal lists as done.

/** A Zoho record id as the CLI accepts it: 1-19 digits, no leading zero (Zoho's ids have none). */
export const CANONICAL_ID = /^[1-9][0-9]{0,18}$/;

/** The 64-bit key of a canonical id (never 0, so 0 marks an empty slot). Exact: 19 digits < 2^64. */
export const idKey = (id: string): bigint => BigInt(id);

/** Open addressing with linear probing; deletion shifts the run back, so there are no tombstones. */
export class IdSet {
  private slots = new BigUint64Array(1 << 10);
  private mask = this.slots.length - 1;
  size = 0;

  private home(key: bigint): number {
    // The low and high halves mixed (Zoho's ids share their high digits and count up in the low ones).
    const lo = Number(key & 0xffffffffn);
    const hi = Number(key >> 32n);
    return (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
  }

  private find(key: bigint): number {
    let i = this.home(key);
    for (;;) {
      const k = this.slots[i]!;
      if (k === key || k === 0n) return i;
      i = (i + 1) & this.mask;
    }
  }

  has(id: string): boolean {
    return this.slots[this.find(idKey(id))] !== 0n;
  }

  /** Adds `id`; false when it was already there. */
  add(id: string): boolean {
    const key = idKey(id);
    const i = this.find(key);
    if (this.slots[i] !== 0n) return false;
    this.slots[i] = key;
    if (++this.size * 2 > this.slots.length) this.grow();
    return true;
  }

  delete(id: string): boolean {
    let i = this.find(idKey(id));
    if (this.slots[i] === 0n) return false;
    this.size--;
    // Backward shift: move later members of the probe run into the hole when their home allows it.
    for (let j = (i + 1) & this.mask; ; j = (j + 1) & this.mask) {
      const k = this.slots[j]!;
      if (k === 0n) break;
      const h = this.home(k);
      // k may move to i when i lies cyclically in [h, j).
      if (((j - h) & this.mask) >= ((j - i) & this.mask)) {
        this.slots[i] = k;
        i = j;
      }
    }
    this.slots[i] = 0n;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new BigUint64Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (const k of old) if (k !== 0n) this.slots[this.find(k)] = k;
  }
}
