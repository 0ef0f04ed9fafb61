/**
 * Background work every few seconds on each instance: a run never overlaps the previous one (a
 * slow run skips ticks instead of piling up), errors go to `onError`, and `stop()` waits for the
 * run in flight so shutdown does not cut a transaction short.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Every `seconds`; 0 never (tests drive the work themselves). */
  start(seconds: number): void {
    if (seconds > 0) this.timer = setInterval(() => void this.run(), seconds * 1000).unref();
  }

  private run(): Promise<void> {
    this.inFlight ??= this.work()
      .then(() => undefined, this.onError)
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}
