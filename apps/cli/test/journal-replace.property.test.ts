// Which journal a new run may replace, for any journal already at its path (generated): its lines in
// any order and mix (outcomes revoked, not_shared, failed for any ids, repeated; backups; api_domain
// lines; a torn last line), its job the same or another. The rule, as the README states it: a journal
// that records nothing done (no id revoked or found not shared, ever) and holds no backup is replaced
// by the corrected run (saying so); any other is never replaced nor changed by a run that does not
// continue it: the run is refused (exit USAGE) and the file is byte for byte what it was. Run in
// process (bulkRevoke) with a client that revokes whatever it is sent.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RevokeResult, ZohoCrmClient } from '@zcrm-sharing/client';
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { CliError } from '../src/cli-error.ts';
import { bulkRevoke } from '../src/bulk/job.ts';
import { JOURNAL_FORMAT, JOURNAL_VERSION } from '../src/bulk/journal.ts';
import { DEFAULT_MAX_CONCURRENCY } from '../src/bulk/limiter.ts';
import type { BulkOptions } from '../src/bulk/types.ts';
import { createOutput } from '../src/output.ts';

const ID = (i: number) => String(4150868000001148212n + BigInt(i));
const API = { origin: 'https://www.zohoapis.com', version: 'v8' };
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

type Line = { kind: 'outcome'; id: number; outcome: 'revoked' | 'not_shared' | 'failed' } | { kind: 'backup'; id: number } | { kind: 'api_domain' };
const line: fc.Arbitrary<Line> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('outcome' as const), id: fc.integer({ min: 0, max: 5 }), outcome: fc.constantFrom('revoked' as const, 'not_shared' as const, 'failed' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('backup' as const), id: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('api_domain' as const) }) },
);
const written = (l: Line) =>
  l.kind === 'outcome'
    ? { id: ID(l.id), outcome: l.outcome }
    : l.kind === 'backup'
      ? { id: ID(l.id), backup: { read_at: '2026-12-01T10:00:00.000Z', shares: [{ type: 'users', id: '4150868000000225013', permission: 'read_only', share_related_records: false }] } }
      : { api_domain: 'https://www.zohoapis.com' };

const client = {
  revokeSharedRecord: async ({ recordId }: { recordId: string }): Promise<RevokeResult> => ({ code: 'SUCCESS', details: { id: recordId }, message: 'Sharing Revoked', status: 'success' }),
} as unknown as ZohoCrmClient;
const quiet = { write: () => true };

test.prop([fc.array(line, { maxLength: 8 }), fc.boolean(), fc.constantFrom('fresh', 'resume another job'), fc.constantFrom('Contacts', 'Leads')], { numRuns: 1_000, ...(seed !== undefined && { seed }) })(
  'a journal recording anything done or backed up is never replaced; one recording nothing is, saying so',
  async (lines, torn, how, priorModule) => {
    const dir = mkdtempSync(join(tmpdir(), 'zcrm-replace-'));
    const idsPath = join(dir, 'ids.txt');
    writeFileSync(idsPath, `${ID(0)}\n${ID(1)}\n`);
    const journalPath = join(dir, 'job.journal');
    const header = { journal: JOURNAL_FORMAT, version: JOURNAL_VERSION, module: priorModule, api: API, backup: false, input: { path: '/elsewhere/ids.txt', size: 1, sha256: 'a'.repeat(64) }, created: '2026-12-01T09:00:00.000Z' };
    const before = [header, ...lines.map(written)].map((v) => `${JSON.stringify(v)}\n`).join('') + (torn ? '{"id":"4150' : '');
    writeFileSync(journalPath, before);
    const infos: string[] = [];
    const out = createOutput({ json: false, stream: { write: (t: string) => (infos.push(t), true) } as unknown as NodeJS.WriteStream, stdout: quiet });
    const o: BulkOptions = {
      module: 'Contacts', idsPath, journalPath, resume: how !== 'fresh', dryRun: false, concurrency: { mode: 'auto', max: DEFAULT_MAX_CONCURRENCY }, api: API,
    };
    // Resuming is continuing, not replacing: only another job's journal is in question there.
    if (how !== 'fresh' && priorModule === 'Contacts') return;
    const never = new AbortController().signal;
    const result = await bulkRevoke(o, { client, out, stop: never, cancel: never }).then(
      (s) => ({ ok: true as const, s }),
      (e: unknown) => ({ ok: false as const, e }),
    );

    // The rule, from the lines as written (not from the journal reader).
    const recordsSomething = lines.some((l) => l.kind === 'backup' || (l.kind === 'outcome' && l.outcome !== 'failed'));
    if (recordsSomething) {
      expect(result.ok).toBe(false);
      expect(result.ok || result.e).toBeInstanceOf(CliError);
      expect((result as { e: CliError }).e.exit).toBe('USAGE');
      expect(readFileSync(journalPath, 'utf8')).toBe(before);
    } else {
      expect(result.ok, result.ok ? '' : String((result as { e: unknown }).e)).toBe(true);
      expect(infos.join('')).toContain(`replacing the journal ${journalPath}: it records no revoke`);
      const now = readFileSync(journalPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(now[0]).toMatchObject({ module: 'Contacts', input: { path: idsPath } });
      expect(now.slice(1).filter((e) => e.outcome === 'revoked').map((e) => e.id).sort()).toEqual([ID(0), ID(1)]);
    }
  },
);
