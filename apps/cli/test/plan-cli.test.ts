// share revoke --plan: read-only; its counts against what the seed holds.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { against, idsFile, range, run, summaryOf } from './helpers.ts';
import { mixedSandbox, seedShares } from './mixed-shares.ts';

describe('share revoke --plan', () => {
  it('reads every record, changes nothing, and reports shared records, recipients (top named), and the real run\'s calls and credits', async () => {
    const n = 90;
    const s = await mixedSandbox(n);
    const { args, env } = against(s);
    const file = idsFile(range(n));
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', file, '--plan', '--json', ...args], env);
    expect(r.code, r.stderr).toBe(EXIT.OK);
    const plan = summaryOf(r);
    const seed = range(n).map((_, i) => seedShares(i));
    const shared = seed.filter((x) => x.length).length;
    const byRecipient = new Map<string, number>();
    for (const shares of seed) for (const x of shares) byRecipient.set(`${x.type}:${x.id}`, (byRecipient.get(`${x.type}:${x.id}`) ?? 0) + 1);
    expect(plan).toMatchObject({
      type: 'plan',
      records: n,
      shared,
      notShared: n - shared,
      shares: seed.flat().length,
      public: seed.flat().filter((x) => x.visibility === 'public').length,
      recipients: byRecipient.size,
      realRun: { creditsWithBackup: n + shared, creditsWithoutBackup: n },
      credits: n,
    });
    const most = Math.max(...byRecipient.values());
    expect(plan.top[0].records).toBe(most);
    expect(plan.top).toHaveLength(10);
    for (const t of plan.top) expect(t.records).toBe(byRecipient.get(`${t.type}:${t.id}`));
    expect(r.stderr).toMatch(/the real run: up to \d+ API calls and credits with the backup/);
    // Read-only: nothing revoked, no journal.
    expect(s.stats().revoke.calls).toBe(0);
    for (const [i, id] of range(n).entries()) expect(s.record('Contacts', id)!.shares).toBe(seed[i]!.length);
    expect(existsSync(`${file}.journal`)).toBe(false);
  });

  it('refuses what would make it more than a read: --resume, --dry-run, --verify, --no-backup, --journal', async () => {
    const r = await run(['share', 'revoke', '--module', 'Contacts', '--ids-file', idsFile(range(3)), '--plan', '--resume', '--sandbox']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('--plan reads and reports, it revokes nothing: not with --resume');
  });
});
