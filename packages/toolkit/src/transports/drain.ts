import type { ServerResponse } from 'node:http';

/**
 * Graceful shutdown's bookkeeping: the requests being answered, and a wait for them (and for whatever else
 * is still open, such as SSE streams) to end, bounded by a timeout.
 */
export class Drain {
  private active = 0;
  private started = false;
  private waiter: (() => void) | undefined;

  constructor(private readonly othersOpen: () => number = () => 0) {}

  get draining(): boolean {
    return this.started;
  }

  /** Counts `res` as running until it is answered or its client goes away. */
  track(res: ServerResponse): void {
    this.active++;
    res.once('close', () => {
      this.active--;
      this.check();
    });
  }

  /** Something counted by `othersOpen` ended. */
  check(): void {
    if (this.waiter && this.active === 0 && this.othersOpen() === 0) this.waiter();
  }

  /** Starts draining; resolves with how many were still running when it stopped waiting (0: all done). */
  async wait(timeoutMs: number): Promise<number> {
    this.started = true;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
      this.check();
    });
    this.waiter = undefined;
    return this.active + this.othersOpen();
  }
}
