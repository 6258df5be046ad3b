// The page's script for the in-process check: createSandbox().fetch handed to the client.
import { createSandbox, demoSeed } from '@zcrm-sharing/sandbox/fetch';
import { publish, RECORD, roundTrip } from './round-trip.ts';

publish(async () => {
  const sandbox = createSandbox({ seed: demoSeed({ records: 20 }) });
  return { ...(await roundTrip(sandbox.fetch)), record: sandbox.record('Contacts', RECORD), refreshes: sandbox.stats().tokenRefreshes };
});
