// "Did you mean": a known name that starts with what was typed, else the closest by edit distance
// (any case); nothing when none is close.

/** Edits from a to b: insertions, deletions, substitutions, and two neighbours swapped (--wiat). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

export function closest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const l = k.toLowerCase();
    // What was typed is the start of a name (--ids for --ids-file): closer than any one-letter slip.
    const d = l === t ? 0 : l.startsWith(t) && t.length >= 2 ? 0.5 : distance(t, l);
    if (d < bestScore) (best = k), (bestScore = d);
  }
  return bestScore <= Math.max(1, Math.min(3, Math.floor(t.length / 3))) ? best : undefined;
}
