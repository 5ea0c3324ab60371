/**
 * One poller for every long operation (CloudStack async jobs, OCI work requests, OCM token projection):
 * growing intervals, progress notifications, cancellation and an overall deadline.
 */
import { sleep as defaultSleep } from './retry.js';

export interface PollStatus<T> {
  done: boolean;
  result?: T;
  /** 0..total when the upstream knows. */
  progress?: number;
  total?: number;
  message?: string;
}

export interface PollProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface PollOptions<T> {
  /** One status check. Receives the caller's signal (or one that never aborts). Its errors propagate. */
  check: (signal: AbortSignal) => Promise<PollStatus<T>>;
  /** Overall deadline, measured from the start of the first check. */
  timeoutMs: number;
  /** First wait, default 1000. */
  intervalMs?: number;
  /** Wait ceiling, default 5000. */
  maxIntervalMs?: number;
  /** Growth of the wait after each check, default 1.5. */
  factor?: number;
  signal?: AbortSignal;
  /** Called (and awaited) after every check that is not done; its errors are swallowed. */
  onProgress?: (p: PollProgress) => void | Promise<void>;
  /** Injectable for tests; should reject (or resolve early) when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Injectable clock in ms; default `performance.now()` (monotonic). */
  now?: () => number;
}

export type PollOutcome<T> =
  | { status: 'done'; result: T; polls: number; elapsedMs: number }
  | { status: 'timeout'; polls: number; elapsedMs: number; last?: PollStatus<T> }
  | { status: 'cancelled'; polls: number; elapsedMs: number; last?: PollStatus<T> };

/**
 * Polls `check` until it reports `done`, the deadline passes, or `signal` aborts.
 *
 * The first check runs at once; then the wait starts at `intervalMs` and grows by `factor` up to
 * `maxIntervalMs`, never sleeping past the deadline (the last check runs at the deadline). On timeout and
 * on cancellation the outcome carries the last status, so the caller can report the job id and the tool
 * to resume with.
 */
export async function poll<T>(opts: PollOptions<T>): Promise<PollOutcome<T>> {
  const intervalMs = opts.intervalMs ?? 1000;
  const maxIntervalMs = opts.maxIntervalMs ?? 5000;
  const factor = opts.factor ?? 1.5;
  assertRange('timeoutMs', opts.timeoutMs, 0);
  assertRange('intervalMs', intervalMs, 0);
  assertRange('maxIntervalMs', maxIntervalMs, 0);
  assertRange('factor', factor, 1);

  const now = opts.now ?? (() => performance.now());
  const sleep = opts.sleep ?? defaultSleep;
  const signal = opts.signal ?? new AbortController().signal;
  const start = now();
  const deadline = start + opts.timeoutMs;
  const progress = new ProgressCounter();
  let interval = Math.min(intervalMs, maxIntervalMs);
  let polls = 0;
  let last: PollStatus<T> | undefined;

  const ended = (status: 'timeout' | 'cancelled'): PollOutcome<T> => {
    const elapsedMs = now() - start;
    return last === undefined ? { status, polls, elapsedMs } : { status, polls, elapsedMs, last };
  };

  for (;;) {
    if (signal.aborted) return ended('cancelled');
    polls++;
    const checked = await untilAborted(() => opts.check(signal), signal);
    if (checked === ABORTED) return ended('cancelled');
    last = checked;
    if (last.done) {
      return { status: 'done', result: last.result as T, polls, elapsedMs: now() - start };
    }
    if (signal.aborted) return ended('cancelled');

    if (opts.onProgress) {
      try {
        await opts.onProgress(progress.next(last, polls));
      } catch {
        // A client that went away must not kill the job.
      }
    }

    const remaining = deadline - now();
    if (remaining <= 0) return ended('timeout');
    const wait = Math.min(interval, remaining);
    interval = Math.min(interval * factor, maxIntervalMs);
    try {
      await sleep(wait, signal);
    } catch (error) {
      if (signal.aborted) return ended('cancelled');
      throw error;
    }
  }
}

function assertRange(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw new RangeError(`poll: ${name} must be a number >= ${min}, got ${String(value)}`);
  }
}

const ABORTED: unique symbol = Symbol('aborted');

/**
 * Runs `fn` and settles with its result, or with ABORTED as soon as `signal` aborts, even when `fn` ignores
 * the signal (its late result or error is then dropped). An error thrown after the abort counts as the abort.
 */
function untilAborted<R>(fn: () => Promise<R>, signal: AbortSignal): Promise<R | typeof ABORTED> {
  return new Promise<R | typeof ABORTED>((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal.removeEventListener('abort', onAbort);
    let pending: Promise<R>;
    try {
      pending = Promise.resolve(fn());
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        if (signal.aborted) resolve(ABORTED);
        else reject(error);
      },
    );
  });
}

/**
 * Turns upstream statuses into a strictly increasing progress value (MCP requires it to increase on every
 * notification):
 * - the upstream's own progress whenever it increases (with its total);
 * - with no upstream total: the poll count (bumped past the last value sent if need be);
 * - with an upstream total but a stalled value: a step that creeps towards, and never reaches, one
 *   hundredth of the total above the upstream's last value, so the bar stays truthful and the upstream's
 *   next increase is reported as is.
 */
class ProgressCounter {
  private last = Number.NEGATIVE_INFINITY;
  private anchor: number | undefined;
  private total: number | undefined;
  private stalled = 0;

  next(status: PollStatus<unknown>, polls: number): PollProgress {
    const upstream = finite(status.progress);
    const total = finite(status.total);
    if (total !== undefined && total > 0) this.total = total;

    let value: number;
    if (upstream !== undefined && upstream > this.last) {
      value = upstream;
      this.anchor = upstream;
      this.stalled = 0;
    } else if (this.anchor === undefined || this.total === undefined) {
      value = Math.max(polls, Math.floor(this.last) + 1);
    } else {
      this.stalled++;
      const unit = this.total / 100;
      value = this.anchor + (unit * this.stalled) / (this.stalled + 1);
      if (!(value > this.last)) value = this.last + unit;
    }
    this.last = value;

    const out: PollProgress = { progress: value };
    // A total only means something next to the upstream's own progress values.
    if (this.total !== undefined && this.anchor !== undefined) out.total = this.total;
    if (status.message !== undefined) out.message = status.message;
    return out;
  }
}

function finite(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
