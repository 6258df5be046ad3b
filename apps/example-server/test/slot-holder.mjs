// An instance that takes one Zoho slot on Postgres and then only waits, to be killed by a test: its
// lease row is left behind as a crashed server's would be. Built code (dist/), as the server runs it.
// Env: DATABASE_URL, SLOTS, LEASE_MS, MARGIN_MS, HOLD_MS. Prints "taken" once the slot is held.
import { PgSlots } from '../dist/concurrency/pg-slots.js';

const env = (name) => Number(process.env[name]);
const slots = await PgSlots.open(process.env.DATABASE_URL, env('SLOTS'), { leaseMs: env('LEASE_MS'), marginMs: env('MARGIN_MS'), holdMs: env('HOLD_MS') });
await slots.acquire('low');
console.log('taken');
setInterval(() => undefined, 60_000); // the renewals go on until the kill
