// The spec's `x-zoho-*` extensions are the facts code is generated from (modules, scopes, versions,
// data centres, which named example answers a bad parameter). Each must agree with the rest of the
// spec, so a fact written twice in different words cannot drift.
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
