// A set of record ids in their compact 64-bit form: 8 bytes a slot (two 32-bit halves), half full at
// most, so a million ids take 16 MiB where a Set of strings takes over 80. Used for the duplicates of
// an input and for the ids a journal lists as done. The halves are computed from the digits without
// BigInt or Number(id) (every step stays exact), so adding an id allocates nothing.

/** A Zoho record id as the CLI accepts it: 1-19 digits, no leading zero (Zoho's ids have none). */
export const CANONICAL_ID = /^[1-9][0-9]{0,18}$/;

const TWO_32 = 4294967296;
const halves = new Uint32Array(2);

/** The 64-bit value of a canonical id as [low, high] 32-bit halves (a shared array: copy it to keep it). */
export function idHalves(id: string): Uint32Array {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < id.length; i++) {
    const t = lo * 10 + (id.charCodeAt(i) - 48); // < 2^36: exact
    const carry = Math.floor(t / TWO_32);
    lo = t - carry * TWO_32;
    hi = hi * 10 + carry; // the value is < 10^19 < 2^64, so hi stays < 2^32
  }
  halves[0] = lo;
  halves[1] = hi;
  return halves;
}

/** Open addressing with linear probing; deletion shifts the run back, so there are no tombstones. (0, 0) marks an empty slot: 0 is not an id. */
export class IdSet {
  private slots = new Uint32Array(2 << 10);
  private mask = (this.slots.length >> 1) - 1;
  size = 0;

  private home(lo: number, hi: number): number {
    // Zoho's ids share their high digits and count up in the low ones: mix both halves.
    return (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
  }

  /** The slot holding (lo, hi), or the empty slot where it would go. */
  private find(lo: number, hi: number): number {
    const s = this.slots;
    for (let i = this.home(lo, hi); ; i = (i + 1) & this.mask) {
      const a = s[2 * i]!;
      const b = s[2 * i + 1]!;
      if ((a === lo && b === hi) || (a === 0 && b === 0)) return i;
    }
  }

  private empty(i: number): boolean {
    return this.slots[2 * i] === 0 && this.slots[2 * i + 1] === 0;
  }

  has(id: string): boolean {
    const [lo, hi] = idHalves(id);
    return !this.empty(this.find(lo!, hi!));
  }

  /** Adds `id`; false when it was already there. */
  add(id: string): boolean {
    const [lo, hi] = idHalves(id);
    const i = this.find(lo!, hi!);
    if (!this.empty(i)) return false;
    this.slots[2 * i] = lo!;
    this.slots[2 * i + 1] = hi!;
    if (++this.size * 2 > this.mask + 1) this.grow();
    return true;
  }

  delete(id: string): boolean {
    const [lo, hi] = idHalves(id);
    let i = this.find(lo!, hi!);
    if (this.empty(i)) return false;
    this.size--;
    const s = this.slots;
    // Backward shift: move later members of the probe run into the hole when their home allows it.
    for (let j = (i + 1) & this.mask; !this.empty(j); j = (j + 1) & this.mask) {
      const h = this.home(s[2 * j]!, s[2 * j + 1]!);
      // The member at j may move to i when i lies cyclically in [h, j).
      if (((j - h) & this.mask) >= ((j - i) & this.mask)) {
        s[2 * i] = s[2 * j]!;
        s[2 * i + 1] = s[2 * j + 1]!;
        i = j;
      }
    }
    s[2 * i] = 0;
    s[2 * i + 1] = 0;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = (this.slots.length >> 1) - 1;
    for (let k = 0; k < old.length; k += 2) {
      if (old[k] === 0 && old[k + 1] === 0) continue;
      const i = this.find(old[k]!, old[k + 1]!);
      this.slots[2 * i] = old[k]!;
      this.slots[2 * i + 1] = old[k + 1]!;
    }
  }
}
