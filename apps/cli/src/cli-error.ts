import type { ExitName } from './exit-codes.js';

/** An error the CLI reports in words and exits with `exit` for (a usage error, a lock held, a journal unwritable...). */
export class CliError extends Error {
  constructor(
    readonly exit: ExitName,
    message: string,
    /** For a usage error: the command whose --help to point at (empty: the global help). */
    readonly helpFor = '',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const usageError = (message: string, helpFor = '') => new CliError('USAGE', message, helpFor);

/** The line after a usage error. */
export const seeHelp = (helpFor: string) => `Run zcrm-sharing ${helpFor ? `${helpFor} ` : ''}--help for usage.`;
