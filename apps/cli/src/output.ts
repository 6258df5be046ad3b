/** Where results go: a progress bar on a terminal, plain lines otherwise, JSON lines with --json. */
export interface Output {
  json: boolean;
  /**
   * Everything printed passes through this (the client's redaction: credentials and every access
   * token obtained). Set once the credentials are known.
   */
  redact: (text: string) => string;
  /** A human line on stderr (stdout stays clean for --json). */
  info(message: string): void;
  /** A machine-readable object on stdout (only with --json). */
  record(obj: Record<string, unknown>): void;
  progress(state: ProgressState): void;
  done(): void;
  spinner(text: string): { update(text: string): void; stop(final?: string): void };
  color: { green(s: string): string; red(s: string): string; yellow(s: string): string; dim(s: string): string };
}

export interface ProgressState {
  done: number;
  total: number;
  revoked: number;
  notShared: number;
  failed: number;
  concurrency: number;
  elapsedMs: number;
}

export function createOutput(options: { json: boolean; stream?: NodeJS.WriteStream; stdout?: { write(text: string): unknown } }): Output {
  const err = options.stream ?? process.stderr;
  const stdout = options.stdout ?? process.stdout;
  const tty = Boolean(err.isTTY) && !options.json;
  const useColor = tty && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  const paint = (code: number) => (s: string) => (useColor ? `\x1b[${code}m${s}\x1b[39m` : s);
  const color = { green: paint(32), red: paint(31), yellow: paint(33), dim: (s: string) => (useColor ? `\x1b[2m${s}\x1b[22m` : s) };
  let lastDraw = 0;
  let lastPlain = 0;
  let drawn = false;

  const clear = () => {
    if (drawn) err.write('\r\x1b[2K');
    drawn = false;
  };

  const out: Output = {
    json: options.json,
    redact: (text) => text,
    color,
    info(message) {
      clear();
      err.write(`${out.redact(message)}\n`);
    },
    record(obj) {
      if (options.json) stdout.write(`${out.redact(JSON.stringify(obj))}\n`);
    },
    progress(s) {
      const now = Date.now();
      const rate = s.elapsedMs > 0 ? (s.done / s.elapsedMs) * 1000 : 0;
      if (tty) {
        if (now - lastDraw < 80 && s.done < s.total) return;
        lastDraw = now;
        const width = 30;
        const frac = s.total ? s.done / s.total : 1;
        const filled = Math.round(frac * width);
        const bar = color.green('█'.repeat(filled)) + color.dim('░'.repeat(width - filled));
        err.write(
          `\r\x1b[2K${bar} ${s.done}/${s.total} ${(frac * 100).toFixed(0)}% ${rate.toFixed(0)}/s ` +
            `revoked ${s.revoked} · not shared ${s.notShared} · ${s.failed ? color.red(`failed ${s.failed}`) : 'failed 0'} · concurrency ${s.concurrency}`,
        );
        drawn = true;
      } else if (!options.json && (now - lastPlain >= 2000 || s.done === s.total)) {
        lastPlain = now;
        err.write(`progress: ${s.done}/${s.total} revoked=${s.revoked} not_shared=${s.notShared} failed=${s.failed} rate=${rate.toFixed(0)}/s concurrency=${s.concurrency}\n`);
      }
    },
    done() {
      if (drawn) err.write('\n');
      drawn = false;
    },
    spinner(text) {
      if (!tty) {
        if (!options.json) err.write(`${out.redact(text)}\n`);
        return {
          update: (t: string) => (!options.json ? err.write(`${out.redact(t)}\n`) : undefined),
          stop: (f?: string) => (f && !options.json ? err.write(`${out.redact(f)}\n`) : undefined),
        };
      }
      const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
      let i = 0;
      let current = out.redact(text);
      const timer = setInterval(() => err.write(`\r\x1b[2K${frames[i++ % frames.length]} ${current}`), 80);
      return {
        update: (t: string) => (current = out.redact(t)),
        stop: (final?: string) => {
          clearInterval(timer);
          err.write(`\r\x1b[2K${final ? `${out.redact(final)}\n` : ''}`);
        },
      };
    },
  };
  return out;
}
