// MSW 2 (the sandbox's peer range is ^2 || ^3; the workspace tests MSW 3): run by test.mjs with Node in a
// scratch project whose `msw` is MSW 2.15.0 (.tools/ci/runtimes, package.json beside this file) and whose
// @zcrm-sharing packages are the built ones. The client on the global fetch and Zoho's EU URLs, under
// setupServer(...sandboxHandlers(sandbox)) with unhandled requests an error: runChecks, then the state.
import { createRequire } from 'node:module';
import * as client from '@zcrm-sharing/client';
import * as sandbox from '@zcrm-sharing/sandbox/fetch';
import { sandboxHandlers } from '@zcrm-sharing/sandbox/msw';
import { setupServer } from 'msw/node';
import { runChecks, stateCheck } from './checks.mjs';

const params = JSON.parse(process.argv[2]);
const version = createRequire(import.meta.url)('msw/package.json').version;
const s = sandbox.createSandbox({ seed: sandbox.demoSeed({ records: 30 }), rerunDurationMs: 600_000 });
const server = setupServer(...sandboxHandlers(s));
server.listen({ onUnhandledRequest: 'error' });
const results = await runChecks(client, params);
results.push(stateCheck(s, params.recordId), { id: 'msw-version', check: 'the msw resolved is MSW 2', ok: version.startsWith('2.'), detail: version });
server.close();
console.log(JSON.stringify(results));
