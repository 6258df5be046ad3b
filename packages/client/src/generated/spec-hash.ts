// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = '6174c3eb6f2dc4eab1620ed9c1322c98992f222d1d7713fbd1d0ee1f7dbfa212';
