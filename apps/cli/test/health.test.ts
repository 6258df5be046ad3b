// The dead-endpoint rule on an injected clock: DEAD_AFTER calls in a row without an HTTP answer, and
// no answer in the last DEAD_WINDOW_MS (or none in the run at all).
import { describe, expect, it } from 'vitest';
import { DEAD_AFTER, DEAD_WINDOW_MS, EndpointHealth } from '../src/bulk/health.ts';

describe('EndpointHealth', () => {
  it('never answered: dead at the DEAD_AFTER-th failure in a row, whatever the time', () => {
    const h = new EndpointHealth(() => 0);
    for (let i = 1; i < DEAD_AFTER; i++) expect(h.noAnswer()).toBe(false);
    expect(h.noAnswer()).toBe(true);
    expect(h.describe()).toMatch(/the last 10 calls got no answer .*none in this run/);
  });

  it('after answers: dead only once the failures in a row span the window since the last answer', () => {
    let now = 1_000_000;
    const h = new EndpointHealth(() => now);
    h.answered();
    for (let i = 0; i < 50; i++) {
      now += 100; // 50 failures within 5 s of the last answer: a blip, not dead
      expect(h.noAnswer()).toBe(false);
    }
    now += DEAD_WINDOW_MS;
    expect(h.noAnswer()).toBe(true);
  });

  it('any answer (even an error) resets the count', () => {
    let now = 0;
    const h = new EndpointHealth(() => now);
    for (let i = 1; i < DEAD_AFTER; i++) h.noAnswer();
    h.answered();
    now += 10 * DEAD_WINDOW_MS;
    for (let i = 1; i < DEAD_AFTER; i++) expect(h.noAnswer()).toBe(false);
    expect(h.noAnswer()).toBe(true);
  });
});
