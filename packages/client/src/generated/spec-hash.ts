// Written by scripts/generate.mjs after @hey-api/openapi-ts: the spec this folder was generated from.
export const SPEC_PATH = 'openapi/zoho-crm-sharing.yaml';
export const SPEC_SHA256 = '12cdfe8579bc12ca91579cc8149a7ce80491455678f5a459ae87481b8057c17a';
