// Whether Zoho is reachable at all. Calls that got no HTTP answer (refused, reset, timed out; each
// already retried by the client) are counted; the endpoint counts as dead, and the run stops, when the
// last DEAD_AFTER calls all ended that way and no answer came in the last DEAD_WINDOW_MS (or none came
// in this run at all). One answer of any kind, even an error, means it is alive.

export const DEAD_AFTER = 10;
export const DEAD_WINDOW_MS = 30_000;

export class EndpointHealth {
  private failures = 0;
  private lastAnswerAt: number | undefined;

  constructor(
    private readonly now: () => number,
    private readonly deadAfter = DEAD_AFTER,
    private readonly windowMs = DEAD_WINDOW_MS,
  ) {}

  answered(): void {
    this.failures = 0;
    this.lastAnswerAt = this.now();
  }

  hasAnswered(): boolean {
    return this.lastAnswerAt !== undefined;
  }

  /** A call ended without an HTTP answer; true when the endpoint now counts as dead. */
  noAnswer(): boolean {
    this.failures++;
    return this.failures >= this.deadAfter && (this.lastAnswerAt === undefined || this.now() - this.lastAnswerAt >= this.windowMs);
  }

  /** Why it counts as dead, in words. */
  describe(): string {
    const since = this.lastAnswerAt === undefined ? 'none in this run' : `the last ${Math.round((this.now() - this.lastAnswerAt) / 1000)} s ago`;
    return `the last ${this.failures} calls got no answer (connection refused, reset or timed out, each retried), and no answer came (${since})`;
  }
}
