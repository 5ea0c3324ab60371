import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AuthInfo,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type MessageExtraInfo,
  parseJSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';
import type { Logger } from '../logger.js';
import type { ToolServerFactory } from '../server.js';

// The HTTP+SSE transport of protocol revision 2024-11-05, which the seed servers spoke (mcp-go's SSE server
// in cloudstack-mcp; fastapi-mcp's `mount()` in the K8s MCP server): `GET /sse` opens an event stream whose
// first event, `endpoint`, names where to POST (`/message?sessionId=…`); each POSTed JSON-RPC message is
// answered 202 and its response goes down the stream. Unlike /mcp this keeps state per connection: one
// MCP server instance, pinned to the 2025 era, lives as long as its stream.

/** The path the `endpoint` event names. */
export const MESSAGE_PATH = '/message';

/** A comment line now and then keeps proxies from cutting a quiet stream, and finds dead peers. */
const KEEP_ALIVE_MS = 25_000;

export interface SseSessionsOptions {
  factory: ToolServerFactory;
  /** Streams open at once; past it a new one gets 503. */
  maxSessions: number;
  logger: Logger;
  /** Called whenever a stream ends (the shutdown waits for them). */
  onEnd?: () => void;
}

/** What a stream was opened with: the caller (bound to every POST) and the request the server reads. */
export interface SseOpening {
  /** The caller digest (see callerDigest): a POST from anyone else does not find the session. */
  binding: string;
  auth: AuthInfo;
  /** The GET as a web Request: the server reads its per-user headers (requestDeps) from it. */
  request: Request;
}

/** One client's stream, as the SDK's Transport: what the server sends goes down it as `message` events. */
class SseSession implements Transport {
  readonly sessionId = randomBytes(18).toString('base64url');
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  /** Requests from the client not answered yet: a draining server closes the stream once there are none. */
  private readonly unanswered = new Set<string | number>();
  private keepAlive: NodeJS.Timeout | undefined;
  private closed = false;
  private closeWhenIdle = false;

  constructor(
    private readonly res: ServerResponse,
    readonly opening: SseOpening,
    private readonly onEnd: (session: SseSession) => void,
  ) {}

  async start(): Promise<void> {
    this.event('endpoint', `${MESSAGE_PATH}?sessionId=${this.sessionId}`);
    this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('the SSE stream is closed');
    this.event('message', JSON.stringify(message));
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      // an error answering an unreadable request carries no id
      if (message.id !== undefined) this.unanswered.delete(message.id);
      if (this.closeWhenIdle && this.unanswered.size === 0) this.end();
    }
  }

  /** A POSTed message: to the server, with the stream's caller and request. */
  receive(message: JSONRPCMessage): void {
    if (isJSONRPCRequest(message)) this.unanswered.add(message.id);
    this.onmessage?.(message, { authInfo: this.opening.auth, request: this.opening.request });
  }

  /** Ends the stream now if nothing is running, else after the last answer. */
  drain(): void {
    this.closeWhenIdle = true;
    if (this.unanswered.size === 0) this.end();
  }

  async close(): Promise<void> {
    this.end();
  }

  /** The stream ended, by us or by the client: the server instance is closed with it. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.res.end();
    this.onEnd(this);
    this.onclose?.();
  }

  private event(name: string, data: string): void {
    this.write(`event: ${name}\ndata: ${data}\n\n`);
  }

  // a write after the client went away would be an 'error' event nobody listens to
  private write(chunk: string): void {
    if (!this.res.writableEnded && !this.res.destroyed) this.res.write(chunk);
  }
}

export class SseSessions {
  private readonly sessions = new Map<string, SseSession>();
  private draining = false;

  constructor(private readonly options: SseSessionsOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  /** `GET /sse`: opens a stream and connects a fresh server to it; `headers` are ours (CORS, request id). */
  async open(res: ServerResponse, opening: SseOpening): Promise<void> {
    if (this.draining || this.sessions.size >= this.options.maxSessions) {
      res
        .writeHead(503, { 'content-type': 'application/json', 'retry-after': '5', connection: 'close' })
        .end(JSON.stringify({ error: 'too many SSE sessions; try again later' }));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const session = new SseSession(res, opening, (ended) => {
      this.sessions.delete(ended.sessionId);
      this.options.onEnd?.();
    });
    this.sessions.set(session.sessionId, session);
    res.once('close', () => session.end());
    const server = await this.options.factory({
      era: 'legacy',
      authInfo: opening.auth,
      requestInfo: opening.request,
    });
    await server.connect(session);
    this.options.logger.debug('SSE session opened', { sessions: this.sessions.size });
  }

  /**
   * `POST /message?sessionId=…` with one JSON-RPC message (or a batch): 202 once handed to the session,
   * 404 for an unknown session or another caller's (the same answer, so ids cannot be probed).
   */
  post(res: ServerResponse, sessionId: string | null, binding: string, body: unknown): void {
    const session = sessionId === null ? undefined : this.sessions.get(sessionId);
    if (!session || session.opening.binding !== binding) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'no such SSE session; open one with GET /sse' }));
      return;
    }
    let messages: JSONRPCMessage[];
    try {
      messages = (Array.isArray(body) ? body : [body]).map((m) => parseJSONRPCMessage(m));
    } catch {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'not a JSON-RPC message' }));
      return;
    }
    res.writeHead(202, { 'content-type': 'text/plain' }).end('Accepted');
    for (const message of messages) session.receive(message);
  }

  /** Shutting down: no new streams; each open one ends once its requests are answered. */
  drain(): void {
    this.draining = true;
    for (const session of [...this.sessions.values()]) session.drain();
  }

  closeAll(): void {
    for (const session of [...this.sessions.values()]) session.end();
  }
}

/** A legacy SSE client opening its stream on /mcp (fastapi-mcp's `mount()` served it there). */
export function opensLegacyStream(req: IncomingMessage): boolean {
  return (
    req.method === 'GET' &&
    (req.headers.accept ?? '').includes('text/event-stream') &&
    // a Streamable HTTP client's GET names its protocol version (or session); the old transport's does not
    req.headers['mcp-protocol-version'] === undefined &&
    req.headers['mcp-session-id'] === undefined
  );
}
