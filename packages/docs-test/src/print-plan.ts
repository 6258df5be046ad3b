// Prints every README block and what runs it (after the docs test, so `./dev test` ends with the list).
import { describe, plan } from './plan.ts';

const planned = plan();
const width = Math.max(...planned.map((b) => `${b.readme}:${b.line}`.length));
console.log(`\nREADME code blocks (${planned.length}) and what runs each:`);
for (const b of planned) console.log(`  ${`${b.readme}:${b.line}`.padEnd(width)}  ${(b.lang || '-').padEnd(4)}  ${describe(b.runner)}`);
const counts = new Map<string, number>();
for (const b of planned) counts.set(b.runner.kind, (counts.get(b.runner.kind) ?? 0) + 1);
console.log(`  totals: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`);
