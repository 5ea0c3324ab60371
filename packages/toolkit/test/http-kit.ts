import { request } from 'node:http';
import { z } from 'zod';
import {
  createLogger,
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  defineTool,
  type HttpHandle,
  type HttpServeOptions,
  type Logger,
  serveHttp,
} from '../src/index.js';

// What the HTTP tests share: a raw request (every header and status visible), the JSON-RPC bodies a
// 2025-era client sends statelessly, and a server of small tools.

export const TOKEN = 'http-kit-token-0123456789';
export const bearer = { authorization: `Bearer ${TOKEN}` };
export const mcpHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-06-18',
};

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request to the server's host and port, on a connection of its own. */
export function raw(handle: HttpHandle, path: string, init: RawInit = {}): Promise<RawResponse> {
  const url = new URL(handle.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A `tools/call` as a 2025-era client POSTs it (stateless: no initialize needed). */
export function callBody(name: string, args: Record<string, unknown> = {}, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
}

type RpcAnswer = { result?: Record<string, unknown>; error?: { message: string } };

/** The answer in a POST's response: a JSON body, or the SSE event that is not a notification. */
export function rpcResult(body: string): RpcAnswer {
  const events = [...body.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as RpcAnswer);
  return events.find((e) => 'result' in e || 'error' in e) ?? JSON.parse(body);
}

export const readOnly = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/** Echoes a word and the tenant of the `x-tenant` header (per-request deps). */
export const echo = defineTool({
  name: 'echo_get',
  title: 'Echo',
  description: 'Echoes a word and the tenant header the server saw.',
  toolset: 'echo',
  input: z.object({ word: z.string().describe('A word') }),
  output: z.object({ word: z.string(), tenant: z.string() }),
  annotations: readOnly,
  render: { kind: 'text', text: (o) => `${o.word} for ${o.tenant}` },
  async handler(input, ctx: { deps: { tenant: string } }) {
    return { word: input.word, tenant: ctx.deps.tenant };
  },
});

export const quietLogger = createLogger({ name: 't', level: 'error', write: () => {} });

/** serveHttp on 127.0.0.1, an ephemeral port, with the token, the tools, and `x-tenant` as a caller header. */
export async function serveTools(
  tools: Parameters<typeof createToolServer>[0]['tools'],
  options: Partial<HttpServeOptions> & { logger?: Logger } = {},
): Promise<HttpHandle> {
  const logger = options.logger ?? quietLogger;
  return serveHttp({
    listen: { host: '127.0.0.1', port: 0 },
    token: TOKEN,
    callerHeaders: ['x-tenant'],
    factory: createToolServer(
      { name: 'kit', version: '1', tools },
      {
        deps: { tenant: 'nobody' },
        requestDeps: (_deps, headers) => ({ tenant: headers.get('x-tenant') ?? 'nobody' }),
        policy: DEFAULT_POLICY,
        render: DEFAULT_RENDER,
        logger,
      },
    ),
    ...options,
    logger,
  });
}
