// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = 'e82dd1dc0ffd777a5826e16ec39ae1b2a0752e26a3797484cd3bd1e39c088d29';
