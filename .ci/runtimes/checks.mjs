// The built client against the sandbox, in whichever runtime imports this (Bun, Deno, workerd, a browser
// page): the calls a user makes (the summary of one module and of all, a record's shares before and after
// its revoke), and a refused connection. Web APIs only (fetch, URL, JSON), so every runtime runs the same
// file. Returns one { check, ok, detail } per check and never throws.
// Two ways to reach the sandbox: over HTTP (apiBaseUrl, tokenUrl: the sandbox server in the test's Node),
// or in process (runInProcess: createSandbox().fetch given to the client, which calls Zoho's EU URLs
// unchanged; no socket, so the refused check becomes "another host is refused without the network").

// Not part of what an error says: the chain itself, the stack, and Bun's source positions.
const NOISE = new Set(['cause', 'stack', 'message', 'line', 'column', 'originalLine', 'originalColumn', 'sourceURL']);

/** An error and its `cause` chain, as plain data: what a runtime's fetch throws is the finding. */
export function describe(err) {
  const chain = [];
  for (let e = err, depth = 0; e && depth < 6; e = e.cause, depth++) {
    if (typeof e !== 'object') {
      chain.push({ value: String(e) });
      break;
    }
    // Own properties, enumerable or not (Deno and workerd put little on their errors), but the stack.
    const own = Object.fromEntries(
      Object.getOwnPropertyNames(e)
        .filter((k) => !NOISE.has(k) && (typeof e[k] !== 'object' || e[k] === null) && typeof e[k] !== 'function')
        .map((k) => [k, e[k]]),
    );
    // Deno has classes for OS errors (Deno.errors.ConnectionRefused...): say if this is one of them.
    const denoClass = globalThis.Deno && Object.keys(globalThis.Deno.errors).find((k) => e instanceof globalThis.Deno.errors[k]);
    chain.push({ name: e.name, constructor: e.constructor?.name, message: e.message, ...own, ...(denoClass ? { denoErrorsClass: denoClass } : {}) });
  }
  return chain;
}

/**
 * `refusedIsKnowable: false` for a runtime whose fetch reports every connection failure the same way
 * (workerd: "Network connection lost." for refused, reset and closed alike); there the client must say
 * `refused: false`, the safe answer, since only a refused request is retried as a rerun POST.
 */
export async function runChecks(client, { apiBaseUrl, tokenUrl, refusedUrl, credentials, accessToken, module, recordId, refusedIsKnowable = true, fetch }) {
  const results = [];
  const check = async (id, description, fn) => {
    try {
      results.push({ id, check: description, ok: true, detail: await fn() });
    } catch (err) {
      results.push({ id, check: description, ok: false, detail: err?.chain ?? describe(err) });
    }
  };
  const expect = (cond, message) => {
    if (!cond) throw new Error(message);
  };
  // In process (or under MSW, with no apiBaseUrl and no fetch): Zoho's own EU URLs, answered by the sandbox.
  const where = apiBaseUrl ? { baseUrl: apiBaseUrl } : { dataCenter: 'eu', ...(fetch ? { fetch } : {}) };
  const zoho = client.createZohoCrmClient({ auth: { accessToken }, ...where, maxRetries: 0 });

  await check('refresh', 'the refresh-token grant through the sandbox, then a call with the new token', async () => {
    const refreshing = client.createZohoCrmClient({ auth: credentials, ...where, ...(apiBaseUrl ? { tokenUrl } : {}), maxRetries: 0 });
    const s = await refreshing.getDataSharingRulesSummary({ module: 'Contacts' });
    expect(typeof s?.rule_count === 'number', `summary: ${JSON.stringify(s)}`);
    return `${s.rule_count} rules`;
  });
  await check('rerun', 'rerun', async () => {
    const r = await zoho.rerunDataSharingRules({ module });
    expect(r.code === 'SCHEDULED', `rerun answered ${r.code}`);
    return r.code;
  });
  await check('summary', 'summary while computing', async () => {
    const s = await zoho.getDataSharingRulesSummary({ module });
    expect(s?.rule_computation_status === true, `summary: ${JSON.stringify(s)}`);
    return `${s.rule_count} rules, computing`;
  });
  await check('summary-all', 'summary of every module (no module given)', async () => {
    const all = await zoho.getDataSharingRulesSummary();
    expect(Array.isArray(all) && all.some((s) => s.module.api_name === module), `summary: ${JSON.stringify(all)}`);
    return `${all.length} modules`;
  });
  await check('shares', "the record's shares before the revoke, ids strings", async () => {
    const shares = await zoho.getSharedRecordDetails({ module: 'Contacts', recordId });
    expect(shares.length > 0 && shares.every((s) => typeof s.shared_with.id === 'string'), `shares: ${JSON.stringify(shares)}`);
    return `${shares.length} shares`;
  });
  await check('revoke', 'revoke keeps the 19-digit id a string', async () => {
    const r = await zoho.revokeSharedRecord({ module: 'Contacts', recordId });
    expect(r.code === 'SUCCESS' && r.details.id === recordId, `revoke: ${JSON.stringify(r)}`);
    return r.details.id;
  });
  await check('revoke-again', 'revoke again: NothingToRevokeError', async () => {
    try {
      await zoho.revokeSharedRecord({ module: 'Contacts', recordId });
    } catch (err) {
      expect(err instanceof client.NothingToRevokeError, `got ${err?.name}: ${err?.message}`);
      return err.code;
    }
    throw new Error('the second revoke succeeded');
  });
  await check('shares-after', 'no share left after the revoke (204)', async () => {
    const shares = await zoho.getSharedRecordDetails({ module: 'Contacts', recordId });
    expect(Array.isArray(shares) && shares.length === 0, `shares: ${JSON.stringify(shares)}`);
    return 'none';
  });
  if (!apiBaseUrl) {
    if (!fetch) return results; // under MSW another host is MSW's to handle, not the sandbox's
    await check('other-host', "another host through the sandbox's fetch: ConnectionError (refused = false), nothing sent", async () => {
      const elsewhere = client.createZohoCrmClient({ auth: { accessToken }, baseUrl: 'https://crm.example.com/crm/v8', fetch, maxRetries: 0 });
      try {
        await elsewhere.rerunDataSharingRules({ module });
      } catch (err) {
        if (!(err instanceof client.ConnectionError) || err.refused !== false) throw new Error(`${err?.name} with refused = ${err?.refused}`);
        return describe(err);
      }
      throw new Error('a rerun against crm.example.com succeeded');
    });
    return results;
  }
  const wanted = refusedIsKnowable ? 'refused = true' : 'refused = false (this runtime cannot tell a refused connection)';
  await check('refused', `refused connection: ConnectionError with ${wanted}`, async () => {
    const nowhere = client.createZohoCrmClient({ auth: { accessToken }, baseUrl: refusedUrl, maxRetries: 0 });
    try {
      await nowhere.rerunDataSharingRules({ module });
    } catch (err) {
      const chain = describe(err);
      if (!(err instanceof client.ConnectionError) || err.refused !== refusedIsKnowable) {
        const failure = new Error(`${err?.name} with refused = ${err?.refused}`);
        failure.chain = chain;
        throw failure;
      }
      return chain;
    }
    throw new Error(`a rerun against ${refusedUrl} succeeded`);
  });
  return results;
}

/**
 * The same checks against `createSandbox().fetch` from the built `@zcrm-sharing/sandbox/fetch` (`sandbox`),
 * then what the sandbox itself saw: the revoke applied once, the refresh counted, no request for another host.
 */
export async function runInProcess(client, sandbox, params) {
  const s = sandbox.createSandbox({ seed: sandbox.demoSeed({ records: 30 }), rerunDurationMs: 600_000 });
  const results = await runChecks(client, { ...params, fetch: s.fetch });
  results.push(stateCheck(s, params.recordId));
  return results;
}

/** What the sandbox saw after runChecks: the revoke applied once of two calls, one refresh, one rerun. */
export function stateCheck(s, recordId) {
  const stats = s.stats();
  const record = s.record('Contacts', recordId);
  const ok = record?.shares === 0 && record.revokeSuccesses === 1 && record.revokeCalls === 2 && stats.tokenRefreshes === 1 && stats.rerun.scheduled === 1;
  return { id: 'state', check: "the sandbox's state: one revoke applied of two, one refresh, one rerun", ok, detail: { record, tokenRefreshes: stats.tokenRefreshes, rerun: stats.rerun } };
}
