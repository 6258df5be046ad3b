import { defineConfig } from '@hey-api/openapi-ts';

// Types only: the request path is a few hand-written lines (src/core.ts and src/http.ts), which keeps
// the bundle small and the per-call overhead near raw fetch. The generated types keep it honest.
export default defineConfig({
  input: '../../openapi/zoho-crm-sharing.yaml',
  output: { path: process.env.ZCRM_GENERATE_OUT ?? 'src/generated' },
  plugins: ['@hey-api/typescript'],
});
