/**
 * The in-process sandbox as MSW request handlers, for an existing MSW setup
 * (`setupServer(...sandboxHandlers(sandbox))` in Node, `setupWorker(...)` in a browser).
 *
 * @module @zcrm-sharing/sandbox/msw
 */
// One handler, matching every origin the sandbox answers (Zoho's hosts of every data centre, and its
// own); requests to any other origin are left to the user's other handlers.
import { http, type HttpHandler } from 'msw';
import { createSandbox, type InProcessSandbox } from './in-process.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** MSW handlers answering Zoho's API and accounts URLs (and `sandbox.url`) from `sandbox`. Default: a new `createSandbox()`. */
export function sandboxHandlers(sandbox: InProcessSandbox = createSandbox()): HttpHandler[] {
  // A RegExp is matched against the URL without its query: the origin, then the path.
  const origins = new RegExp(`^(?:${sandbox.origins.map(escape).join('|')})/`);
  return [http.all(origins, ({ request }) => sandbox.fetch(request))];
}
