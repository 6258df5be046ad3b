// The terminal output on a fake TTY (a stream that says isTTY with a given width): the progress line
// fits the width, truncated and never wrapped, and is redrawn in place; the spinner ticks on its own
// (fake timers, no clock) and stops cleanly; plain lines when not a terminal.
import { fc, test } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOutput, fitLine, type ProgressState } from '../src/output.ts';

/** A stream that records what is written, as a terminal of `columns` columns would receive it. */
function fakeTty(columns: number | undefined, isTTY = true) {
  const writes: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
/** The lines a terminal shows: \r returns to the start of the line, \n ends it. */
const screenLines = (writes: string[]) => visible(writes.join('')).split(/\r|\n/);

const states: ProgressState[] = [
  { done: 0, total: 3000, revoked: 0, notShared: 0, failed: 0, concurrency: 5, elapsedMs: 0 },
  { done: 1200, total: 3000, revoked: 1100, notShared: 99, failed: 1, concurrency: 10, elapsedMs: 2500 },
  { done: 987_654_321, total: 1_000_000_000, revoked: 987_000_000, notShared: 654_000, failed: 321, concurrency: 25, elapsedMs: 3_600_000 },
  { done: 3000, total: 3000, revoked: 2700, notShared: 300, failed: 0, concurrency: 12, elapsedMs: 6000 },
];

describe('the progress line', () => {
  it.each([40, 80, 200])('on a %i-column terminal: no line longer than the width, each draw in place (\\r, no newline)', (columns) => {
    let t = 0;
    const { stream, writes } = fakeTty(columns);
    const out = createOutput({ json: false, stream, now: () => (t += 1000) });
    for (const s of states) out.progress(s);
    const draws = writes.filter((w) => w.startsWith('\r'));
    expect(draws).toHaveLength(states.length);
    for (const d of draws) expect(d, 'redrawn in place').not.toContain('\n');
    for (const line of screenLines(writes)) expect([...line].length, line).toBeLessThan(columns);
    // Wide enough: the whole line, bar included; narrow: cut with an ellipsis, the counts first.
    const last = visible(draws.at(-1)!).slice(1); // after the "\r"
    if (columns >= 200) expect(last).toMatch(/^█{30} 3000\/3000 100% 500\/s revoked 2700 · not shared 300 · failed 0 · concurrency 12$/);
    if (columns === 40) expect(last).toMatch(/^3000\/3000 100% 500\/s revoked 2700 · no…$/);
    out.info('a line between draws');
    out.done();
    expect(writes.at(-1)).not.toBe('\n'); // info cleared the bar: nothing left to end
  });

  it('a terminal that reports no width is taken as 80 columns; the width is read at every draw (a resize)', () => {
    const { stream, writes } = fakeTty(undefined);
    let t = 0;
    const out = createOutput({ json: false, stream, now: () => (t += 1000) });
    out.progress(states[2]!);
    expect(Math.max(...screenLines(writes).map((l) => [...l].length))).toBeLessThan(80);
    (stream as { columns?: number }).columns = 30;
    out.progress(states[2]!);
    expect([...visible(writes.at(-1)!).slice(1)].length).toBeLessThan(30);
  });

  it('not a terminal: plain lines, one every 2 s and the last, no escape codes', () => {
    const { stream, writes } = fakeTty(80, false);
    let t = 0;
    const out = createOutput({ json: false, stream, now: () => (t += 500) });
    for (let i = 0; i <= 10; i++) out.progress({ ...states[1]!, done: i * 300 });
    expect(writes.join('')).not.toMatch(/\x1b|\r/);
    expect(writes.every((w) => w.startsWith('progress: ') && w.endsWith('\n'))).toBe(true);
    expect(writes.length).toBeLessThan(11);
    expect(writes.at(-1)).toMatch(/^progress: 3000\/3000 /);
  });

  it('fitLine counts characters, not colour codes, and cuts with an ellipsis', () => {
    const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
    expect(fitLine([['abc', red], ['def']], 10)).toBe('\x1b[31mabc\x1b[39mdef');
    expect(visible(fitLine([['abc', red], ['defgh']], 5))).toBe('abcd…');
    expect(visible(fitLine([['██████']], 3))).toBe('██…');
  });
});

describe('the spinner', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('ticks on its own: the elapsed time moves between updates; stop clears the line and nothing draws after it', () => {
    const { stream, writes } = fakeTty(80);
    const out = createOutput({ json: false, stream });
    const spin = out.spinner((ms) => `waiting ${(ms / 1000).toFixed(1)}s`);
    vi.advanceTimersByTime(1000);
    const shown = new Set(writes.map((w) => /waiting (\d+\.\d)s/.exec(visible(w))?.[1]).filter(Boolean));
    expect(shown.size, 'several elapsed times drawn without any update').toBeGreaterThan(5);
    expect(shown).toContain('1.0');
    spin.update((ms) => `computing ${(ms / 1000).toFixed(1)}s`);
    vi.advanceTimersByTime(200);
    expect(visible(writes.at(-1)!)).toMatch(/computing 1\.2s$/);
    spin.stop('done');
    const count = writes.length;
    expect(writes.slice(-2)).toEqual(['\r\x1b[2K', 'done\n']);
    vi.advanceTimersByTime(5000);
    expect(writes.length, 'no tick after stop').toBe(count);
    expect(vi.getTimerCount()).toBe(0);
    spin.stop(); // twice: nothing more
    expect(writes.length).toBe(count);
  });

  it('a line printed while it spins goes on its own line; the spinner is drawn again below it', () => {
    const { stream, writes } = fakeTty(40);
    const out = createOutput({ json: false, stream });
    out.spinner(() => 'x'.repeat(100));
    out.info('interrupted: ...');
    expect(writes.slice(-3)).toEqual(['\r\x1b[2K', 'interrupted: ...\n', expect.stringMatching(/^\r\x1b\[2K⠙ x+…$/)]);
    for (const line of screenLines(writes)) expect([...line].length).toBeLessThan(40);
  });

  it('not a terminal: a plain line at the start and per update, no timer', () => {
    const { stream, writes } = fakeTty(80, false);
    const out = createOutput({ json: false, stream });
    const spin = out.spinner('waiting');
    spin.update('computing');
    spin.stop('done');
    expect(writes).toEqual(['waiting\n', 'computing\n', 'done\n']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('--json lines', () => {
  const turn = () => new Promise<void>((r) => setImmediate(r));

  it('the lines of one turn of the event loop go out in one write, in order; flush() writes what waits; done() too', async () => {
    const writes: string[] = [];
    const out = createOutput({ json: true, stream: fakeTty(80, false).stream, stdout: { write: (s: string) => writes.push(s) } });
    for (let i = 0; i < 3; i++) out.record({ type: 'result', id: String(i) });
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toEqual(['{"type":"result","id":"0"}\n{"type":"result","id":"1"}\n{"type":"result","id":"2"}\n']);
    out.record({ type: 'summary' });
    out.flush();
    expect(writes.at(-1)).toBe('{"type":"summary"}\n');
    out.record({ type: 'result', id: '3' });
    out.done();
    expect(writes.at(-1)).toBe('{"type":"result","id":"3"}\n');
    await turn();
    expect(writes).toHaveLength(3); // nothing written twice
    // Past 64 KiB waiting, written at once rather than held in memory.
    out.record({ type: 'result', id: 'x'.repeat(70_000) });
    expect(writes).toHaveLength(4);
  });

  test.prop([fc.array(fc.oneof(fc.record({ id: fc.string({ maxLength: 40_000 }) }), fc.constantFrom('turn' as const, 'flush' as const)), { maxLength: 60 })], { numRuns: 50 })(
    'whatever the mix of lines, turns and flushes, stdout gets every line once, in order, redacted',
    async (steps) => {
      const writes: string[] = [];
      const out = createOutput({ json: true, stream: fakeTty(80, false).stream, stdout: { write: (s: string) => writes.push(s) } });
      out.redact = (t) => t.replaceAll('secret', '[redacted]');
      const expected: string[] = [];
      for (const step of steps) {
        if (step === 'turn') await turn();
        else if (step === 'flush') out.flush();
        else {
          out.record(step);
          expected.push(`${JSON.stringify(step).replaceAll('secret', '[redacted]')}\n`);
        }
      }
      out.flush();
      expect(writes.join('')).toBe(expected.join(''));
    },
  );
});
