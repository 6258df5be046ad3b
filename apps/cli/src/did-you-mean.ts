// "Did you mean": the closest of the known names to what was typed (edit distance, any case), or
// one that starts with it; nothing when none is close.

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export function closest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const l = k.toLowerCase();
    const d = l === t ? 0 : l.startsWith(t) && t.length >= 2 ? 1 : distance(t, l);
    if (d < bestScore) (best = k), (bestScore = d);
  }
  return bestScore <= Math.max(1, Math.min(3, Math.floor(t.length / 3))) ? best : undefined;
}
