// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = 'f87a8cfeba1d545f534b4c3f1a9d10236a4ab3cfda91d882cd8ad16fbda63120';
