import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler } from '@modelcontextprotocol/server';
import type { HttpListen } from '../config.js';
import type { Logger } from '../logger.js';
import type { ToolServerFactory } from '../server.js';
import { BodyTooLarge, originAllowed, readBody, tokenAllowed } from './http-guards.js';
import { checkBind, hostGuard, isLoopback } from './http-hosts.js';
import { capConnections, DEFAULT_HTTP_LIMITS, type HttpLimits, limitOptions } from './http-limits.js';

export interface HttpServeOptions {
  listen: HttpListen;
  /** Builds a fresh MCP server for each request, in either protocol era (the SDK's `createMcpHandler`). */
  factory: ToolServerFactory;
  /**
   * Request headers that carry per-user credentials or choices (a kubeconfig, an environment): with the
   * bearer token they make up the caller's identity, to which confirmation state and cancellation are bound.
   */
  callerHeaders?: readonly string[];
  token?: string;
  /**
   * Serve beyond loopback without `token` (a proxy in front authenticates). Without it such a bind throws
   * ConfigError.
   */
  allowUnauthenticated?: boolean;
  /** Host names answered besides loopback names and the bound address (see hostGuard). */
  allowedHosts?: string[];
  allowedOrigins?: string[];
  /** Largest accepted request body, default 4 MiB (manifests can be large). */
  bodyLimit?: number;
  /** Timeouts and the connection cap; DEFAULT_HTTP_LIMITS for what is not given. */
  limits?: Partial<HttpLimits>;
  /** Extra fields for GET /healthz (never secrets). */
  health?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  logger: Logger;
}

export interface HttpHandle {
  url: string;
  server: Server;
  close(): Promise<void>;
}

// Health answers and refusals close their connection: neither a probe nor a client we turn away gets to
// keep a connection open (a kept-alive one would count against the cap until keepAliveTimeout).
const CLOSE = { connection: 'close' };

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res
    .writeHead(status, { 'content-type': 'application/json', ...CLOSE, ...headers })
    .end(JSON.stringify(body));
}

function rpcError(res: ServerResponse, status: number, code: number, message: string, headers = {}) {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

/**
 * Who is calling: a digest of the bearer token and the caller headers. Never the values themselves: it is
 * handed to the SDK as `authInfo`, and the state seal binds to it through an HMAC.
 */
function callerDigest(req: IncomingMessage, headers: readonly string[]): string {
  const hash = createHash('sha256');
  for (const name of ['authorization', ...headers]) {
    const value = req.headers[name.toLowerCase()];
    hash.update(`${name}\0${Array.isArray(value) ? value.join('\0') : (value ?? '')}\0`);
  }
  return hash.digest('base64url');
}

/** The request ids a 2025-era client cancels in this body (`notifications/cancelled`, batched or not). */
function cancelledIds(body: unknown): Array<string | number> {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    const m = message as { method?: unknown; params?: { requestId?: unknown } } | null;
    const id = m?.params?.requestId;
    return m?.method === 'notifications/cancelled' && (typeof id === 'string' || typeof id === 'number')
      ? [id]
      : [];
  });
}

/**
 * Serves MCP over Streamable HTTP on `/mcp` in both protocol eras (2026-07-28 per request; 2025-era clients
 * statelessly, a fresh server per request), through the SDK's `createMcpHandler`, plus `/healthz`. Loopback unless told otherwise;
 * beyond loopback only with a token or `allowUnauthenticated` (ConfigError otherwise).
 */
export async function serveHttp(options: HttpServeOptions): Promise<HttpHandle> {
  const { listen, logger } = options;
  const bodyLimit = options.bodyLimit ?? 4 * 1024 * 1024;
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  checkBind(listen.host, options.token !== undefined, options.allowUnauthenticated === true);
  if (!isLoopback(listen.host) && options.token === undefined) {
    logger.warn(`listening on ${listen.host} without a token: whoever reaches it past your proxy can use it`);
  }
  const hostAllowed = hostGuard({
    bound: listen.host,
    tokenRequired: options.token !== undefined,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  });

  const handler = createMcpHandler((context) => options.factory(context), {
    maxRequestBodySize: bodyLimit,
    onerror: (error) => logger.debug('MCP request refused', { error: error.message }),
  });
  const nodeHandler = toNodeHandler(handler);

  const handleMcp = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req.headers.host))
      return rpcError(res, 403, -32000, 'Forbidden: Host is not a name of this server (see --allowed-hosts)');
    if (!originAllowed(req, options.allowedOrigins))
      return rpcError(res, 403, -32000, 'Forbidden: Origin not allowed');
    if (!tokenAllowed(req, options.token)) {
      return rpcError(res, 401, -32001, 'Unauthorized: missing or wrong bearer token', {
        'www-authenticate': 'Bearer',
      });
    }
    if (req.method !== 'POST') {
      return rpcError(res, 405, -32000, 'Method not allowed: this server is stateless; POST to /mcp', {
        allow: 'POST',
      });
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, bodyLimit)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return rpcError(res, 413, -32000, `Request body over ${bodyLimit} bytes`);
      return rpcError(res, 400, -32700, 'Parse error: the body is not JSON');
    }
    const caller = callerDigest(req, options.callerHeaders ?? []);
    for (const id of cancelledIds(body)) options.factory.inflight.cancel(caller, id);
    const auth: AuthInfo = { token: '', clientId: 'cloudmcp-http', scopes: [], extra: { caller } };
    Object.assign(req, { auth });
    await nodeHandler(req, res, body);
  };

  const httpServer = createServer({ maxHeaderSize: 256 * 1024, ...limitOptions(limits) }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handle = async () => {
      if (path === '/mcp') return handleMcp(req, res);
      // `/health` too: the seed servers we replace answered there, and probes configured for them keep working.
      if ((path === '/healthz' || path === '/health') && req.method === 'GET') {
        if (!hostAllowed(req.headers.host)) return sendJson(res, 403, { status: 'forbidden' });
        return sendJson(res, 200, { status: 'ok', ...(await options.health?.()) });
      }
      sendJson(res, 404, { error: 'not found; MCP is served on /mcp' });
    };
    handle().catch((error: unknown) => {
      logger.error('HTTP request failed', { error: String(error) });
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
      else res.end();
    });
  });

  capConnections(httpServer, limits.maxConnections, logger);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/mcp`,
    server: httpServer,
    close: () =>
      new Promise<void>((resolve) => {
        handler.close().catch(() => {});
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
