// The undo chaos test: a backed-up revoke of 5,000 records with mixed shares (users, roles, groups;
// every permission; related records on and off; public and private) killed with SIGKILL at random
// points and resumed until done; then someone re-shares a few records; then the restore, killed at
// random points and resumed until done. Injected 500s and 429s throughout. Checked against the
// sandbox and against every share call it answered (counted by a proxy in front of it): each record
// revoked once; every share applied exactly once by the restore (none twice, none missed); every record's
// shares equal the seed's, but the re-shared ones, which keep exactly what they were re-shared with.
// The seed of the kill points is printed; CHAOS_SEED replays one.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createZohoCrmClient } from '@zcrm-sharing/client';
import { DEMO_CREDENTIALS, demoDirectory } from '@zcrm-sharing/sandbox';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { mulberry32, TOO_MANY } from './chaos-support.ts';
import { against, idsFile, range, run, start, summaryOf } from './helpers.ts';
import { key, mixedSandbox, seedKeys, seedShares } from './mixed-shares.ts';

const RECORDS = 5000;
const KILLS = 4;
const RESHARED = 25;

/** A proxy that answers a share of API calls 429 itself and counts, per record, the share entries each POST answer proved applied. */
async function countingProxy(target: URL, rate429: number, rand: () => number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const applied = new Map<string, number>();
  let injected = 0;
  const server = http.createServer((req, res) => {
    if (req.url!.startsWith('/crm/') && rand() < rate429) {
      injected++;
      req.resume();
      res.writeHead(429, { 'content-type': 'application/json' }).end(TOO_MANY);
      return;
    }
    const id = /\/Contacts\/(\d+)\/actions\/share/.exec(req.url!)?.[1];
    const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      if (req.method !== 'POST' || !id) return void answer.pipe(res);
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        if (answer.statusCode === 201 || answer.statusCode === 207) {
          const n = (JSON.parse(body.toString()).share as { code: string }[]).filter((x) => x.code === 'SUCCESS').length;
          applied.set(id, (applied.get(id) ?? 0) + n);
        }
        res.end(body);
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    apiBaseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/crm/v8`,
    applied,
    injected: () => injected,
    close: () => new Promise<void>((r) => (agent.destroy(), server.close(() => r()), server.closeAllConnections())),
  };
}

/** Finished lines of a journal (complete lines only), by outcome. */
function finished(journal: string, outcomes: readonly string[]): number {
  if (!existsSync(journal)) return 0;
  const text = readFileSync(journal, 'utf8');
  let n = 0;
  for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n').slice(1)) if (line && outcomes.includes(JSON.parse(line).outcome)) n++;
  return n;
}

/** Runs `args` killing it with SIGKILL once `progress()` reaches each point; then resumes until `doneWhen`. */
async function killAndResume(args: (first: boolean) => string[], env: Record<string, string>, progress: () => number, points: number[], why: string) {
  let kills = 0;
  for (const [i, point] of points.entries()) {
    const p = start(args(i === 0), env);
    let exited = false;
    void p.done.then(() => (exited = true));
    while (!exited && progress() < point) await new Promise((r) => setTimeout(r, 10));
    const killed = !exited;
    if (killed) {
      p.child.kill('SIGKILL');
      kills++;
    }
    const r = await p.done;
    if (!killed) expect([EXIT.OK, EXIT.PARTIAL], `${why}: ${r.stderr.slice(-800)}`).toContain(r.code);
  }
  for (let pass = 0; pass < 12; pass++) {
    const r = await run([...args(false), '--json'], env);
    expect([EXIT.OK, EXIT.PARTIAL], `${why}: ${r.stderr.slice(-800)}`).toContain(r.code);
    const s = summaryOf(r);
    if (s.left === 0 && s.failed === 0) return { kills, last: r };
  }
  throw new Error(`${why}: not done after 12 passes`);
}

describe('chaos: a backed-up revoke and its restore, each killed at random points and resumed until done', () => {
  it(`${RECORDS} records with mixed shares: revoked once each, every share restored exactly once, re-shared records untouched`, { timeout: 600_000 }, async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
    const why = `CHAOS_SEED=${seed}`;
    console.log(`restore chaos: ${why}`);
    const rand = mulberry32(seed);
    const s = await mixedSandbox(RECORDS, { latencyMs: 3, concurrencyLimit: 8, errorRate: 0.02 });
    const proxy = await countingProxy(new URL(s.url), 0.01, rand);
    try {
      const ids = range(RECORDS);
      const sharedIdx = ids.map((_, i) => i).filter((i) => seedShares(i).length);
      const file = idsFile(ids);
      const journal = `${file}.journal`;
      const { env } = against(s);
      const base = ['--base-url', proxy.apiBaseUrl];
      const points = (total: number) => Array.from({ length: KILLS }, () => Math.floor(total * (0.05 + 0.85 * rand()))).sort((a, b) => a - b);

      // 1. The backed-up revoke, killed and resumed.
      const revokePoints = points(RECORDS);
      const revoked = await killAndResume((first) => ['share', 'revoke', '--module', 'Contacts', '--ids-file', file, ...base, ...(first ? [] : ['--resume'])], env, () => finished(journal, ['revoked', 'not_shared']), revokePoints, why);
      for (const [i, id] of ids.entries()) {
        const r = s.record('Contacts', id)!;
        expect(r.shares, `${why}: ${id} still shared`).toBe(0);
        expect(r.revokeSuccesses, `${why}: ${id} revoked once`).toBe(seedShares(i).length ? 1 : 0);
      }

      // 2. Someone shares some records again before the restore.
      const client = createZohoCrmClient({ auth: { accessToken: DEMO_CREDENTIALS.accessToken }, baseUrl: s.apiBaseUrl });
      const someone = demoDirectory().groups![5]!;
      const reshared = sharedIdx.filter(() => rand() < 0.01).slice(0, RESHARED).map((i) => ids[i]!);
      for (const recordId of reshared) {
        // The sandbox's injected 500s are decided before anything changes: sending again is safe here.
        for (let attempt = 0; ; attempt++) {
          try {
            await client.shareRecord({ module: 'Contacts', recordId, share: [{ shared_with: { type: 'groups', id: someone.id }, permission: 'read_only' }] });
            break;
          } catch (e) {
            if ((e as { kind?: string }).kind !== 'server' || attempt > 20) throw e;
          }
        }
      }
      const theirs = new Map(reshared.map((id) => [id, s.record('Contacts', id)!.entries.map(key).sort()]));

      // 3. The restore, killed and resumed.
      const ledger = `${journal}.restore`;
      const restorePoints = points(sharedIdx.length);
      const restored = await killAndResume(() => ['share', 'restore', '--journal', journal, ...base], env, () => finished(ledger, ['restored', 'already_present', 'reshared', 'nothing_to_restore']), restorePoints, why);

      const resharedSet = new Set(reshared);
      let entries = 0;
      for (const [i, id] of ids.entries()) {
        const now = s.record('Contacts', id)!.entries.map(key).sort();
        if (resharedSet.has(id)) {
          expect(now, `${why}: ${id} was re-shared: left alone`).toEqual(theirs.get(id));
          expect(proxy.applied.get(id) ?? 0, `${why}: ${id} re-shared: nothing sent`).toBe(0);
          continue;
        }
        expect(now, `${why}: ${id} restored as the seed had it`).toEqual(seedKeys(i));
        // Each share applied exactly once across every run: none twice, none missed.
        expect(proxy.applied.get(id) ?? 0, `${why}: ${id} shares applied`).toBe(seedShares(i).length);
        entries += seedShares(i).length;
      }
      // The ledger: every backed-up record ends done, and none is journalled restored twice.
      const outcomes = new Map<string, string[]>();
      const text = readFileSync(ledger, 'utf8');
      for (const line of text.trim().split('\n').slice(1)) {
        const e = JSON.parse(line) as { id: string; outcome: string };
        if (e.outcome !== 'started') outcomes.set(e.id, [...(outcomes.get(e.id) ?? []), e.outcome]);
      }
      for (const i of sharedIdx) {
        const id = ids[i]!;
        const o = outcomes.get(id) ?? [];
        expect(o.filter((x) => x === 'restored' || x === 'already_present'), `${why}: ${id} in the restore journal: ${o}`).toHaveLength(resharedSet.has(id) ? 0 : 1);
        if (resharedSet.has(id)) expect(o.at(-1), why).toBe('reshared');
      }
      const stats = s.stats();
      console.log(
        `restore chaos (${why}): revoke ${revoked.kills} kills at ${revokePoints.join(', ')}; restore ${restored.kills} kills at ${restorePoints.join(', ')}; ` +
          `${entries} shares restored once each over ${sharedIdx.length - RESHARED} records, ${reshared.length} re-shared left alone; ${stats.injectedErrors} injected 500s, ${proxy.injected()} injected 429s`,
      );
      expect(revoked.kills + restored.kills, why).toBeGreaterThanOrEqual(KILLS);
    } finally {
      await proxy.close();
    }
  });
});
