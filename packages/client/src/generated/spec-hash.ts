// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = 'b3f8458895f00a8c970d3d96144dcbb9a9400dc04f28d403d7c4a3f535ca040c';
