/**
 * A local server that answers like Zoho CRM's data sharing endpoints, with state: `startSandbox()`, a
 * seed file reader, and everything `@zcrm-sharing/sandbox/fetch` has (`createSandbox()`, the same
 * sandbox in process, with no socket), the demo seed and credentials, and the switches (latency,
 * faults, limits). Node, Bun, Deno.
 *
 * @module @zcrm-sharing/sandbox
 */
export * from './fetch.js';
export { startSandbox } from './server.js';
export type { Sandbox, SandboxOptions } from './server.js';
export { loadSeed } from './seed-file.js';
