import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { type AuthInfo, createMcpHandler } from '@modelcontextprotocol/server';
import type { Caller } from '../caller.js';
import type { HttpListen } from '../config.js';
import type { Logger } from '../logger.js';
import { metadataPaths, protectedResourceMetadata } from '../oauth/metadata.js';
import type { OAuthSettings } from '../oauth/settings.js';
import { type RequestContext, runInRequest } from '../request-context.js';
import type { ToolServerFactory } from '../server.js';
import { type Authenticator, type AuthResult, bearerTokenAuthenticator, callerDigest } from './auth.js';
import { oauthAuthenticator } from './auth-oauth.js';
import { corsPolicy } from './cors.js';
import { Drain } from './drain.js';
import { BodyTooLarge, originAllowed, readBody, requestIdOf } from './http-guards.js';
import { checkBind, hostGuard, isLoopback } from './http-hosts.js';
import { capConnections, DEFAULT_HTTP_LIMITS, type HttpLimits, limitOptions } from './http-limits.js';
import { MESSAGE_PATH, opensLegacyStream, SseSessions } from './legacy-sse.js';
import { PrometheusMetrics } from './metrics.js';

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
   * Accept OAuth access tokens of this issuer (the MCP authorization spec's resource server): JWTs
   * validated against its published keys, scopes mapped onto the policy, the protected resource metadata
   * served at `/.well-known/oauth-protected-resource`. `token` is still accepted beside it.
   */
  oauth?: OAuthSettings;
  /**
   * How a request proves who it is; default: OAuth access tokens with `oauth` (and `token` beside them),
   * else `token` as a static bearer token (nothing checked without one). Whatever it is, `token`, `oauth`
   * or `allowUnauthenticated` still decide whether a bind beyond loopback is allowed.
   */
  authenticate?: Authenticator;
  /**
   * Serve beyond loopback without `token` or `oauth` (a proxy in front authenticates). Without it such a
   * bind throws ConfigError.
   */
  allowUnauthenticated?: boolean;
  /** Host names answered besides loopback names and the bound address (see hostGuard). */
  allowedHosts?: string[];
  /** Browser origins served, with CORS; default loopback origins only. */
  allowedOrigins?: string[];
  /** Largest accepted request body, default 4 MiB (manifests can be large). */
  bodyLimit?: number;
  /** Timeouts and the connection cap; DEFAULT_HTTP_LIMITS for what is not given. */
  limits?: Partial<HttpLimits>;
  /** Also serve the legacy HTTP+SSE transport (2024-11-05): `GET /sse` (or a legacy GET /mcp), `POST /message`. */
  sse?: boolean;
  /** SSE streams open at once, default 128. */
  sseMaxSessions?: number;
  /** What `GET /readyz?verbose` adds for an authenticated caller (never secrets). */
  health?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  logger: Logger;
}

export interface HttpHandle {
  url: string;
  server: Server;
  /** Stops at once: every connection is closed, whatever it was doing. */
  close(): Promise<void>;
  /**
   * Stops gracefully: `/readyz` answers 503 and new work 503 at once (`/healthz` stays ok), running requests
   * and SSE streams with a call in flight may finish for up to `timeoutMs`, then everything is closed.
   * Resolves with how many were cut off (0 when all finished).
   */
  shutdown(timeoutMs: number): Promise<number>;
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

/** The probes: answered without credentials, and revealing nothing but that the process is up (or ready). */
const PROBES = new Set(['/healthz', '/health', '/readyz']);

/**
 * `/healthz`: the process is up, nothing more (it stays ok while shutting down); `/health`: the same in
 * the body the seed's probes expected (the K8s MCP server's); `/readyz`: 503 once shutting down, with
 * `details` for an authenticated `?verbose`.
 */
function answerProbe(
  res: ServerResponse,
  path: string,
  draining: boolean,
  details?: Record<string, unknown>,
) {
  if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
  if (path === '/health') return sendJson(res, 200, { status: 'healthy' });
  return sendJson(res, draining ? 503 : 200, { status: draining ? 'stopping' : 'ready', ...details });
}

/** Our routes and the methods each serves (405 and the CORS preflight say them). */
function routeMethods(sse: boolean, metadata: readonly string[]): Map<string, string[]> {
  const routes = new Map([
    ['/mcp', sse ? ['POST', 'GET'] : ['POST']],
    ['/metrics', ['GET']],
    ...[...PROBES, ...metadata].map((path): [string, string[]] => [path, ['GET']]),
  ]);
  if (sse) {
    routes.set('/sse', ['GET']);
    routes.set(MESSAGE_PATH, ['POST']);
  }
  return routes;
}

/**
 * What the SDK hands the server factory and the tools as `authInfo`: the binding digest and the caller
 * (see Caller); never the token. The scopes and the metadata URL are what the SDK's scope challenges
 * (a 403 `insufficient_scope` for a tool the caller's token does not cover) check and name.
 */
function authInfoOf(caller: Caller, binding: string, resourceMetadataUrl?: string): AuthInfo {
  return {
    token: '',
    clientId: caller.clientId ?? 'cloudmcp-http',
    scopes: [...caller.scopes],
    ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
    extra: { caller: binding, identity: caller },
  };
}

const AUTH_REFUSALS = {
  401: 'Unauthorized: missing or wrong bearer token',
  403: 'Forbidden: the access token grants no scope of this server',
  503: 'Service unavailable: access tokens cannot be checked now; try again',
} as const;

/** The answer to a request authentication refused: 401 with its challenge, 403, or 503 to retry. */
function refuse(res: ServerResponse, result: Extract<AuthResult, { ok: false }>) {
  const status = result.status ?? 401;
  rpcError(res, status, -32001, AUTH_REFUSALS[status], {
    ...(status !== 503 ? { 'www-authenticate': result.challenge ?? 'Bearer' } : {}),
    ...(result.retryAfter !== undefined ? { 'retry-after': String(result.retryAfter) } : {}),
  });
}

/**
 * The protected resource metadata (RFC 9728): public, and for any origin (`Access-Control-Allow-Origin:
 * *`, no credentials), as a browser client discovers the authorization server before it has a token.
 */
function answerMetadata(req: IncomingMessage, res: ServerResponse, document: unknown) {
  const cors = { 'access-control-allow-origin': '*' };
  if (req.method === 'OPTIONS') {
    const requested = req.headers['access-control-request-headers'] ?? '';
    const headers = /^[A-Za-z0-9, -]{1,512}$/.test(requested)
      ? { 'access-control-allow-headers': requested }
      : {};
    return void res
      .writeHead(204, { allow: 'GET', 'access-control-allow-methods': 'GET', ...cors, ...headers })
      .end();
  }
  if (req.method !== 'GET')
    return rpcError(res, 405, -32000, 'Method not allowed: GET the metadata', { allow: 'GET', ...cors });
  sendJson(res, 200, document, { 'cache-control': 'public, max-age=300', ...cors });
}

/** The GET that opened an SSE stream, as a web Request (what `requestDeps` reads headers from). */
function webRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(`http://localhost${(req.url ?? '/').split('?')[0]}`, { headers });
}

async function readJson(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<{ body: unknown } | undefined> {
  try {
    return { body: JSON.parse((await readBody(req, limit)).toString('utf8')) };
  } catch (error) {
    if (error instanceof BodyTooLarge) rpcError(res, 413, -32000, `Request body over ${limit} bytes`);
    else rpcError(res, 400, -32700, 'Parse error: the body is not JSON');
    return undefined;
  }
}

/**
 * Serves MCP over Streamable HTTP on `/mcp` in both protocol eras (2026-07-28 per request; 2025-era clients
 * statelessly, a fresh server per request), through the SDK's `createMcpHandler`; optionally the legacy
 * HTTP+SSE transport; `/metrics` (Prometheus); and the probes `/healthz`, `/health` and `/readyz`. Every
 * request passes, in order: the Host check, the Origin check (CORS for accepted origins; their preflight
 * is answered here), `authenticate` (except the probes), then its route. Loopback unless told otherwise;
 * beyond loopback only with a token or `allowUnauthenticated` (ConfigError otherwise).
 */
export async function serveHttp(options: HttpServeOptions): Promise<HttpHandle> {
  const { listen, logger } = options;
  const bodyLimit = options.bodyLimit ?? 4 * 1024 * 1024;
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const callerHeaders = options.callerHeaders ?? [];
  const credentialRequired = options.token !== undefined || options.oauth !== undefined;
  checkBind(listen.host, credentialRequired, options.allowUnauthenticated === true);
  if (!isLoopback(listen.host) && !credentialRequired) {
    logger.warn(`listening on ${listen.host} without a token: whoever reaches it past your proxy can use it`);
  }
  const hostAllowed = hostGuard({
    bound: listen.host,
    tokenRequired: credentialRequired,
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
  });
  const authenticate =
    options.authenticate ??
    (options.oauth
      ? oauthAuthenticator({
          settings: options.oauth,
          ...(options.token !== undefined ? { staticToken: options.token } : {}),
          callerHeaders,
          logger,
        })
      : bearerTokenAuthenticator(options.token, callerHeaders));
  const metadata = options.oauth ? protectedResourceMetadata(options.oauth) : undefined;
  const metadataRoutes = new Set(options.oauth ? metadataPaths(options.oauth) : []);
  const cors = corsPolicy(callerHeaders);
  const routes = routeMethods(options.sse === true, [...metadataRoutes]);
  const metrics = new PrometheusMetrics();
  const sessions = options.sse
    ? new SseSessions({
        factory: options.factory,
        maxSessions: options.sseMaxSessions ?? 128,
        logger,
        onEnd: () => drain.check(),
      })
    : undefined;
  const drain = new Drain(() => sessions?.size ?? 0);

  const handler = createMcpHandler((context) => options.factory(context), {
    maxRequestBodySize: bodyLimit,
    onerror: (error) => logger.debug('MCP request refused', { error: error.message }),
  });
  const nodeHandler = toNodeHandler(handler);

  const serveMcp = async (req: IncomingMessage, res: ServerResponse, auth: AuthInfo, binding: string) => {
    const read = await readJson(req, res, bodyLimit);
    if (!read) return;
    for (const id of cancelledIds(read.body)) options.factory.inflight.cancel(binding, id);
    Object.assign(req, { auth });
    await nodeHandler(req, res, read.body);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, request: RequestContext) => {
    const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
    const methods = routes.get(path);
    if (!methods) return sendJson(res, 404, { error: 'not found; MCP is served on /mcp' });
    if (!hostAllowed(req.headers.host))
      return rpcError(res, 403, -32000, 'Forbidden: Host is not a name of this server (see --allowed-hosts)');
    if (metadataRoutes.has(path)) return answerMetadata(req, res, metadata);
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!originAllowed(req, options.allowedOrigins))
        return rpcError(res, 403, -32000, 'Forbidden: Origin not allowed');
      for (const [name, value] of Object.entries(cors.response(origin))) res.setHeader(name, value);
    }
    if (req.method === 'OPTIONS') {
      const requested = req.headers['access-control-request-headers'];
      const allow = origin === undefined ? {} : cors.preflight(origin, methods, requested);
      return void res.writeHead(204, { allow: methods.join(', '), ...allow }).end();
    }
    if (!methods.includes(req.method ?? '')) {
      return rpcError(res, 405, -32000, `Method not allowed: ${path} takes ${methods.join(', ')}`, {
        allow: methods.join(', '),
      });
    }
    const verbose = path === '/readyz' && new URLSearchParams(query).has('verbose');
    if (PROBES.has(path) && !verbose) return answerProbe(res, path, drain.draining);
    // new work is turned away while draining; an open SSE stream may still post (its answers, cancellations)
    if (drain.draining && path !== MESSAGE_PATH) {
      return sendJson(res, 503, { error: 'shutting down; try again' }, { 'retry-after': '1' });
    }
    const result = await authenticate(req);
    if (!result.ok) {
      metrics.authFailure(result.reason);
      request.authFailure = result.reason;
      return refuse(res, result);
    }
    request.callerId = result.caller.id;
    if (result.caller.subject !== undefined) request.subject = result.caller.subject;
    const binding = result.binding ?? callerDigest(req, callerHeaders);
    const auth = authInfoOf(result.caller, binding, result.resourceMetadataUrl);
    if (verbose) return answerProbe(res, path, drain.draining, await options.health?.());
    if (path === '/metrics') {
      const { contentType, body } = await metrics.render();
      return void res.writeHead(200, { 'content-type': contentType }).end(body);
    }
    if (sessions && (path === '/sse' || (path === '/mcp' && opensLegacyStream(req)))) {
      return sessions.open(res, { binding, auth, request: webRequest(req) });
    }
    if (sessions && path === MESSAGE_PATH) {
      const read = await readJson(req, res, bodyLimit);
      if (!read) return;
      return sessions.post(res, new URLSearchParams(query).get('sessionId'), binding, read.body);
    }
    if (req.method !== 'POST') {
      return rpcError(res, 405, -32000, 'Method not allowed: this server is stateless; POST to /mcp', {
        allow: 'POST',
      });
    }
    return serveMcp(req, res, auth, binding);
  };

  const httpServer = createServer({ maxHeaderSize: 256 * 1024, ...limitOptions(limits) }, (req, res) => {
    const started = performance.now();
    const request: RequestContext = { requestId: requestIdOf(req), metrics };
    res.setHeader('x-request-id', request.requestId);
    res.setHeader('vary', 'Origin');
    // while draining, no connection is kept for another request
    if (drain.draining) res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const known = routes.has(path);
    const streams = req.method === 'GET' && (path === '/sse' || path === '/mcp');
    if (known && !PROBES.has(path) && !streams) drain.track(res);
    res.once('close', () =>
      runInRequest(request, () => {
        metrics.httpRequest(known ? path : 'other', res.statusCode);
        const fields = {
          method: req.method,
          path: known ? path : 'other',
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
          ...(request.authFailure ? { auth_failure: request.authFailure } : {}),
        };
        if (PROBES.has(path)) logger.debug('HTTP request', fields);
        else logger.info('HTTP request', fields);
      }),
    );
    runInRequest(request, () =>
      route(req, res, request).catch((error: unknown) => {
        logger.error('HTTP request failed', { error: String(error) });
        if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
        else res.end();
      }),
    );
  });

  capConnections(httpServer, limits.maxConnections, logger);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const close = () =>
    new Promise<void>((resolve) => {
      handler.close().catch(() => {});
      sessions?.closeAll();
      httpServer.closeAllConnections();
      httpServer.close(() => resolve());
    });
  return {
    url: `http://${host}:${address.port}/mcp`,
    server: httpServer,
    close,
    async shutdown(timeoutMs) {
      const waiting = drain.wait(timeoutMs);
      sessions?.drain();
      httpServer.closeIdleConnections();
      const unfinished = await waiting;
      await close();
      return unfinished;
    },
  };
}
