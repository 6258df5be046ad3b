// Data centres, org types and API versions, as the spec states them (src/generated/zoho.ts).
import { API_DOMAINS, API_HOST_PREFIXES, API_VERSIONS, DEFAULT_API_VERSION, TOKEN_URLS, apiHost, type DataCenter, type Environment } from './generated/zoho.js';

export type { DataCenter, Environment };

/** The data centres, by the short code users know them by (us, eu, in, au, jp, cn, ca, sa). */
export const DATA_CENTER_CODES = Object.keys(API_DOMAINS) as DataCenter[];

/** The org types, each with its own API host (production, sandbox, developer). */
export const ENVIRONMENTS = Object.keys(API_HOST_PREFIXES) as Environment[];

/** Where a data centre's org is reached: its API base URL and its OAuth token URL. */
export interface Endpoints {
  /** `https://{www|sandbox|developer}.zohoapis.{domain}/crm/{version}` */
  apiBaseUrl: string;
  /** The data centre's OAuth token URL. */
  tokenUrl: string;
}

const check = (name: string, list: readonly string[], got: string) => {
  if (!list.includes(got)) throw new TypeError(`${name}: expected one of ${list.join(', ')}, got ${JSON.stringify(got)}`);
};

type EndpointOptions = { dataCenter?: DataCenter; environment?: Environment; apiVersion?: string };

/** The API base URL, with the data centre it is in (checked). The core's part: no token URL. */
export function resolveApiBase(options: EndpointOptions = {}): { apiBaseUrl: string; dataCenter: DataCenter } {
  const { dataCenter = 'us', environment = 'production', apiVersion = DEFAULT_API_VERSION } = options;
  check('dataCenter', DATA_CENTER_CODES, dataCenter);
  check('environment', ENVIRONMENTS, environment);
  check('apiVersion', API_VERSIONS, apiVersion);
  return { apiBaseUrl: `https://${apiHost(dataCenter, environment)}/crm/${apiVersion}`, dataCenter };
}

/**
 * The API base URL and OAuth token URL of a data centre (default `us`), org type (default `production`)
 * and API version (default: the spec's default version); an unknown value throws a TypeError naming the option and the
 * values it takes.
 */
export function resolveEndpoints(options: EndpointOptions = {}): Endpoints {
  const { apiBaseUrl, dataCenter } = resolveApiBase(options);
  return { apiBaseUrl, tokenUrl: TOKEN_URLS[dataCenter] };
}
