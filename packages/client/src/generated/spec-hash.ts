// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = '6573237512a1acf2eb2440e184b69a85187e91525efab1f6df69b9d2f32998c3';
