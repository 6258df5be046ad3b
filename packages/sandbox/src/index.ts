/**
 * A local server that answers like Zoho CRM's data sharing endpoints, with state: `startSandbox()`,
 * the demo seed and credentials, and the switches (latency, faults, limits).
 *
 * @module @zcrm-sharing/sandbox
 */
export { startSandbox } from './server.js';
export type { RecordState, Sandbox, SandboxConfig, SandboxOptions, SandboxStats, ShareEntry } from './server.js';
export { CONFIG_DEFAULTS, CONFIG_RANGES } from './config.js';
export { DEMO_ADMIN, DEMO_CREDENTIALS, allScopes, demoDirectory, demoSeed, shareScopeName } from './seed.js';
export { loadSeed } from './seed-file.js';
export type { Profile, SandboxSeed } from './seed.js';
