// Profiles one bulk revoke (--concurrency auto, --no-backup) against a sandbox at BENCH_LIMIT (default 20),
// 20 ms latency: the CLI runs with --cpu-prof into PROFILE_DIR. Not a benchmark: for finding per-call cost.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_CREDENTIALS, demoSeed, startSandbox } from '@zcrm-sharing/sandbox';

const BIN = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
const limit = Number(process.env.BENCH_LIMIT ?? 20);
const n = Number(process.env.BENCH_IDS ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'zcrm-cli-profile-'));
const seed = demoSeed({ records: n });
const file = join(dir, 'ids.txt');
writeFileSync(file, `${seed.records.filter((r) => r.module === 'Contacts').map((r) => r.id).join('\n')}\n`);
const sandbox = await startSandbox({ seed, concurrencyLimit: limit, latencyMs: 20 });
const profile = process.env.PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROFILE_DIR] : [];
const t = performance.now();
const child = spawn(process.execPath, [...profile, BIN, 'share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--json', '--no-backup', '--base-url', sandbox.apiBaseUrl], {
  env: { ...process.env, ZOHO_ACCESS_TOKEN: DEMO_CREDENTIALS.accessToken },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const [code] = await once(child, 'exit');
const ms = performance.now() - t;
console.error(`exit ${code}: ${(n / ms * 1000).toFixed(0)}/s = ${((n / ms) * 1000 / (limit * 50)).toFixed(3)} of the ceiling; 429s ${sandbox.stats().rateLimited}; max in flight ${sandbox.stats().maxInFlightPerOrg}`);
await sandbox.close();
