import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Metrics, ToolOutcome } from '../metrics.js';
import type { AuthFailureReason } from './auth.js';

// Seconds: from a cached list (milliseconds) to a CloudStack job or a rollout waited for (minutes).
const CALL_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The HTTP server's Prometheus metrics, in a registry of its own (never prom-client's global one, so a
 * library user's registry is left alone), with the process's default metrics (CPU, memory, event loop).
 * Every label comes from a fixed set: tool names, outcomes, error kinds, our routes, status codes.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly calls = new Counter({
    name: 'cloudmcp_tool_calls_total',
    help: 'Tool calls by tool and outcome (ok, error, refused, input_required).',
    labelNames: ['tool', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly callSeconds = new Histogram({
    name: 'cloudmcp_tool_call_duration_seconds',
    help: 'How long tool calls took, by tool.',
    labelNames: ['tool'] as const,
    buckets: CALL_SECONDS,
    registers: [this.registry],
  });
  private readonly upstreamErrors = new Counter({
    name: 'cloudmcp_upstream_errors_total',
    help: 'Failed upstream requests by upstream and kind (timeout, network, malformed, http_429, http_5xx).',
    labelNames: ['upstream', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly upstreamRetries = new Counter({
    name: 'cloudmcp_upstream_retries_total',
    help: 'Retried upstream requests by upstream and reason (a status or a connection error code).',
    labelNames: ['upstream', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly authFailures = new Counter({
    name: 'cloudmcp_auth_failures_total',
    help: 'HTTP requests refused by authentication, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'cloudmcp_http_requests_total',
    help: 'HTTP requests answered, by route (other for unknown paths) and status.',
    labelNames: ['path', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  toolCall(tool: string, outcome: ToolOutcome, seconds: number): void {
    this.calls.inc({ tool, outcome });
    this.callSeconds.observe({ tool }, seconds);
  }

  upstreamError(upstream: string, kind: string): void {
    this.upstreamErrors.inc({ upstream, kind });
  }

  upstreamRetry(upstream: string, reason: string): void {
    this.upstreamRetries.inc({ upstream, reason });
  }

  authFailure(reason: AuthFailureReason): void {
    this.authFailures.inc({ reason });
  }

  httpRequest(path: string, status: number): void {
    this.requests.inc({ path, status: String(status) });
  }

  /** The text exposition format, with its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
