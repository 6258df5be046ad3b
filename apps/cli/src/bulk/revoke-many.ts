// `share revoke --ids-file`: the bulk job's options, the run, and its summary in words.
import { basename, dirname, join, resolve } from 'node:path';
import { usageError } from '../cli-error.js';
import { revokeCommand, type Changes } from '../command-line.js';
import type { OptionSpec } from '../commands/command.js';
import shareRevoke from '../commands/share-revoke.js';
import { connect, connectionSettings, resolveApi, type Connection } from '../connection.js';
import { EXIT } from '../exit-codes.js';
import type { Interrupt } from '../interrupt.js';
import { int, type Values } from '../option-values.js';
import { MAX_LISTED, type Output } from '../output.js';
import { describeShare } from '../share/show.js';
import { bulkRevoke } from './job.js';
import { planRevoke, type RevokePlan } from './plan.js';
import type { BulkSummary } from './types.js';
import { verifyPlan } from './verify.js';

/** `--concurrency auto` (the default) or N; `--max-concurrency` bounds auto (the options of `share revoke` and `share restore`). */
export function concurrencyOption(values: Values, options: Readonly<Record<string, OptionSpec>> = shareRevoke.options): { mode: 'auto' | 'pinned'; max: number } {
  const raw = values.concurrency;
  if (raw === undefined || raw === 'auto') return { mode: 'auto', max: int(values, 'max-concurrency', options) };
  if (values['max-concurrency'] !== undefined) throw usageError('--max-concurrency bounds --concurrency auto; with --concurrency N the concurrency is N');
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw usageError(`--concurrency: expected auto or a whole number from ${options.concurrency!.min} to ${options.concurrency!.max}, got ${JSON.stringify(raw)}`);
  return { mode: 'pinned', max: int(values, 'concurrency', options) };
}

const defaultJournal = (idsPath: string) => (idsPath === '-' ? resolve('stdin.journal') : join(dirname(resolve(idsPath)), `${basename(idsPath)}.journal`));

export async function revokeMany(module: string, values: Values, argv: readonly string[], out: Output, interrupt: Interrupt): Promise<number> {
  const idsPath = values['ids-file'] as string;
  const dryRun = Boolean(values['dry-run']);
  const concurrency = concurrencyOption(values);
  const verify = verifyPlan(values);
  if (verify && dryRun) throw usageError('--verify reads back what a run revoked; a --dry-run revokes nothing');
  const settings = connectionSettings(values);
  if (values.plan) {
    const clash = ['resume', 'dry-run', 'verify', 'verify-sample', 'no-backup', 'journal'].filter((n) => values[n] !== undefined);
    if (clash.length) throw usageError(`--plan reads and reports, it revokes nothing: not with ${clash.map((n) => `--${n}`).join(', ')}`);
    const conn = await connect(settings, out, interrupt, true);
    try {
      const plan = await planRevoke(
        { module, idsPath, journalPath: '', resume: false, dryRun: false, idColumn: values['id-column'] as string | undefined, concurrency, api: conn.api, auth: conn.auth, dc: conn.dc },
        { client: conn.client, out, stop: interrupt.stop, cancel: interrupt.cancel, credits: conn.credits },
      );
      reportPlan(plan, out);
      return EXIT[plan.exit];
    } finally {
      await conn.close();
    }
  }
  let conn: Connection | undefined;
  try {
    conn = dryRun ? undefined : await connect(settings, out, interrupt, true);
    const summary = await bulkRevoke(
      {
        module,
        idsPath,
        journalPath: (values.journal as string | undefined) ?? defaultJournal(idsPath),
        resume: Boolean(values.resume),
        dryRun,
        backup: !values['no-backup'],
        idColumn: values['id-column'] as string | undefined,
        concurrency,
        api: conn?.api ?? resolveApi(settings),
        verify,
        argv,
        auth: conn?.auth,
        dc: conn?.dc,
      },
      { client: conn?.client, out, stop: interrupt.stop, cancel: interrupt.cancel, apiDomains: conn?.apiDomains, credits: conn?.credits },
    );
    report(summary, out, argv, idsPath);
    return EXIT[summary.exit];
  } finally {
    await conn?.close();
  }
}

function report(s: BulkSummary, out: Output, argv: readonly string[], idsPath: string): void {
  out.record({ type: 'summary', ...s, exitCode: EXIT[s.exit] });
  const input = `${s.lines} ids read: ${s.unique} unique, ${s.invalid} invalid, ${s.duplicates} duplicates`;
  if (s.dryRun) {
    out.info(`dry run: ${input}; ${s.left} to send${s.skipped ? `, ${s.skipped} done earlier` : ''}; nothing sent`);
    return;
  }
  const codes = Object.entries(s.failedByCode).map(([c, n]) => `${c} ${n}`).join(', ');
  out.info(
    `revoked ${s.revoked} · already not shared ${s.notShared} · failed ${s.failed}${codes ? ` (${codes})` : ''} · invalid ${s.invalid} · duplicates ${s.duplicates}` +
      `${s.skipped ? ` · skipped ${s.skipped} done earlier` : ''}${s.left ? ` · left ${s.left} for --resume` : ''} · ${(s.elapsedMs / 1000).toFixed(1)}s · ${s.ratePerSecond}/s`,
  );
  const c = s.concurrency;
  if (c) {
    const settled = c.settled ? `settled at ${c.settled.limit} after ${c.settled.after429s} × 429, ` : '';
    out.info(`concurrency: ${c.mode === 'auto' ? `auto from ${c.start} (max ${c.max})` : `${c.max}`}, now ${c.limit}; ${settled}${c.rateLimited} × 429 in all`);
  }
  out.info(`API credits used: ${s.credits}${s.backedUp ? ` · shares backed up for ${s.backedUp} records` : ''}`);
  if (s.sharedThrough) out.info(`${s.sharedThrough} records also had shares through another record (shared_through): journalled and reported, but not this record's to restore`);
  out.info(`journal: ${s.journal}${s.backedUp ? ` (holds the backups: undo with zcrm-sharing share restore --journal ${s.journal}; it names people, keep it private)` : ''}`);
  if (s.unjournalled) out.info(`${s.unjournalled} calls finished after the journal failed: --resume sends them again (they answer "already not shared" if they were revoked)`);
  reportVerify(s, out);
  const next = (changes: Changes) => revokeCommand(argv, { module: s.module, idsPath, journalPath: s.journal }, changes);
  if (s.stopped) {
    const when = s.stopped.resumeAfter ? ` Resume after ${new Date(s.stopped.resumeAfter).toLocaleString()} (Zoho's Retry-After).` : '';
    // A journal with no success and no backup in it is replaced by the corrected run; otherwise --resume continues it.
    const then = s.revoked + s.notShared + s.skipped === 0 && !s.backedUp
      ? `the journal records no revoke, so ${s.stopped.fix ? 'this command' : 'the same command once fixed'} starts again, replacing it: ${next({ resume: null, ...s.stopped.fix })}`
      : `once fixed, continue the job with: ${next({ resume: true, ...s.stopped.fix })}`;
    out.info(`${out.color.red('stopped')}: ${s.stopped.message}.${when} Nothing more was sent; ${s.left} ids are left: ${then}`);
  } else if (s.interrupted) out.info(`interrupted: ${s.left} ids left; to finish them: ${next({ resume: true })}`);
}

function reportVerify(s: BulkSummary, out: Output): void {
  const v = s.verify;
  if (!v) return;
  if ('skipped' in v) return out.info(`verify: skipped (${v.skipped}); nothing was read back`);
  if (!v.sampled) return out.info('verify: nothing was revoked by this run, so nothing to read back');
  const still = v.stillShared.length;
  const line = `verify: read back ${v.sampled} of ${v.revoked} revoked (sample: ${v.sample}): ${v.confirmed} shared with no one`;
  const problems = [still ? `${still} still shared` : '', v.unreadable.length ? `${v.unreadable.length} unreadable` : '', v.notRead ? `${v.notRead} not read` : ''].filter(Boolean);
  out.info(problems.length ? `${line}, ${out.color.red(problems.join(', '))}${v.stopped ? ` (stopped: ${v.stopped})` : ''}` : `${line}: ${out.color.green('verified')}`);
  for (const r of v.stillShared.slice(0, MAX_LISTED)) {
    out.info(`  ${out.color.red('still shared')}: ${s.module} ${r.id}, which Zoho said it revoked, is shared with ${r.shares.map(describeShare).join('; ')}`);
  }
  for (const r of v.unreadable.slice(0, MAX_LISTED)) out.info(`  could not read back ${s.module} ${r.id} (${r.error})`);
  const more = Math.max(0, still - MAX_LISTED) + Math.max(0, v.unreadable.length - MAX_LISTED);
  if (more) out.info(`  ... and ${more} more (all in the --json summary)`);
  if (still) out.info(`still shared after a revoke: a sharing rule or another user may have shared them again; check with zcrm-sharing share show --module ${s.module} --id ID`);
}

function reportPlan(p: RevokePlan, out: Output): void {
  out.record({ type: 'plan', ...p, exitCode: EXIT[p.exit] });
  const per = (o: Record<string, number>) => Object.entries(o).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  out.info(`plan for ${p.module}: ${p.records} records read: ${p.shared} shared, ${p.notShared} shared with no one${p.unreadable ? `, ${p.unreadable} unreadable (${per(p.failedByCode)})` : ''}${p.left ? `, ${p.left} not read` : ''}`);
  out.info(`  ${p.shares} shares: ${per(p.byType)}; ${per(p.byPermission)}; ${p.public} public${p.sharedThrough ? `; ${p.sharedThrough} through another record (not restorable from these)` : ''}; ${p.recipients} distinct recipients`);
  for (const r of p.top) out.info(`  ${r.name ? `${r.name} ` : ''}(${r.type} ${r.id}): ${r.records} records`);
  if (p.recipients > p.top.length) out.info(`  ... and ${p.recipients - p.top.length} more recipients (all counted; the top ${p.top.length} in --json)`);
  out.info(`the real run: up to ${p.realRun.creditsWithBackup} API calls and credits with the backup (a read each, a DELETE per shared record), ${p.realRun.creditsWithoutBackup} with --no-backup; this plan used ${p.credits}`);
  if (p.stopped) out.info(`${out.color.red('stopped')}: ${p.stopped.message}`);
}
