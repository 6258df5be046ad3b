/** Where results go: a progress bar on a terminal, plain lines otherwise, JSON lines with --json. */

/** Lines (invalid ids, duplicates, records still shared) listed one by one; the rest are counted (all are in --json). */
export const MAX_LISTED = 20;

export interface Output {
  json: boolean;
  /**
   * Everything printed passes through this (the client's redaction: credentials and every access
   * token obtained). Set once the credentials are known.
   */
  redact: (text: string) => string;
  /** A human line on stderr (stdout stays clean for --json). */
  info(message: string): void;
  /**
   * A machine-readable object on stdout (only with --json). Lines wait for the end of the event loop's
   * turn and go out in one write (a burst of answers is one system call, not one per record), or at
   * `flush()`; they are output, not the ledger (the journal is written at once).
   */
  record(obj: Record<string, unknown>): void;
  /** Writes the --json lines still waiting. */
  flush(): void;
  progress(state: ProgressState): void;
  done(): void;
  /**
   * A spinner on a terminal that redraws itself every tick, `text` given the time since it started
   * (so its elapsed time moves between polls); plain lines otherwise, one per update.
   */
  spinner(text: SpinnerText): Spinner;
  color: { green(s: string): string; red(s: string): string; yellow(s: string): string; dim(s: string): string };
}

export type SpinnerText = string | ((elapsedMs: number) => string);
export interface Spinner {
  update(text: SpinnerText): void;
  /** Clears the line, then prints `final` when given. No tick draws after it. */
  stop(final?: string): void;
}

export interface ProgressState {
  done: number;
  total: number;
  revoked: number;
  notShared: number;
  failed: number;
  concurrency: number;
  elapsedMs: number;
  /** API calls answered so far (each costs a credit). */
  credits?: number | undefined;
  /** What the first two counts are called (default `revoked`, `not shared`). */
  names?: readonly [string, string] | undefined;
}

/** What a terminal line is built of: text, and the colour to paint it (none: plain). */
type Segment = [text: string, paint?: (s: string) => string];

/** Columns assumed when a terminal does not say (`columns` undefined or 0). */
const DEFAULT_COLUMNS = 80;
const BAR_MAX = 30;
const BAR_MIN = 10;
const SPINNER_TICK_MS = 80;
/** --json output waiting for the end of a turn is written at once beyond this many characters. */
const PENDING_MAX = 64 * 1024;

/**
 * The segments cut to at most `width` visible characters (an ellipsis marks the cut), then painted:
 * the colour codes are not counted, so the line never wraps.
 */
export function fitLine(segments: Segment[], width: number): string {
  let room = Math.max(1, width);
  const total = segments.reduce((n, [t]) => n + [...t].length, 0);
  const cut = total > room;
  if (cut) room -= 1;
  let line = '';
  for (const [text, paint] of segments) {
    if (room <= 0) break;
    const chars = [...text];
    const part = chars.slice(0, room).join('');
    room -= Math.min(chars.length, room);
    line += paint && part ? paint(part) : part;
  }
  return cut ? `${line}…` : line;
}

export function createOutput(options: {
  json: boolean;
  stream?: NodeJS.WriteStream;
  stdout?: { write(text: string): unknown };
  now?: () => number;
}): Output {
  const err = options.stream ?? process.stderr;
  const stdout = options.stdout ?? process.stdout;
  const now = options.now ?? Date.now;
  const tty = Boolean(err.isTTY) && !options.json;
  const useColor = tty && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const paint = (code: number) => (s: string) => (useColor ? `\x1b[${code}m${s}\x1b[39m` : s);
  const color = { green: paint(32), red: paint(31), yellow: paint(33), dim: (s: string) => (useColor ? `\x1b[2m${s}\x1b[22m` : s) };
  // One column short of the width: some terminals wrap a line that fills the last column.
  const width = () => (err.columns || DEFAULT_COLUMNS) - 1;
  let lastDraw = -Infinity;
  let lastPlain = -Infinity;
  /** What is drawn on the current line (a progress bar or a spinner), cleared before any other output. */
  let drawn = false;
  /** Redraws the spinner after a line printed over it. */
  let redrawSpinner: (() => void) | undefined;
  /** --json lines not written yet, and whether a write of them is scheduled. */
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!pending) return;
    const text = pending;
    pending = '';
    stdout.write(text);
  };

  const clear = () => {
    if (drawn) err.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = (segments: Segment[]) => {
    err.write(`\r\x1b[2K${fitLine(segments, width())}`);
    drawn = true;
  };

  const out: Output = {
    json: options.json,
    redact: (text) => text,
    color,
    info(message) {
      clear();
      err.write(`${out.redact(message)}\n`);
      redrawSpinner?.();
    },
    record(obj) {
      if (!options.json) return;
      pending += `${out.redact(JSON.stringify(obj))}\n`;
      if (pending.length >= PENDING_MAX) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    progress(s) {
      const t = now();
      const rate = s.elapsedMs > 0 ? (s.done / s.elapsedMs) * 1000 : 0;
      if (tty) {
        if (t - lastDraw < 80 && s.done < s.total) return;
        lastDraw = t;
        const frac = s.total ? s.done / s.total : 1;
        const counts = `${s.done}/${s.total} ${(frac * 100).toFixed(0)}% ${rate.toFixed(0)}/s `;
        const [first, second] = s.names ?? ['revoked', 'not shared'];
        const stats: Segment[] = [
          [`${first} ${s.revoked} · ${second} ${s.notShared} · `],
          s.failed ? [`failed ${s.failed}`, color.red] : ['failed 0'],
          [`${s.credits !== undefined ? ` · credits ${s.credits}` : ''} · concurrency ${s.concurrency}`],
        ];
        const statsLength = stats.reduce((n, [text]) => n + [...text].length, 0);
        // The bar takes what the numbers leave, up to 30 columns; under 10 it is left out.
        const bar = Math.min(BAR_MAX, width() - counts.length - statsLength - 1);
        const filled = Math.round(frac * Math.max(bar, 0));
        draw([
          ...(bar >= BAR_MIN ? ([['█'.repeat(filled), color.green], ['░'.repeat(bar - filled), color.dim], [' ']] as Segment[]) : []),
          [counts],
          ...stats,
        ]);
      } else if (!options.json && (t - lastPlain >= 2000 || s.done === s.total)) {
        lastPlain = t;
        const [first, second] = (s.names ?? ['revoked', 'not shared']).map((n) => n.replace(/ /g, '_'));
        const credits = s.credits !== undefined ? ` credits=${s.credits}` : '';
        err.write(`progress: ${s.done}/${s.total} ${first}=${s.revoked} ${second}=${s.notShared} failed=${s.failed}${credits} rate=${rate.toFixed(0)}/s concurrency=${s.concurrency}\n`);
      }
    },
    done() {
      flush();
      if (drawn) err.write('\n');
      drawn = false;
    },
    spinner(text) {
      const started = now();
      let render: SpinnerText = text;
      const current = () => out.redact(typeof render === 'function' ? render(now() - started) : render);
      if (!tty) {
        if (!options.json) err.write(`${current()}\n`);
        return {
          update: (t) => {
            render = t;
            if (!options.json) err.write(`${current()}\n`);
          },
          stop: (f) => (f && !options.json ? err.write(`${out.redact(f)}\n`) : undefined),
        };
      }
      const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
      let i = 0;
      let stopped = false;
      const tick = () => {
        if (!stopped) draw([[`${frames[i++ % frames.length]} ${current()}`]]);
      };
      tick();
      const timer = setInterval(tick, SPINNER_TICK_MS);
      // The spinner never keeps the process alive by itself.
      timer.unref?.();
      redrawSpinner = tick;
      return {
        update: (t) => {
          render = t;
          tick();
        },
        stop: (final) => {
          if (stopped) return;
          stopped = true;
          clearInterval(timer);
          redrawSpinner = undefined;
          clear();
          if (final) err.write(`${out.redact(final)}\n`);
        },
      };
    },
  };
  return out;
}
