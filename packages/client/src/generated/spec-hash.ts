// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = '2b3b4fe4813e2425129895bdc454d300ca2874917a2cd47830914983323f446f';
