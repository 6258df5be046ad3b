// The README's main job: the CLI against the embedded sandbox, as a user would run it.
//   1. rerun the data sharing rules of Leads and wait for the computation to finish;
//   2. revoke the sharing of 3,000 seeded Contacts (a tenth already unshared) from an ids file, and
//      read a sample back (--verify).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSeed } from '@zcrm-sharing/sandbox';
import { demoSteps } from './demo-steps.js';

const bin = fileURLToPath(new URL('../bin/zcrm-sharing.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'zcrm-sharing-demo-'));
const idsFile = join(dir, 'contacts-to-unshare.txt');
const ids = demoSeed({ records: 3000 }).records!.filter((r) => r.module === 'Contacts').map((r) => r.id);
writeFileSync(idsFile, `# Contacts whose sharing must be revoked\n${ids.join('\n')}\n`);

const steps = demoSteps(idsFile, ids.length);

let status = 0;
for (const [title, args] of steps) {
  process.stderr.write(`\n$ zcrm-sharing ${args.join(' ')}\n# ${title}\n`);
  const r = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' });
  if (r.status !== 0) {
    status = r.status ?? 1;
    break;
  }
}
rmSync(dir, { recursive: true, force: true });
process.exitCode = status;
