/**
 * The sandbox in process, for every runtime (Node, Bun, Deno, workerd, browsers): `createSandbox()`
 * gives a `fetch` with no socket that answers Zoho's URLs. It imports no `node:` module; the HTTP
 * server (`startSandbox`) is the root entry's.
 *
 * @module @zcrm-sharing/sandbox/fetch
 */
export { createSandbox, DEFAULT_URL } from './in-process.js';
export type { InProcessOptions, InProcessSandbox, ResponseEntry } from './in-process.js';
export type { EngineOptions, SandboxControls } from './engine.js';
export { CONFIG_DEFAULTS, CONFIG_RANGES } from './config.js';
export type { SandboxConfig } from './config.js';
export { DEMO_ADMIN, DEMO_CREDENTIALS, allScopes, demoDirectory, demoSeed, shareScopeName } from './seed.js';
export type { Profile, SandboxSeed } from './seed.js';
export type { RecordState, SandboxStats, ShareEntry } from './state.js';
