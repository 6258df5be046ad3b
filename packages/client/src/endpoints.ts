// Data centres, org types and API versions, as the spec states them (src/generated/zoho.ts).
import { API_HOST_PREFIXES, API_VERSIONS, DATA_CENTERS, DEFAULT_API_VERSION, apiHost, type DataCenter, type Environment } from './generated/zoho.js';

export type { DataCenter, Environment };

/** The data centres, by the short code users know them by (us, eu, in, au, jp, cn, ca, sa). */
export const DATA_CENTER_CODES = Object.keys(DATA_CENTERS) as DataCenter[];

export interface Endpoints {
  /** `https://{www|sandbox|developer}.zohoapis.{domain}/crm/{version}` */
  apiBaseUrl: string;
  /** The data centre's OAuth token URL. */
  tokenUrl: string;
}

const check = (name: string, list: readonly string[], got: string) => {
  if (!list.includes(got)) throw new TypeError(`${name}: expected one of ${list.join(', ')}, got ${JSON.stringify(got)}`);
};

export function resolveEndpoints(options: { dataCenter?: DataCenter; environment?: Environment; apiVersion?: string } = {}): Endpoints {
  const { dataCenter = 'us', environment = 'production', apiVersion = DEFAULT_API_VERSION } = options;
  check('dataCenter', DATA_CENTER_CODES, dataCenter);
  check('environment', Object.keys(API_HOST_PREFIXES), environment);
  check('apiVersion', API_VERSIONS, apiVersion);
  return { apiBaseUrl: `https://${apiHost(dataCenter, environment)}/crm/${apiVersion}`, tokenUrl: DATA_CENTERS[dataCenter].tokenUrl };
}
