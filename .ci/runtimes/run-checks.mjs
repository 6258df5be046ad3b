// Bun and Deno: `bun run-checks.mjs PARAMS` / `deno run ... run-checks.mjs PARAMS`, PARAMS being the JSON
// that test.mjs passes (the built client's file URL and what runChecks needs). Prints the results as JSON.
import { runChecks } from './checks.mjs';

const params = JSON.parse(globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2]);
const client = await import(params.clientUrl);
console.log(JSON.stringify(await runChecks(client, params)));
