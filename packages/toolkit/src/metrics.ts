/** How a tool call ended: a result, an error result, a refusal (policy or the user), or a question to the user. */
export type ToolOutcome = 'ok' | 'error' | 'refused' | 'input_required';

/**
 * What the runtime and the upstream clients count. The HTTP transport implements it with a Prometheus
 * registry of its own and serves it on `/metrics`; elsewhere (stdio, a library user's own transport) it
 * is a no-op. Packages reach it through `metrics()` (the current request's); label values must come from a
 * small fixed set (tool names, error kinds), never from what a caller sends.
 */
export interface Metrics {
  /** One tool call that ended, its outcome and how long it took. */
  toolCall(tool: string, outcome: ToolOutcome, seconds: number): void;
  /** An upstream failure: `timeout`, `network`, `malformed`, `http_429`, `http_5xx` … */
  upstreamError(upstream: string, kind: string): void;
  /** One retry of an upstream request, and why (`429`, `503`, `ECONNRESET` …). */
  upstreamRetry(upstream: string, reason: string): void;
}

export const NO_METRICS: Metrics = {
  toolCall: () => {},
  upstreamError: () => {},
  upstreamRetry: () => {},
};
