import { describe, expect, it } from 'vitest';
import { call, manualClock, RUN, specExample, SUMMARY, useSandbox } from './helpers.ts';

const { start } = useSandbox();

describe('rerun data sharing rules', () => {
  it('schedules, answers CANNOT_PROCESS while running, is free again when the computation ends', async () => {
    const clock = manualClock();
    const s = await start({ rerunDurationMs: 150, now: clock.now });
    const first = await call(s, 'POST', `${RUN}?module=Leads`);
    expect(first.status).toBe(200);
    expect(first.body).toEqual(specExample('rerunDataSharingRules', 'SCHEDULED').value);
    const busy = await call(s, 'POST', `${RUN}?module=Leads`);
    expect([busy.status, busy.body.code]).toEqual([400, 'CANNOT_PROCESS']);
    expect((await call(s, 'POST', `${RUN}?module=Contacts`)).status).toBe(200); // other modules are independent
    clock.advance(149);
    expect((await call(s, 'POST', `${RUN}?module=Leads`)).status).toBe(400);
    clock.advance(1);
    expect((await call(s, 'POST', `${RUN}?module=Leads`)).status).toBe(200);
    expect(s.stats().rerun).toEqual({ calls: 5, scheduled: 3, busy: 2, noRules: 0 });
  });

  it('a module without rules has nothing to rerun: 204, no body, nothing scheduled', async () => {
    const s = await start();
    const r = await call(s, 'POST', `${RUN}?module=Vendors_Archive`);
    expect([r.status, r.body]).toEqual([204, undefined]);
    expect(s.stats().rerun).toMatchObject({ scheduled: 0, noRules: 1 });
    expect((await call(s, 'GET', `${SUMMARY}?module=Vendors_Archive`)).status).toBe(204);
  });

  it.each(['v2', 'v2.1', 'v5', 'v7'])('%s has no rerun endpoint: 404 INVALID_URL_PATTERN', async (v) => {
    const s = await start();
    const r = await call(s, 'POST', `/crm/${v}/settings/data_sharing/rules/actions/run?module=Leads`);
    expect([r.status, r.body.code]).toEqual([404, 'INVALID_URL_PATTERN']);
  });

  it('a profile without the data sharing permission: 403 NO_PERMISSION naming the permission, nothing scheduled', async () => {
    const s = await start();
    const r = await call(s, 'POST', `${RUN}?module=Leads`, 'no-data-sharing-permission');
    expect(r.status).toBe(403);
    expect(r.body.details.permissions).toEqual(['Crm_Implied_Manage_Data_Sharing']);
    expect(s.stats().rerun.scheduled).toBe(0);
  });
});

describe('data sharing rules summary', () => {
  it('shows the computation running, then done', async () => {
    const clock = manualClock();
    const s = await start({ rerunDurationMs: 150, now: clock.now });
    const idle = await call(s, 'GET', `${SUMMARY}?module=Deals`);
    expect(idle.body.sharing_rules_summary).toEqual([{ module: { api_name: 'Deals', id: '4150868000000002178' }, rule_computation_status: false, rule_count: 3 }]);
    await call(s, 'POST', `${RUN}?module=Deals`);
    expect((await call(s, 'GET', `${SUMMARY}?module=Deals`)).body.sharing_rules_summary[0].rule_computation_status).toBe(true);
    clock.advance(150);
    expect((await call(s, 'GET', `${SUMMARY}?module=Deals`)).body.sharing_rules_summary[0].rule_computation_status).toBe(false);
  });

  it('without module: every module that has rules, each with its own state', async () => {
    const s = await start({ rerunDurationMs: 60_000 });
    await call(s, 'POST', `${RUN}?module=Leads`);
    const r = await call(s, 'GET', SUMMARY);
    expect(r.status).toBe(200);
    const byModule = Object.fromEntries(r.body.sharing_rules_summary.map((e: any) => [e.module.api_name, e]));
    expect(byModule.Leads).toMatchObject({ rule_computation_status: true, rule_count: 3 });
    expect(byModule.Contacts).toMatchObject({ rule_computation_status: false, rule_count: 3 });
    expect(byModule.Projects_X).toMatchObject({ rule_count: 1 });
    expect(byModule.Vendors_Archive).toBeUndefined(); // no rules
    expect(byModule.Documents).toBeUndefined(); // not in the API
    expect(r.body.sharing_rules_summary).toHaveLength(18); // 14 standard + Projects_X + Events, Calls, Tasks
  });

  it('without module in an org with no rules at all: 204', async () => {
    const s = await start({ seed: { tokens: [{ accessToken: 't', scopes: ['ZohoCRM.settings.data_sharing.READ'] }], modules: [{ apiName: 'Leads', id: '1' }] } });
    const r = await call(s, 'GET', SUMMARY, 't');
    expect([r.status, r.body]).toEqual([204, undefined]);
  });

  it('NO_PERMISSION for a profile without the data sharing permission, with or without module', async () => {
    const s = await start();
    for (const path of [SUMMARY, `${SUMMARY}?module=Leads`]) {
      expect((await call(s, 'GET', path, 'no-data-sharing-permission')).status).toBe(403);
    }
  });
});

describe('module parameter', () => {
  it.each([
    ['missing module', RUN, 'REQUIRED_PARAM_MISSING'],
    ['empty module', `${RUN}?module=`, 'REQUIRED_PARAM_MISSING'],
    ['unknown module', `${RUN}?module=Nope`, 'INVALID_DATA'],
    ['malformed module', `${RUN}?module=..%2Fx`, 'INVALID_DATA'],
    ['module not in the API', `${RUN}?module=Documents`, 'INVALID_DATA'],
  ])('rerun, %s: 400 %s with param_name module', async (_l, path, name) => {
    const s = await start();
    const r = await call(s, 'POST', path);
    expect([r.status, r.body]).toEqual([400, specExample('rerunDataSharingRules', name).value]);
    expect(r.body.details).toEqual({ param_name: 'module' });
  });

  it.each([
    ['empty module', `${SUMMARY}?module=`],
    ['unknown module', `${SUMMARY}?module=Nope`],
    ['module with bad characters', `${SUMMARY}?module=%00`],
  ])('summary, %s: 400 INVALID_DATA (module is optional, so never REQUIRED_PARAM_MISSING)', async (_l, path) => {
    const s = await start();
    const r = await call(s, 'GET', path);
    expect([r.status, r.body.code]).toEqual([400, 'INVALID_DATA']);
  });
});
