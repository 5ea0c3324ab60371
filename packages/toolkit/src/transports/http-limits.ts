import type { Server, ServerOptions } from 'node:http';
import type { Logger } from '../logger.js';

// What Node 20 does (checked, not assumed): every accepted connection is watched from the moment it
// opens, so `headersTimeout` closes a connection that sends nothing as surely as one that trickles a header
// byte a second (both get `408 Request Timeout` and are closed). The check runs every
// `connectionsCheckingInterval`, 30 s by default, on top of a 60 s `headersTimeout`: an idle connection
// used to live up to 90 s, and 20 000 of them exhausted the file descriptors. `requestTimeout` ends once
// the request (headers and body) has arrived, so a tool call may then run and stream its answer for as
// long as it takes; no socket inactivity timeout is set, since that would cut a quiet long call.
// Between requests, `keepAliveTimeout` closes an idle kept-alive connection.

export interface HttpLimits {
  /** From the connection's start (or a later request's first byte): the request headers must be in. */
  headersTimeoutMs: number;
  /** The whole request, headers and body (up to the body cap), must be in; not the answer. */
  requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node looks for connections past those timeouts: they close within timeout + this. */
  checkIntervalMs: number;
  /** Connections open at once; past it a new connection is closed at once, without an answer. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnections: 512,
};

/** Node's server options for these limits. */
export function limitOptions(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
  };
}

const WARN_EVERY_MS = 60_000;

/**
 * Caps the connections open at once. Past the cap Node closes each new connection as soon as it is
 * accepted (the client sees the connection closed without an answer and may retry) and emits `drop`;
 * that is logged at most once a minute, so a flood cannot flood the log too.
 */
export function capConnections(server: Server, max: number, logger: Logger): void {
  server.maxConnections = max;
  let warnedAt = Number.NEGATIVE_INFINITY;
  server.on('drop', () => {
    const now = performance.now();
    if (now - warnedAt < WARN_EVERY_MS) return;
    warnedAt = now;
    logger.warn(`HTTP connection limit (${max}) reached: new connections are closed until others end`);
  });
}
