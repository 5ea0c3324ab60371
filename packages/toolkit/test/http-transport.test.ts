import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createLogger,
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  defineTool,
  type HttpHandle,
  serveHttp,
} from '../src/index.js';
import { type RawInit, raw as rawRequest } from './http-kit.js';

const TOKEN = 'test-token-0123456789abcdef';

const echo = defineTool({
  name: 'echo_get',
  title: 'Echo',
  description: 'Echoes a header seen by the server.',
  toolset: 'echo',
  input: z.object({ word: z.string().describe('A word') }),
  output: z.object({ word: z.string(), tenant: z.string() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  render: { kind: 'text', text: (o) => `${o.word} for ${o.tenant}` },
  async handler(input, ctx: { deps: { tenant: string } }) {
    return { word: input.word, tenant: ctx.deps.tenant };
  },
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** What the waiting tool saw: resolved when a call starts, and when its signal aborts. */
let started = deferred<void>();
let aborted = deferred<string>();

const wait = defineTool({
  name: 'wait_run',
  title: 'Wait',
  description: 'Waits until cancelled.',
  toolset: 'echo',
  input: z.object({}),
  output: z.object({ done: z.boolean() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  render: { kind: 'object' },
  async handler(_input, ctx) {
    started.resolve();
    await new Promise<void>((resolve) => {
      ctx.signal.addEventListener('abort', () => {
        aborted.resolve(String(ctx.signal.reason));
        resolve();
      });
    });
    return { done: false };
  },
});

let handle: HttpHandle;
const logger = createLogger({ name: 't', level: 'error', write: () => {} });

beforeAll(async () => {
  handle = await serveHttp({
    listen: { host: '127.0.0.1', port: 0 },
    token: TOKEN,
    bodyLimit: 64 * 1024,
    logger,
    health: () => ({ server: 'echo' }),
    factory: createToolServer(
      { name: 'echo', version: '1', tools: [echo, wait] },
      {
        deps: { tenant: 'nobody' },
        requestDeps: (_deps, headers) => ({ tenant: headers.get('x-tenant') ?? 'nobody' }),
        policy: DEFAULT_POLICY,
        render: DEFAULT_RENDER,
        logger,
      },
    ),
    callerHeaders: ['x-tenant'],
  });
});
afterAll(() => handle.close());

const raw = (path: string, init?: RawInit) => rawRequest(handle, path, init);

const initBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('Streamable HTTP transport', () => {
  it.each(['legacy', 'modern'] as const)(
    '%s era: binds to loopback and serves a real client with a bearer token, per-request deps',
    async (era) => {
      expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const client = new Client(
        { name: 'c', version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(handle.url), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}`, 'x-tenant': 'acme' } },
        }),
      );
      const result = await client.callTool({ name: 'echo_get', arguments: { word: 'hello' } });
      expect(result.content).toEqual([{ type: 'text', text: 'hello for acme' }]);
      expect(client.getProtocolEra()).toBe(era);
      await client.close();
    },
  );

  it.each(['legacy', 'modern'] as const)(
    '%s era: a client that cancels a call stops its handler',
    async (era) => {
      started = deferred<void>();
      aborted = deferred<string>();
      const client = new Client(
        { name: 'c', version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(handle.url), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
        }),
      );
      const controller = new AbortController();
      const call = client.callTool({ name: 'wait_run', arguments: {} }, { signal: controller.signal });
      await started.promise;
      controller.abort('the user pressed stop');
      await expect(call).rejects.toThrow();
      // 2025 era: a `notifications/cancelled` POST, matched to the call by caller and id; 2026-07-28: the
      // call's own response stream closes
      expect(await aborted.promise).toBeTruthy();
      await client.close();
    },
  );

  it('refuses a missing or wrong token', async () => {
    expect((await raw('/mcp', { method: 'POST', headers: mcpHeaders, body: initBody })).status).toBe(401);
    const wrong = { ...mcpHeaders, authorization: 'Bearer nope' };
    expect((await raw('/mcp', { method: 'POST', headers: wrong, body: initBody })).status).toBe(401);
  });

  it('refuses foreign Host and Origin headers (DNS rebinding)', async () => {
    const auth = { ...mcpHeaders, authorization: `Bearer ${TOKEN}` };
    const evilHost = await raw('/mcp', {
      method: 'POST',
      headers: { ...auth, host: 'evil.example' },
      body: initBody,
    });
    expect(evilHost.status).toBe(403);
    const evilOrigin = await raw('/mcp', {
      method: 'POST',
      headers: { ...auth, origin: 'https://evil.example' },
      body: initBody,
    });
    expect(evilOrigin.status).toBe(403);
    const localOrigin = await raw('/mcp', {
      method: 'POST',
      headers: { ...auth, origin: 'http://localhost:3000' },
      body: initBody,
    });
    expect(localOrigin.status).toBe(200);
  });

  it('caps the body, rejects non-JSON and GET on /mcp', async () => {
    const auth = { ...mcpHeaders, authorization: `Bearer ${TOKEN}` };
    const big = await raw('/mcp', { method: 'POST', headers: auth, body: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect((await raw('/mcp', { method: 'POST', headers: auth, body: '{nope' })).status).toBe(400);
    expect((await raw('/mcp', { method: 'GET', headers: auth })).status).toBe(405);
  });

  it('answers the probes without credentials, revealing nothing; the details need the token; 404 elsewhere', async () => {
    const health = await raw('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    expect(JSON.parse((await raw('/health')).body)).toEqual({ status: 'healthy' });
    expect(JSON.parse((await raw('/readyz')).body)).toEqual({ status: 'ready' });
    expect((await raw('/readyz?verbose')).status).toBe(401);
    const verbose = await raw('/readyz?verbose', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(JSON.parse(verbose.body)).toEqual({ status: 'ready', server: 'echo' });
    expect((await raw('/other')).status).toBe(404);
  });
});
