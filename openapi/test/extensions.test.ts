// The spec's `x-zoho-*` extensions are the facts code is generated from (modules, scopes, versions,
// data centres, which named example answers a bad parameter). Each must agree with the rest of the
// spec, so a fact written twice in different words cannot drift; `x-zoho-echoes` binds a success to
// the request, and the linters refuse any extension not listed in their configs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deref, spec } from '../testing/spec.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const operations = Object.entries<any>(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, item, op: item[m] })),
);
const server = spec.servers[0];
const versions: string[] = server.variables.version.enum;

describe('data centres', () => {
  const dcs: any[] = spec['x-zoho-data-centers'];

  it('one entry per `domain` of the server, in the same order, each code used once', () => {
    expect(dcs.map((d) => d.domain)).toEqual(server.variables.domain.enum);
    expect(new Set(dcs.map((d) => d.code)).size).toBe(dcs.length);
  });

  it('token URLs are https://accounts.<zoho host>/oauth/v2/token and appear in the hosts table of the description', () => {
    for (const d of dcs) {
      expect(d['token-url']).toMatch(/^https:\/\/accounts\.zoho(cloud)?\.[a-z.]+\/oauth\/v2\/token$/);
      expect(spec.info.description).toContain(d['token-url']);
      expect(spec.info.description).toContain(`\`www.zohoapis.${d.domain}\``);
    }
  });

  it('Canada is the exception: accounts.zohocloud.ca', () => {
    expect(dcs.find((d) => d.code === 'ca')['token-url']).toBe('https://accounts.zohocloud.ca/oauth/v2/token');
  });

  it('every host prefix of the server names an environment', () => {
    const envs = server.variables.environment['x-zoho-environments'];
    expect(Object.keys(envs)).toEqual(server.variables.environment.enum);
    expect(Object.values(envs)).toEqual(['production', 'sandbox', 'developer']);
  });
});

describe('modules', () => {
  const modules = spec['x-zoho-modules'];
  const pattern = new RegExp(spec.components.schemas.ModuleApiName.pattern);

  it("each standard module's scope name is its API name in lower case without underscores (Zoho's rule)", () => {
    const entries = Object.entries<string>(modules.standard);
    expect(entries.length).toBe(14);
    for (const [apiName, scope] of entries) {
      expect(apiName).toMatch(pattern);
      expect(scope).toBe(apiName.toLowerCase().replaceAll('_', ''));
    }
    expect(modules['custom-scope']).toBe('custom');
  });

  it('standard, not-shareable and not-supported modules are disjoint, and all are valid API names', () => {
    const all = [...Object.keys(modules.standard), ...modules['not-shareable'], ...modules['not-supported']];
    expect(new Set(all).size).toBe(all.length);
    for (const m of all) expect(m).toMatch(pattern);
  });

  it("revoke's description lists the standard modules it supports", () => {
    const text = spec.paths['/{module_api_name}/{record_id}/actions/share'].delete.description.replace(/\s+/g, ' ');
    for (const m of Object.keys(modules.standard)) expect(text).toContain(m);
    for (const m of modules['not-shareable']) expect(text).toContain(m);
  });
});

describe('operations', () => {
  it('every operation names its scopes; `{module}` appears exactly in the record-sharing ones', () => {
    for (const { path, op } of operations) {
      const scopes: string[] = op['x-zoho-oauth-scopes'];
      expect(scopes.length, op.operationId).toBeGreaterThan(0);
      const perModule = path.includes('{module_api_name}');
      // `ZohoCRM.share.all` (Zoho's v8 Share Records page) is the one module-free scope of a record-sharing operation.
      for (const s of scopes.filter((x) => x !== 'ZohoCRM.share.all')) expect(s.includes('{module}'), `${op.operationId} ${s}`).toBe(perModule);
      expect(scopes.includes('ZohoCRM.share.all'), op.operationId).toBe(perModule);
      // Each operation accepts its own permission or .ALL, as Zoho documents.
      expect(scopes.some((s) => s.endsWith('.ALL')), op.operationId).toBe(true);
    }
  });

  it('minimum versions are versions the server offers', () => {
    for (const { op } of operations) {
      const min = op['x-zoho-min-version'];
      if (min !== undefined) expect(versions).toContain(min);
    }
  });

  it('operations that exist from v8 only say so in their description', () => {
    for (const { op } of operations.filter((o) => o.op['x-zoho-min-version'] === 'v8')) {
      expect(op.description).toMatch(/from API version `v8` only/);
    }
  });

  it('every operation documents INVALID_REQUEST_METHOD (Zoho answers a wrong method 400, not 405)', () => {
    for (const { op } of operations) {
      const bad = deref(op.responses['400']);
      expect(Object.keys(bad.content['application/json'].examples), op.operationId).toContain('INVALID_REQUEST_METHOD');
    }
  });
});

describe('parameters name the example Zoho answers when they are missing or invalid', () => {
  const cases = operations.flatMap(({ item, op }) =>
    [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => [op.operationId, deref(p), op] as const),
  );

  it.each(cases.map(([id, p, op]) => [`${id} ${p.in} ${p.name}`, p, op] as const))('%s', (_label, p, op) => {
    const names = Object.values<any>(op.responses)
      .map((r) => deref(r))
      .flatMap((r) => Object.keys(r.content?.['application/json']?.examples ?? {}));
    expect(p['x-zoho-error-when-invalid'], 'x-zoho-error-when-invalid').toBeDefined();
    expect(names).toContain(p['x-zoho-error-when-invalid']);
    if (p.required && p.in !== 'path') {
      expect(names).toContain(p['x-zoho-error-when-missing']);
    } else {
      expect(p['x-zoho-error-when-missing']).toBeUndefined();
    }
  });
});

describe('successes are exact (x-zoho-echoes and closed schemas)', () => {
  // The success of each operation: its first 2xx with a JSON body (as the generator picks it).
  const successes = operations.flatMap(({ path, item, op }) => {
    const found = Object.entries<any>(op.responses)
      .filter(([status]) => /^2\d\d$/.test(status))
      .map(([status, res]) => [status, deref<any>(res).content?.['application/json']?.schema] as const)
      .filter(([, schema]) => schema)
      .sort(([a], [b]) => Number(a) - Number(b))[0];
    return found ? [{ path, item, op, status: found[0], schema: found[1] }] : [];
  });
  /** Every schema node below `node`, refs followed, each once. */
  const nodes = (node: any, seen = new Set<any>()): any[] => {
    const n = deref<any>(node);
    if (!n || typeof n !== 'object' || seen.has(n)) return [];
    seen.add(n);
    return [n, ...Object.values(n).flatMap((v) => nodes(v, seen))];
  };
  const refs = (node: any): string[] => nodes(node).flatMap((n) => Object.values(n).filter((v: any) => typeof v?.$ref === 'string').map((v: any) => v.$ref));

  it('every operation with a 2xx body has one, the share POST/PUT 201 included', () => {
    expect(successes.map((s) => `${s.op.operationId} ${s.status}`).sort()).toEqual(
      ['getDataSharingRulesSummary 200', 'getSharedRecordDetails 200', 'rerunDataSharingRules 200', 'revokeSharedRecord 200', 'shareRecord 201', 'updateRecordShares 201'].sort(),
    );
  });

  it.each(successes.map((s) => [`${s.op.operationId} ${s.status}`, s] as const))('%s: a closed envelope, never the open StatusObject', (_l, s) => {
    expect(deref<any>(s.schema).additionalProperties).toBe(false);
    expect(refs(s.schema)).not.toContain('#/components/schemas/StatusObject');
  });

  it.each(successes.map((s) => [`${s.op.operationId} ${s.status}`, s] as const))('%s: every status object in it is closed, its code and status constants', (_l, s) => {
    const statuses = nodes(s.schema).filter((n) => n.properties?.code && n.properties?.status);
    for (const st of statuses) {
      expect(st.additionalProperties).toBe(false);
      expect(st.required).toEqual(['code', 'details', 'message', 'status']);
      expect([['SUCCESS'], ['SCHEDULED']]).toContainEqual(st.properties.code.enum);
      expect(st.properties.status.enum).toEqual(['success']);
      expect(deref<any>(st.properties.details).additionalProperties).toBe(false);
    }
    // The proofs of an action carry a status object; the data reads carry none.
    expect(statuses.length > 0).toBe(!s.op.operationId.startsWith('get'));
  });

  it.each(successes.map((s) => [`${s.op.operationId} ${s.status}`, s] as const))('%s: each x-zoho-echoes names a path parameter of the same schema', (_l, s) => {
    const params = [...(s.item.parameters ?? []), ...(s.op.parameters ?? [])].map((p: any) => deref<any>(p)).filter((p) => p.in === 'path');
    for (const n of nodes(s.schema).filter((n) => n['x-zoho-echoes'] !== undefined)) {
      const param = params.find((p) => p.name === n['x-zoho-echoes']);
      expect(param, n['x-zoho-echoes']).toBeDefined();
      expect(n.allOf.map((a: any) => a.$ref)).toEqual([param.schema.$ref]);
    }
  });

  it("revoke's success echoes record_id as share.details.id", () => {
    const revoke = successes.find((s) => s.op.operationId === 'revokeSharedRecord')!;
    const details = deref<any>(deref<any>(deref<any>(revoke.schema).properties.share).properties.details);
    expect(details.required).toEqual(['id']);
    expect(details.properties.id['x-zoho-echoes']).toBe('record_id');
  });
});

describe('the linters know every extension the spec uses, and only those', () => {
  const used = new Set<string>();
  (function walk(node: any) {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k.startsWith('x-')) used.add(k);
        walk(v);
      }
    }
  })(spec);
  const allowed = (file: string, pattern: RegExp) => {
    const alternatives = pattern.exec(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'))?.[1];
    return new Set(alternatives!.split('|').map((a) => `x-zoho-${a}`));
  };

  it('redocly.yaml and .spectral.yaml allow the same extensions, each used by the spec', () => {
    const redocly = allowed('redocly.yaml', /pattern: '\^\(\?!x-\)\|\^x-zoho-\(([^)]+)\)\$'/);
    const spectral = allowed('.spectral.yaml', /match: '\^x-zoho-\(([^)]+)\)\$'/);
    expect([...redocly].sort()).toEqual([...spectral].sort());
    expect([...used].sort()).toEqual([...redocly].sort());
  });
});
