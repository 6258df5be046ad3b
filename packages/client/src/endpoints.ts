/** Zoho data centres, by the short code users know them by. */
export type DataCenter = 'us' | 'eu' | 'in' | 'au' | 'jp' | 'cn' | 'ca' | 'sa';
/** Production orgs, sandbox orgs and developer orgs live on different API hosts. */
export type Environment = 'production' | 'sandbox' | 'developer';

// API domain suffix and accounts (OAuth) host per data centre. Canada's accounts host is not
// accounts.zoho.ca but accounts.zohocloud.ca.
const DATA_CENTERS: Record<DataCenter, { api: string; accounts: string }> = {
  us: { api: 'com', accounts: 'accounts.zoho.com' },
  eu: { api: 'eu', accounts: 'accounts.zoho.eu' },
  in: { api: 'in', accounts: 'accounts.zoho.in' },
  au: { api: 'com.au', accounts: 'accounts.zoho.com.au' },
  jp: { api: 'jp', accounts: 'accounts.zoho.jp' },
  cn: { api: 'com.cn', accounts: 'accounts.zoho.com.cn' },
  ca: { api: 'ca', accounts: 'accounts.zohocloud.ca' },
  sa: { api: 'sa', accounts: 'accounts.zoho.sa' },
};

const HOST_PREFIX: Record<Environment, string> = { production: 'www', sandbox: 'sandbox', developer: 'developer' };

export const DATA_CENTER_CODES = Object.keys(DATA_CENTERS) as DataCenter[];

export interface Endpoints {
  /** `https://{www|sandbox|developer}.zohoapis.{domain}/crm/{version}` */
  apiBaseUrl: string;
  /** The data centre's OAuth token URL. */
  tokenUrl: string;
}

export function resolveEndpoints(options: { dataCenter?: DataCenter; environment?: Environment; apiVersion?: string } = {}): Endpoints {
  const dc = options.dataCenter ?? 'us';
  const env = options.environment ?? 'production';
  const version = options.apiVersion ?? 'v8';
  const hosts = DATA_CENTERS[dc];
  if (!hosts) throw new TypeError(`dataCenter: expected one of ${DATA_CENTER_CODES.join(', ')}, got ${JSON.stringify(dc)}`);
  const prefix = HOST_PREFIX[env];
  if (!prefix) throw new TypeError(`environment: expected production, sandbox or developer, got ${JSON.stringify(env)}`);
  if (!/^v\d+(\.\d+)?$/.test(version)) throw new TypeError(`apiVersion: expected a version like "v8" or "v2.1", got ${JSON.stringify(version)}`);
  return {
    apiBaseUrl: `https://${prefix}.zohoapis.${hosts.api}/crm/${version}`,
    tokenUrl: `https://${hosts.accounts}/oauth/v2/token`,
  };
}
