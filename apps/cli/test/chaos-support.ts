// What the chaos tests share: a seeded random source (the seed is printed, CHAOS_SEED replays it) and
// the 429 a proxy in front of the sandbox answers itself.

/** mulberry32: a small seeded PRNG, so a failing run's kill points can be replayed. */
export function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The spec's TooManyRequests example (openapi/zoho-crm-sharing.yaml, components/examples). */
export const TOO_MANY = JSON.stringify({ code: 'TOO_MANY_REQUESTS', details: {}, message: 'You have exceeded the concurrency limit. Please try again later.', status: 'error' });
