import { AsyncLocalStorage } from 'node:async_hooks';
import { type Metrics, NO_METRICS } from './metrics.js';

/** What one HTTP request carries through everything it runs: its log lines and its metrics. */
export interface RequestContext {
  /** From the client's `X-Request-Id` when it is a safe token, else generated; echoed in the response. */
  requestId: string;
  /** The caller's non-secret id, once authenticated (see Caller.id). */
  callerId?: string;
  /** The authenticated subject, where the credential names one (an OAuth token's `sub`). */
  subject?: string;
  /** Why authentication refused the request (the auth failure metric's reason), for its log line. */
  authFailure?: string;
  /** Where the runtime and the upstream clients record what happened (the serving process's registry). */
  metrics: Metrics;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it starts, awaited or not) inside the request's context. */
export function runInRequest<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the HTTP request being served; undefined on stdio and outside requests. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** What the current request records into: the HTTP server's registry, or nothing (stdio, library use). */
export function metrics(): Metrics {
  return storage.getStore()?.metrics ?? NO_METRICS;
}
