// Bun and Deno: `bun run-checks.mjs PARAMS` / `deno run ... run-checks.mjs PARAMS`, PARAMS being the JSON
// that test.mjs passes (the built client's file URL and what runChecks needs; with `sandboxUrl`, the built
// `@zcrm-sharing/sandbox/fetch` to run in process). Prints the results as JSON.
import { runChecks, runInProcess } from './checks.mjs';

const params = JSON.parse(globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2]);
const client = await import(params.clientUrl);
const results = params.sandboxUrl ? await runInProcess(client, await import(params.sandboxUrl), params) : await runChecks(client, params);
console.log(JSON.stringify(results));
