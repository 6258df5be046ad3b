// `@zcrm-sharing/sandbox` (Node, Bun, Deno): the HTTP server (`startSandbox`), a seed file reader, and
// everything `@zcrm-sharing/sandbox/fetch` has (`createSandbox`, the in-process sandbox).
export * from './fetch.js';
export { startSandbox } from './server.js';
export type { Sandbox, SandboxOptions } from './server.js';
export { loadSeed } from './seed-file.js';
