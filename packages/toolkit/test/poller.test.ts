import { describe, expect, it } from 'vitest';
import { type PollOptions, type PollProgress, type PollStatus, poll } from '../src/poller.js';
import { sleep as realSleep } from '../src/retry.js';

/** A fake clock: `sleep` records the delay and advances time instead of waiting. */
function fakeClock(start = 10_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    elapsed: () => t - start,
    sleep: async (ms: number, _signal: AbortSignal) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** A check that answers the given statuses in turn (the last one repeats) and counts its calls. */
function scripted<T>(statuses: PollStatus<T>[]) {
  let calls = 0;
  return {
    calls: () => calls,
    check: async (_signal: AbortSignal): Promise<PollStatus<T>> => {
      const status = statuses[Math.min(calls, statuses.length - 1)]!;
      calls++;
      return status;
    },
  };
}

function pending(n: number, extra: Partial<PollStatus<string>> = {}): PollStatus<string>[] {
  return Array.from({ length: n }, (_, i) => ({ done: false, message: `poll ${i + 1}`, ...extra }));
}

function base(
  clock: ReturnType<typeof fakeClock>,
): Pick<PollOptions<unknown>, 'now' | 'sleep' | 'timeoutMs'> {
  return { now: clock.now, sleep: clock.sleep, timeoutMs: 600_000 };
}

describe('poll', () => {
  it('returns done from the first check without sleeping', async () => {
    const clock = fakeClock();
    const job = scripted([{ done: true, result: { id: 'vm-1' } }]);
    const progress: PollProgress[] = [];
    const outcome = await poll({
      ...base(clock),
      check: job.check,
      timeoutMs: 60_000,
      onProgress: (p) => {
        progress.push(p);
      },
    });
    expect(outcome).toEqual({ status: 'done', result: { id: 'vm-1' }, polls: 1, elapsedMs: 0 });
    expect(clock.sleeps).toEqual([]);
    expect(progress).toEqual([]);
    expect(job.calls()).toBe(1);
  });

  it('waits growing intervals (1000, ×1.5, capped at 5000) until done', async () => {
    const clock = fakeClock();
    const job = scripted([...pending(7), { done: true, result: 'ok' }]);
    const outcome = await poll<string>({ ...base(clock), check: job.check, timeoutMs: 600_000 });
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
    expect(outcome).toEqual({ status: 'done', result: 'ok', polls: 8, elapsedMs: 23_125 });
    expect(job.calls()).toBe(8);
  });

  it('uses the given interval, factor and ceiling', async () => {
    const clock = fakeClock();
    const job = scripted([...pending(5), { done: true, result: 'ok' }]);
    await poll<string>({
      ...base(clock),
      check: job.check,
      timeoutMs: 600_000,
      intervalMs: 200,
      factor: 2,
      maxIntervalMs: 1000,
    });
    expect(clock.sleeps).toEqual([200, 400, 800, 1000, 1000]);
  });

  it('reports progress after every pending check, strictly increasing while the upstream stays at 40%', async () => {
    const clock = fakeClock();
    const job = scripted<string>([
      { done: false, progress: 10, total: 100, message: 'creating volume' },
      { done: false, progress: 40, total: 100, message: 'starting VM' },
      { done: false, progress: 40, total: 100, message: 'starting VM' },
      { done: false, progress: 40, total: 100, message: 'starting VM' },
      { done: false, progress: 40, total: 100, message: 'still starting' },
      { done: false, progress: 90, total: 100, message: 'attaching NIC' },
      { done: true, result: 'vm-1' },
    ]);
    const progress: PollProgress[] = [];
    const outcome = await poll<string>({
      ...base(clock),
      check: job.check,
      onProgress: (p) => {
        progress.push(p);
      },
    });
    expect(outcome.status).toBe('done');
    expect(progress).toHaveLength(6);
    const values = progress.map((p) => p.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    // The upstream's own values when they increase; while stalled, creeping within 1% above it.
    expect(values[0]).toBe(10);
    expect(values[1]).toBe(40);
    for (const v of values.slice(2, 5)) {
      expect(v).toBeGreaterThan(40);
      expect(v).toBeLessThan(41);
    }
    expect(values[5]).toBe(90);
    expect(progress.every((p) => p.total === 100)).toBe(true);
    expect(progress.map((p) => p.message)).toEqual([
      'creating volume',
      'starting VM',
      'starting VM',
      'starting VM',
      'still starting',
      'attaching NIC',
    ]);
  });

  it('stays strictly increasing over a long stall', async () => {
    const clock = fakeClock();
    const job = scripted<string>([
      { done: false, progress: 99, total: 100 },
      ...Array.from({ length: 2000 }, () => ({ done: false, progress: 99, total: 100 })),
      { done: true, result: 'x' },
    ]);
    const values: number[] = [];
    await poll<string>({
      ...base(clock),
      check: job.check,
      timeoutMs: Number.POSITIVE_INFINITY,
      onProgress: (p) => {
        values.push(p.progress);
      },
    });
    expect(values).toHaveLength(2001);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    expect(values.at(-1)!).toBeLessThan(100);
  });

  it('uses the poll count when the upstream gives no progress, and stays increasing when it goes back', async () => {
    const clock = fakeClock();
    const job = scripted<string>([
      { done: false },
      { done: false },
      { done: false, progress: 0 },
      { done: false, progress: 7 },
      { done: false, progress: 2 },
      { done: false },
      { done: true, result: 'x' },
    ]);
    const progress: PollProgress[] = [];
    await poll<string>({
      ...base(clock),
      check: job.check,
      onProgress: (p) => {
        progress.push(p);
      },
    });
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 7, 8, 9]);
    expect(progress.every((p) => p.total === undefined && p.message === undefined)).toBe(true);
  });

  it('times out with the last status, never sleeping past the deadline', async () => {
    const clock = fakeClock();
    const job = scripted(pending(100, { progress: 5, total: 100 }));
    const outcome = await poll<string>({ ...base(clock), check: job.check, timeoutMs: 4000 });
    // Checks at 0, 1000, 2500, then a shortened wait to the deadline and one last check at 4000.
    expect(clock.sleeps).toEqual([1000, 1500, 1500]);
    expect(outcome).toEqual({
      status: 'timeout',
      polls: 4,
      elapsedMs: 4000,
      last: { done: false, message: 'poll 4', progress: 5, total: 100 },
    });
    expect(job.calls()).toBe(4);
  });

  it('counts slow checks against the deadline', async () => {
    const clock = fakeClock();
    let calls = 0;
    const outcome = await poll<string>({
      ...base(clock),
      timeoutMs: 10_000,
      check: async () => {
        calls++;
        clock.advance(2100); // each check takes 2.1 s
        return { done: false, message: `check ${calls}` };
      },
    });
    // 0→2100, sleep 1000, →5200, sleep 1500, →8800, sleep min(2250, 1200), →12100: over, timeout.
    expect(clock.sleeps).toEqual([1000, 1500, 1200]);
    expect(outcome).toMatchObject({
      status: 'timeout',
      polls: 4,
      elapsedMs: 12_100,
      last: { message: 'check 4' },
    });
    let t = 0;
    for (const [i, s] of clock.sleeps.entries()) {
      t += 2100 + s;
      expect(t, `sleep ${i} ends by the deadline`).toBeLessThanOrEqual(10_000);
    }
  });

  it('with timeoutMs 0 checks once and times out', async () => {
    const clock = fakeClock();
    const job = scripted(pending(3));
    const outcome = await poll<string>({ ...base(clock), check: job.check, timeoutMs: 0 });
    expect(outcome).toEqual({
      status: 'timeout',
      polls: 1,
      elapsedMs: 0,
      last: { done: false, message: 'poll 1' },
    });
    expect(clock.sleeps).toEqual([]);
  });

  for (const mode of ['rejects', 'resolves early'] as const) {
    it(`is cancelled mid-sleep (the sleep ${mode}), with no further checks`, async () => {
      const clock = fakeClock();
      const controller = new AbortController();
      const job = scripted(pending(100));
      const outcome = await poll<string>({
        ...base(clock),
        check: job.check,
        signal: controller.signal,
        sleep: async (ms, signal) => {
          clock.sleeps.push(ms);
          if (clock.sleeps.length === 2) {
            clock.advance(700); // the abort arrives 700 ms into the 1500 ms wait
            controller.abort();
            if (mode === 'rejects') throw signal.reason;
            return;
          }
          clock.advance(ms);
        },
      });
      expect(outcome).toEqual({
        status: 'cancelled',
        polls: 2,
        elapsedMs: 1700,
        last: { done: false, message: 'poll 2' },
      });
      expect(clock.sleeps).toEqual([1000, 1500]);
      expect(job.calls()).toBe(2);
    });
  }

  it('is cancelled promptly during the real default sleep (a 60 s wait)', async () => {
    const controller = new AbortController();
    const job = scripted(pending(100));
    const outcome = await poll<string>({
      check: job.check,
      timeoutMs: 600_000,
      intervalMs: 60_000,
      signal: controller.signal,
      onProgress: () => {
        // The poller is about to sleep for 60 s; the test timeout (20 s) fails it unless the abort ends that.
        setImmediate(() => controller.abort());
      },
    });
    expect(outcome.status).toBe('cancelled');
    expect(outcome.polls).toBe(1);
    expect(job.calls()).toBe(1);
  });

  it('is cancelled during a check that ignores the signal and never settles', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let calls = 0;
    const outcome = await poll<string>({
      ...base(clock),
      signal: controller.signal,
      check: () => {
        calls++;
        if (calls === 1) return Promise.resolve({ done: false, message: 'queued' });
        queueMicrotask(() => controller.abort());
        return new Promise<PollStatus<string>>(() => {});
      },
    });
    expect(outcome).toEqual({
      status: 'cancelled',
      polls: 2,
      elapsedMs: 1000,
      last: { done: false, message: 'queued' },
    });
    expect(calls).toBe(2);
  });

  it('treats a check failing because of the abort as cancelled, not as an error', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const outcome = await poll<string>({
      ...base(clock),
      signal: controller.signal,
      check: async () => {
        controller.abort();
        throw new Error('The operation was aborted');
      },
    });
    expect(outcome).toEqual({ status: 'cancelled', polls: 1, elapsedMs: 0 });
  });

  it('never checks when the signal is already aborted', async () => {
    const clock = fakeClock();
    const job = scripted(pending(1));
    const outcome = await poll<string>({ ...base(clock), check: job.check, signal: AbortSignal.abort() });
    expect(outcome).toEqual({ status: 'cancelled', polls: 0, elapsedMs: 0 });
    expect(job.calls()).toBe(0);
  });

  it('passes the signal to check', async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const received: AbortSignal[] = [];
    await poll<string>({
      ...base(clock),
      signal: controller.signal,
      check: async (signal) => {
        received.push(signal);
        return { done: true, result: 'x' };
      },
    });
    expect(received).toEqual([controller.signal]);
  });

  it('rejects with the error thrown by check, and stops polling', async () => {
    const clock = fakeClock();
    let calls = 0;
    const boom = new Error('job 42 failed: insufficient capacity');
    const promise = poll<string>({
      ...base(clock),
      check: async () => {
        calls++;
        if (calls === 3) throw boom;
        return { done: false };
      },
    });
    await expect(promise).rejects.toBe(boom);
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([1000, 1500]);
  });

  it('ignores errors thrown or rejected by onProgress', async () => {
    const clock = fakeClock();
    const job = scripted([...pending(4), { done: true, result: 'ok' }]);
    let calls = 0;
    const outcome = await poll<string>({
      ...base(clock),
      check: job.check,
      onProgress: (p) => {
        calls++;
        if (p.progress % 2 === 1) throw new Error('client went away');
        return Promise.reject(new Error('transport closed'));
      },
    });
    expect(outcome).toEqual({ status: 'done', result: 'ok', polls: 5, elapsedMs: 8125 });
    expect(calls).toBe(4);
  });

  it('rejects invalid options', async () => {
    const check = async (): Promise<PollStatus<string>> => ({ done: true, result: 'x' });
    await expect(poll({ check, timeoutMs: Number.NaN })).rejects.toThrow(RangeError);
    await expect(poll({ check, timeoutMs: 1000, factor: 0.5 })).rejects.toThrow(/factor/);
    await expect(poll({ check, timeoutMs: 1000, intervalMs: -1 })).rejects.toThrow(/intervalMs/);
  });
});

describe('sleep', () => {
  it('rejects with the reason as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = realSleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(realSleep(60_000, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('resolves after the delay', async () => {
    await expect(realSleep(1)).resolves.toBeUndefined();
  });
});
