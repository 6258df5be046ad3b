// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = 'f7bb45118b003009b0e0ad5c5776ed3ee1fdf51074858ebb6701bcc4c6b52081';
