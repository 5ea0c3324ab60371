/**
 * Small timing helpers shared by the HTTP client and the poller.
 */

/**
 * Waits `ms` milliseconds. Rejects with the signal's reason as soon as `signal` aborts (or at once when it
 * already has), and clears its timer so nothing is left behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * "Full jitter" exponential backoff: a uniformly random delay in `[0, min(maxDelayMs, baseDelayMs * 2**retry))`.
 * `retry` counts from 0 (the wait before the first retry).
 */
export function fullJitterDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  return Math.max(0, Math.round(random() * ceiling));
}
