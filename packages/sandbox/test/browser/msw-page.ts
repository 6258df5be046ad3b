/// <reference lib="dom" />
// The page's script for the MSW check: sandboxHandlers() in MSW's worker (its script served by the test
// from 127.0.0.1); the client uses the page's own fetch, as an app under MSW does.
import { setupWorker } from 'msw/browser';
import { createSandbox, demoSeed } from '@zcrm-sharing/sandbox/fetch';
import { sandboxHandlers } from '@zcrm-sharing/sandbox/msw';
import { publish, RECORD, roundTrip } from './round-trip.ts';

publish(async () => {
  const sandbox = createSandbox({ seed: demoSeed({ records: 20 }) });
  await setupWorker(...sandboxHandlers(sandbox)).start({ quiet: true, serviceWorker: { url: '/mockServiceWorker.js' } });
  return { ...(await roundTrip()), record: sandbox.record('Contacts', RECORD), refreshes: sandbox.stats().tokenRefreshes };
});
