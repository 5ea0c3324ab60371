/**
 * Tool calls in flight over HTTP, so that a 2025-era client's cancellation reaches them. Such a client cancels
 * by POSTing `notifications/cancelled` naming its request id; over stateless HTTP that POST is served by a
 * fresh server instance that does not know the call, so the transport looks the call up here. Calls are
 * keyed by the caller as well as the id: a client can only cancel its own calls. Per process: behind a load
 * balancer the cancellation must reach the process running the call (2026-07-28 clients cancel by closing
 * the call's own response stream, which has no such limit).
 */
export class InflightCalls {
  private readonly calls = new Map<string, AbortController>();

  track(caller: string, id: string | number): { signal: AbortSignal; release(): void } {
    const key = keyOf(caller, id);
    const controller = new AbortController();
    this.calls.set(key, controller);
    return {
      signal: controller.signal,
      release: () => {
        if (this.calls.get(key) === controller) this.calls.delete(key);
      },
    };
  }

  /** Aborts the caller's call with this id; false when there is none. */
  cancel(caller: string, id: string | number, reason = 'cancelled by the client'): boolean {
    const controller = this.calls.get(keyOf(caller, id));
    if (!controller) return false;
    controller.abort(new Error(reason));
    return true;
  }

  get size(): number {
    return this.calls.size;
  }
}

function keyOf(caller: string, id: string | number): string {
  return `${caller}\0${typeof id}:${id}`;
}
