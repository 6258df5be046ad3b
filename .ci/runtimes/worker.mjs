// workerd: bundled with the built client and the built in-process sandbox by test.mjs (esbuild, as wrangler
// would), served on a local socket; each request carries the JSON parameters in ?params= and gets the
// results as JSON (`inProcess`: against createSandbox().fetch, made inside the request, as workerd wants).
import * as client from '@zcrm-sharing/client';
import * as sandbox from '@zcrm-sharing/sandbox/fetch';
import { runChecks, runInProcess } from './checks.mjs';

export default {
  async fetch(request) {
    const params = JSON.parse(new URL(request.url).searchParams.get('params'));
    return Response.json(params.inProcess ? await runInProcess(client, sandbox, params) : await runChecks(client, params));
  },
};
