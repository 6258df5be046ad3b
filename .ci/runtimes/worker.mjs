// workerd: bundled with the built client by test.mjs (esbuild, as wrangler would), served on a local
// socket; each request carries the JSON parameters in ?params= and gets the results as JSON.
import * as client from '@zcrm-sharing/client';
import { runChecks } from './checks.mjs';

export default {
  async fetch(request) {
    const params = JSON.parse(new URL(request.url).searchParams.get('params'));
    return Response.json(await runChecks(client, params));
  },
};
