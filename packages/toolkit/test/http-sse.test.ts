import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type HttpHandle } from '../src/index.js';
import { bearer, echo, raw, serveTools } from './http-kit.js';

// The legacy HTTP+SSE transport (2024-11-05) the seed servers spoke, driven by the SDK's own
// SSEClientTransport: a stream per client, each with its own server instance, caller and headers.

const drop = defineTool({
  name: 'thing_delete',
  title: 'Delete a thing',
  description: 'Deletes a thing (asks first).',
  toolset: 'echo',
  input: z.object({ name: z.string().describe('Its name') }),
  output: z.object({ deleted: z.string() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  render: { kind: 'text', text: (o) => `deleted ${o.deleted}` },
  async handler(input) {
    return { deleted: input.name };
  },
});

let sse: HttpHandle;
let plain: HttpHandle;

beforeAll(async () => {
  [sse, plain] = await Promise.all([serveTools([echo, drop], { sse: true }), serveTools([echo])]);
});
afterAll(async () => {
  await Promise.all([sse?.close(), plain?.close()]);
});

async function connectSse(path: string, headers: Record<string, string>, elicit = false) {
  const client = new Client(
    { name: 'seed-style', version: '1' },
    elicit ? { capabilities: { elicitation: {} } } : {},
  );
  const asked: string[] = [];
  if (elicit) {
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(req.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
  }
  const transport = new SSEClientTransport(new URL(path, sse.url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport, asked };
}

/** Opens a stream by hand and reads its first event: the endpoint to POST to. */
async function openRaw(headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(new URL('/sse', sse.url), { headers, signal: controller.signal });
  const reader = res.body!.getReader();
  let text = '';
  while (!/\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  return { res, endpoint: /^data: (.*)$/m.exec(text)![1]!, close: () => controller.abort() };
}

describe('legacy HTTP+SSE (--sse)', () => {
  it('a seed-style client completes initialize → tools/list → tools/call', async () => {
    const { client } = await connectSse('/sse', { ...bearer, 'x-tenant': 'acme' });
    expect(client.getServerVersion()?.name).toBe('kit');
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['echo_get', 'thing_delete']);
    const result = await client.callTool({ name: 'echo_get', arguments: { word: 'hello' } });
    expect(result.content).toEqual([{ type: 'text', text: 'hello for acme' }]);
    await client.close();
  });

  it('the stream is where the endpoint event says, and its POSTs are answered 202', async () => {
    const stream = await openRaw(bearer);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.endpoint).toMatch(/^\/message\?sessionId=[A-Za-z0-9_-]{24}$/);
    const posted = await raw(sse, stream.endpoint, {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(posted.status).toBe(202);
    expect(posted.body).toBe('Accepted');
    stream.close();
  });

  it('sessions are apart: each its own caller and headers; nobody else posts into one', async () => {
    const a = await connectSse('/sse', { ...bearer, 'x-tenant': 'acme' });
    const b = await connectSse('/sse', { ...bearer, 'x-tenant': 'umbrella' });
    const [ra, rb] = await Promise.all([
      a.client.callTool({ name: 'echo_get', arguments: { word: 'a' } }),
      b.client.callTool({ name: 'echo_get', arguments: { word: 'b' } }),
    ]);
    expect(ra.structuredContent).toEqual({ word: 'a', tenant: 'acme' });
    expect(rb.structuredContent).toEqual({ word: 'b', tenant: 'umbrella' });

    // a's session id, with b's headers (another caller): not found; with a's: taken
    const stream = await openRaw({ ...bearer, 'x-tenant': 'acme' });
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' });
    const post = (tenant: string) =>
      raw(sse, stream.endpoint, {
        method: 'POST',
        headers: { ...bearer, 'x-tenant': tenant, 'content-type': 'application/json' },
        body: ping,
      });
    expect((await post('umbrella')).status).toBe(404);
    expect((await post('acme')).status).toBe(202);
    // once its stream is gone, so is the session
    stream.close();
    await expect.poll(async () => (await post('acme')).status).toBe(404);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('a session carries server requests: a destructive call asks the user through elicitation', async () => {
    const { client, asked } = await connectSse('/sse', bearer, true);
    const result = await client.callTool({ name: 'thing_delete', arguments: { name: 'x' } });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'deleted x' }]);
    expect(asked).toEqual(['Delete a thing (thing_delete). This cannot be undone. Proceed?']);
    await client.close();
  });

  it('a legacy client pointed at /mcp (fastapi-mcp’s mount()) gets a stream there too', async () => {
    const { client } = await connectSse('/mcp', bearer);
    const result = await client.callTool({ name: 'echo_get', arguments: { word: 'old' } });
    expect(result.structuredContent).toEqual({ word: 'old', tenant: 'nobody' });
    await client.close();
  });

  it('needs the token like /mcp; an unknown session is 404; without --sse there is no /sse', async () => {
    expect((await raw(sse, '/sse')).status).toBe(401);
    expect(
      (await raw(sse, '/sse', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status,
    ).toBe(401);
    const unknown = await raw(sse, '/message?sessionId=nope', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(unknown.status).toBe(404);
    expect((await raw(plain, '/sse', { headers: bearer })).status).toBe(404);
    expect((await raw(plain, '/message', { method: 'POST', headers: bearer })).status).toBe(404);
    const get = await raw(plain, '/mcp', { headers: { ...bearer, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
  });
});
