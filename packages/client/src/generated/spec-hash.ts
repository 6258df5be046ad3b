// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = '256c8f14dc0d01176b0fb75c2b12bc04cefa73e19b212f045f951c7bfa13cfba';
