// `share restore --journal J`: the options, the run (restore/job.ts), and its summary in words.
import { usageError } from '../cli-error.js';
import type { RunContext } from '../commands/command.js';
import shareRestore from '../commands/share-restore.js';
import { concurrencyOption } from '../bulk/revoke-many.js';
import { connect, connectionSettings, resolveApi, type Connection } from '../connection.js';
import { EXIT } from '../exit-codes.js';
import { MAX_LISTED, type Output } from '../output.js';
import { bulkRestore, type RestoreSummary } from '../restore/job.js';

export async function restore({ values, out, interrupt }: RunContext): Promise<number> {
  const journalPath = values.journal;
  if (typeof journalPath !== 'string' || !journalPath) throw usageError('share restore needs --journal FILE: the journal of the share revoke to undo');
  const dryRun = Boolean(values['dry-run']);
  if (dryRun && values.verify) throw usageError('--verify reads back what a run restored; a --dry-run restores nothing');
  const concurrency = concurrencyOption(values, shareRestore.options);
  const settings = connectionSettings(values);
  let conn: Connection | undefined;
  try {
    conn = dryRun ? undefined : await connect(settings, out, interrupt, true);
    const summary = await bulkRestore(
      {
        journalPath,
        idsPath: values['ids-file'] as string | undefined,
        merge: Boolean(values.merge),
        dryRun,
        verify: Boolean(values.verify),
        concurrency,
        api: conn?.api ?? resolveApi(settings),
        auth: conn?.auth,
        dc: conn?.dc,
      },
      { client: conn?.client, out, stop: interrupt.stop, cancel: interrupt.cancel, apiDomains: conn?.apiDomains, credits: conn?.credits },
    );
    report(summary, out);
    return EXIT[summary.exit];
  } finally {
    await conn?.close();
  }
}

const who = (s: { shared_with: { type: string; id: string; name?: string }; permission: string; share_related_records: boolean; type: string }) =>
  `${s.shared_with.name ? `${s.shared_with.name} ` : ''}(${s.shared_with.type} ${s.shared_with.id}) ${s.permission}${s.share_related_records ? ' +related' : ''}${s.type === 'public' ? ' public' : ''}`;

function report(s: RestoreSummary, out: Output): void {
  const { findings: f, ...rest } = s;
  out.record({ type: 'summary', ...rest, reshared: s.reshared, resharedRecords: f.reshared, refused: f.refused, notSent: f.notSent, sharedThroughRecords: f.sharedThrough, exitCode: EXIT[s.exit] });
  if (s.dryRun) {
    out.info(`dry run: ${s.records} records backed up in ${s.journal}; ${s.left} to restore${s.skipped ? `, ${s.skipped} done earlier` : ''}; nothing sent`);
    return;
  }
  const codes = Object.entries(s.failedByCode).map(([c, n]) => `${c} ${n}`).join(', ');
  out.info(
    `restored ${s.restored} (${s.entriesApplied} shares) · already as backed up ${s.alreadyPresent} · shared again, left alone ${s.reshared} · failed ${s.failed}${codes ? ` (${codes})` : ''}` +
      `${s.skipped ? ` · skipped ${s.skipped} done earlier` : ''}${s.left ? ` · left ${s.left}` : ''} · API credits used ${s.credits} · ${(s.elapsedMs / 1000).toFixed(1)}s`,
  );
  for (const r of f.reshared.slice(0, MAX_LISTED)) out.info(`  ${out.color.yellow('shared again')}: ${s.module} ${r.id} is shared with ${r.found.map(who).join('; ')}; left alone (--merge adds the backed-up shares it lacks)`);
  for (const r of f.refused.slice(0, MAX_LISTED)) out.info(`  ${out.color.red('refused')}: ${s.module} ${r.id}: ${who(r.share)}: ${r.code} ${r.message}`);
  for (const r of f.notSent.slice(0, MAX_LISTED)) out.info(`  ${out.color.red('not sent')}: ${s.module} ${r.id}: ${who(r.share)}: past Zoho's limit of shares per record for ${r.share.shared_with.type}`);
  const more = Math.max(0, f.reshared.length - MAX_LISTED) + Math.max(0, f.refused.length - MAX_LISTED) + Math.max(0, f.notSent.length - MAX_LISTED);
  if (more) out.info(`  ... and ${more} more (all in the --json summary)`);
  if (f.sharedThrough) out.info(`${f.sharedThrough} records had shares through another record (shared_through): not restored from here; they come back with the record they come through`);
  reportVerify(s, out);
  out.info(`restore journal: ${s.restoreJournal}`);
  const again = `zcrm-sharing share restore --journal ${s.journal}`;
  if (s.stopped) out.info(`${out.color.red('stopped')}: ${s.stopped.message}. ${s.left} records left: once fixed, run the same command again to continue (${again} ...)`);
  else if (s.interrupted) out.info(`interrupted: ${s.left} records left; run the same command again to continue`);
  else if (s.failed) out.info(`${s.failed} records not fully restored: run the same command again to retry them`);
}

function reportVerify(s: RestoreSummary, out: Output): void {
  const v = s.verify;
  if (!v) return;
  if (!v.sampled) return out.info('verify: nothing was restored by this run, so nothing to read back');
  const bad = v.missing.length + v.unreadable.length;
  out.info(`verify: read back ${v.sampled} of ${s.restored} restored: ${v.confirmed} have every backed-up share${bad ? `, ${out.color.red(`${v.missing.length} lack some, ${v.unreadable.length} unreadable`)}` : `: ${out.color.green('verified')}`}`);
  for (const m of v.missing.slice(0, MAX_LISTED)) out.info(`  ${out.color.red('missing')}: ${s.module} ${m.id} lacks ${m.shares.map(who).join('; ')}`);
  for (const u of v.unreadable.slice(0, MAX_LISTED)) out.info(`  could not read back ${s.module} ${u.id} (${u.error})`);
}
