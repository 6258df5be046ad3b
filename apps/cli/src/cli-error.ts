import type { ExitName } from './exit-codes.js';

/** An error the CLI reports in words and exits with `exit` for (a usage error, a lock held, a journal unwritable...). */
export class CliError extends Error {
  constructor(
    readonly exit: ExitName,
    message: string,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError('USAGE', message);
