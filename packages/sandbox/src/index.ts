export { startSandbox } from './server.js';
export type { RecordState, Sandbox, SandboxConfig, SandboxOptions, SandboxStats } from './server.js';
export { DEMO_CREDENTIALS, allScopes, demoSeed, loadSeed, shareScopeName } from './seed.js';
export type { SandboxSeed } from './seed.js';
