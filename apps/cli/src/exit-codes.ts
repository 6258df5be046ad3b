/** Documented exit codes (also in --help and the README). */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, AUTH: 3, PARTIAL: 4, BUSY: 5, INTERRUPTED: 130 } as const;
