// Preload (`node --import <this file> snippet.mjs`) that sends a program's requests for Zoho's hosts to a
// running sandbox instead, so a README snippet written for Zoho runs unchanged: the docs tests and the
// registry install step run the snippets as printed, with `ZCRM_SANDBOX_URL=http://127.0.0.1:<port>`.
// Zoho's hosts are not typed here: they come from the client the program itself imports (every data
// centre and org type the spec lists), so a new data centre in the spec is routed without a change here.
// Only the global `fetch` is routed; a snippet using `@zcrm-sharing/client/node` passes the sandbox's
// URLs itself.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const target = process.env.ZCRM_SANDBOX_URL;
if (!target) throw new Error('zoho-hosts-to-sandbox: set ZCRM_SANDBOX_URL to the sandbox origin (http://127.0.0.1:<port>)');
const sandbox = new URL(target);

// The client as the program resolves it (the project in the working directory), not this file's folder.
const require = createRequire(pathToFileURL(`${process.cwd()}/`));
const client = await import(pathToFileURL(require.resolve('@zcrm-sharing/client')).href);
const hosts = new Set();
for (const dataCenter of client.DATA_CENTER_CODES) {
  for (const environment of client.ENVIRONMENTS) {
    const { apiBaseUrl, tokenUrl } = client.resolveEndpoints({ dataCenter, environment });
    hosts.add(new URL(apiBaseUrl).host);
    hosts.add(new URL(tokenUrl).host);
  }
}

const zohoFetch = globalThis.fetch;
globalThis.fetch = function fetchThroughSandbox(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!hosts.has(url.host)) return zohoFetch(input, init);
  const routed = new URL(`${url.pathname}${url.search}`, sandbox);
  return zohoFetch(input instanceof Request ? new Request(routed, input) : routed, init);
};
