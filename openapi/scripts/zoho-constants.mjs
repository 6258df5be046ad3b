// Renders src/generated/zoho.ts: the facts the spec states about Zoho (versions, modules and their
// scope names, data centres and their hosts, scopes and versions per operation, per-record share limits, documented
// messages), as constants. The same text is written into every package that needs them
// (packages/client, packages/sandbox), so none of them types these facts by hand and the client keeps
// zero runtime dependencies. Called by generate.mjs; pure: spec object in, TypeScript text out.
import { deref as derefIn } from './spec.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** @param {any} spec the parsed spec  @param {string} sha256 of its YAML */
export function renderZohoConstants(spec, sha256) {
  const server = spec.servers[0];
  const versions = server.variables.version.enum;
  const envs = server.variables.environment['x-zoho-environments'];
  const modules = spec['x-zoho-modules'];
  const schemas = spec.components.schemas;
  const deref = (node) => derefIn(spec, node);

  const apiDomains = Object.fromEntries(spec['x-zoho-data-centers'].map((dc) => [dc.code, dc.domain]));
  const tokenUrls = Object.fromEntries(spec['x-zoho-data-centers'].map((dc) => [dc.code, dc['token-url']]));
  // `https://{environment}.zohoapis.{domain}/crm/{version}`: the host part, and each environment's host prefix.
  const hostTemplate = server.url.match(/^https:\/\/([^/]+)/)[1];
  const hostPrefixes = Object.fromEntries(Object.entries(envs).map(([prefix, env]) => [env, prefix]));

  const operations = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const min = op['x-zoho-min-version'];
      operations[op.operationId] = {
        method: method.toUpperCase(),
        path,
        versions: min === undefined ? versions : versions.slice(versions.indexOf(min)),
        scopes: op['x-zoho-oauth-scopes'],
      };
    }
  }

  // Code and message of every named example that is (or wraps) one status object.
  const messages = {};
  for (const [name, ex] of Object.entries(spec.components.examples)) {
    const v = ex.value;
    const status = Array.isArray(v?.share) ? v.share[0] : v?.share ?? (Array.isArray(v?.sharing_rules) ? v.sharing_rules[0] : v);
    if (status && typeof status.code === 'string' && typeof status.message === 'string') messages[name] = { code: status.code, message: status.message };
  }

  const shareBody = deref(schemas.ShareRequest);
  const pattern = (schema) => ({ pattern: String(new RegExp(schema.pattern)), minLength: schema.minLength, maxLength: schema.maxLength });
  const lit = (value) => literal(value, '');
  const re = (p) => `{ pattern: ${p.pattern}, minLength: ${p.minLength}, maxLength: ${p.maxLength} }`;

  return `// Written by openapi/scripts/generate.mjs (\`./dev codegen\`) from the spec: do not edit.
// The same file is in packages/client/src/generated/ and packages/sandbox/src/generated/; the drift
// check (\`generate.mjs --check\`, in \`lint\`) fails when either differs from what the spec gives.

/** sha256 of the spec (openapi/zoho-crm-sharing.yaml) these constants come from. */
export const SPEC_SHA256 = '${sha256}';

/** API versions the server offers, oldest first (\`servers[0].variables.version\`). */
export const API_VERSIONS = ${lit(versions)} as const;
/** An API version the server offers: one of \`API_VERSIONS\`. */
export type ApiVersion = (typeof API_VERSIONS)[number];
export const DEFAULT_API_VERSION = ${lit(server.variables.version.default)} as const;

/** Each standard module's API name and the \`{module}\` of its \`ZohoCRM.share.{module}.*\` scopes (\`x-zoho-modules\`). */
export const STANDARD_MODULE_SCOPES = ${lit(modules.standard)} as const;
/** A standard module's API name (custom modules have names of their own). */
export type KnownModule = keyof typeof STANDARD_MODULE_SCOPES;
/** The standard modules, in the spec's order. */
export const KNOWN_MODULES = ${lit(Object.keys(modules.standard))} as const satisfies readonly KnownModule[];
/** The \`{module}\` of every custom module's share scopes. */
export const CUSTOM_MODULE_SCOPE = ${lit(modules['custom-scope'])} as const;
/** Refused by every record-sharing operation with 401 OAUTH_SCOPE_MISMATCH (as are linking modules). */
export const NOT_SHAREABLE_MODULES = ${lit(modules['not-shareable'])} as const;
/** Refused with 400 INVALID_MODULE "The given module is not supported in API". */
export const UNSUPPORTED_MODULES = ${lit(modules['not-supported'])} as const;

/** A module API name (\`ModuleApiName\`): standard or custom. */
export const MODULE_API_NAME = ${re(pattern(schemas.ModuleApiName))};
/** A record id (\`RecordId\`): a string of digits, never a number. */
export const RECORD_ID = ${re(pattern(schemas.RecordId))};

// The values of every string enum among the component schemas, one constant each.
${Object.entries(schemas)
  .filter(([, schema]) => schema.type === 'string' && Array.isArray(schema.enum))
  .map(([name, schema]) => `/** \`${name}\` */\nexport const ${constantName(name)}_VALUES = ${lit(schema.enum)} as const;\n`)
  .join('')}
/** Data centres (\`x-zoho-data-centers\`): the \`domain\` of their API hosts. */
export const API_DOMAINS = ${lit(apiDomains)} as const;
/** A Zoho data centre's code: a key of \`API_DOMAINS\`. */
export type DataCenter = keyof typeof API_DOMAINS;
/** Each data centre's OAuth token URL (a table of its own: an app with a fixed token does not carry it). */
export const TOKEN_URLS = ${lit(tokenUrls)} as const satisfies Record<DataCenter, string>;
/** The host prefix of each org type (\`servers[0].variables.environment.x-zoho-environments\`). */
export const API_HOST_PREFIXES = ${lit(hostPrefixes)} as const;
/** An org type: a key of \`API_HOST_PREFIXES\` (each has its own API host). */
export type Environment = keyof typeof API_HOST_PREFIXES;

/** The API host of a data centre's production, sandbox or developer orgs (\`${hostTemplate}\`). */
export function apiHost(dataCenter: DataCenter, environment: Environment): string {
  return ${lit(hostTemplate)}.replace('{environment}', API_HOST_PREFIXES[environment]).replace('{domain}', API_DOMAINS[dataCenter]);
}

// Every operation's method, path (after \`/crm/{version}\`) and the versions that have it: one
// constant each, so that code calling one operation carries only its own (API_VERSIONS when it is in all).
${Object.entries(operations)
  .map(([id, { scopes, ...call }]) => `/** \`${id}\` */\nexport const ${constantName(id)} = ${lit(call).replace(`versions: ${lit(versions)}`, 'versions: API_VERSIONS')} as const;\n`)
  .join('')}
/* @__NO_SIDE_EFFECTS__ */
function withScopes<const T extends object, const S extends readonly string[]>(call: T, scopes: S): T & { readonly scopes: S } {
  return { ...call, scopes };
}

/** Every operation by its \`operationId\`, with the OAuth scopes it accepts (any one). */
export const OPERATIONS = {
${Object.entries(operations)
  .map(([id, op]) => `  ${id}: withScopes(${constantName(id)}, ${lit(op.scopes)}),\n`)
  .join('')}} as const;
/** An operation of the spec, by its \`operationId\`. */
export type OperationId = keyof typeof OPERATIONS;

/** Zoho's limits on one record's shares, per recipient type (\`ShareRequest.x-zoho-limits-per-record\`). */
export const SHARE_LIMITS_PER_RECORD = ${lit(shareBody['x-zoho-limits-per-record'])} as const;
/** The most entries one share call takes (\`ShareRequest.share.maxItems\`). */
export const SHARE_ENTRIES_PER_CALL = ${lit(shareBody.properties.share.maxItems)};

// Code and message of each named status-object example (\`components/examples\`), one constant each.
${Object.entries(messages)
  .map(([name, m]) => `export const ${constantName(`example${name}`)} = ${lit(m)} as const;\n`)
  .join('')}

/** The \`{module}\` of a module's share scopes: its standard scope name, or \`custom\`. */
export function shareScopeName(module: string): string {
  return Object.hasOwn(STANDARD_MODULE_SCOPES, module) ? STANDARD_MODULE_SCOPES[module as KnownModule] : CUSTOM_MODULE_SCOPE;
}

/** The scopes an operation accepts (any one is enough), with \`{module}\` filled in for record-sharing operations. */
export function scopesFor(operationId: OperationId, module?: string): string[] {
  const scopes: readonly string[] = OPERATIONS[operationId].scopes;
  return module === undefined ? [...scopes] : scopes.map((s) => s.replace('{module}', shareScopeName(module)));
}
`;
}

/** \`revokeSharedRecord\` -> \`REVOKE_SHARED_RECORD\`, \`SharePermission\` -> \`SHARE_PERMISSION\`. */
export const constantName = (name) => name.replace(/(?<=.)[A-Z]/g, (c) => `_${c}`).toUpperCase();

/** JSON, one key per line, arrays of scalars on one line (a readable TypeScript literal). */
function literal(value, indent) {
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((v) => `${inner}${literal(v, inner)}`)
    : Object.entries(value).map(([k, v]) => `${inner}${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k)}: ${literal(v, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return items.length ? `${open}\n${items.join(',\n')},\n${indent}${close}` : `${open}${close}`;
}
