import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type HttpHandle } from '../src/index.js';
import { bearer, callBody, mcpHeaders, raw, readOnly, rpcResult, serveTools } from './http-kit.js';

// Graceful shutdown: readiness turns 503 at once while liveness stays ok, new work is turned away, a call
// already running finishes and is answered, then the port is closed.

function gate() {
  let open!: () => void;
  let started!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const running = new Promise<void>((resolve) => (started = resolve));
  return { open, started, opened, running };
}
let current = gate();

const slow = defineTool({
  name: 'slow_run',
  title: 'Slow',
  description: 'Runs until the test releases it.',
  toolset: 'slow',
  input: z.object({}),
  output: z.object({ done: z.boolean() }),
  annotations: readOnly,
  render: { kind: 'text', text: () => 'finished' },
  async handler() {
    current.started();
    await current.opened;
    return { done: true };
  },
});

const handles: HttpHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

async function start(sse = false) {
  const handle = await serveTools([slow], { sse });
  handles.push(handle);
  return handle;
}

const slowCall = (handle: HttpHandle) =>
  raw(handle, '/mcp', { method: 'POST', headers: { ...mcpHeaders, ...bearer }, body: callBody('slow_run') });

describe('graceful shutdown', () => {
  it('lets a running call finish, answers probes meanwhile, refuses new work, then closes the port', async () => {
    current = gate();
    const handle = await start();
    const call = slowCall(handle);
    await current.running;
    const stopped = handle.shutdown(30_000);

    expect(await raw(handle, '/readyz')).toMatchObject({ status: 503, body: '{"status":"stopping"}' });
    expect(await raw(handle, '/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    const refused = await slowCall(handle);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['connection']).toBe('close');

    current.open();
    const answered = await call;
    expect(answered.status).toBe(200);
    expect(rpcResult(answered.body).result).toMatchObject({ content: [{ type: 'text', text: 'finished' }] });
    expect(await stopped).toBe(0);
    await expect(raw(handle, '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('stops waiting after the timeout and says how many were cut off', async () => {
    current = gate();
    const handle = await start();
    const call = slowCall(handle).catch((error: Error) => error);
    await current.running;
    expect(await handle.shutdown(50)).toBe(1);
    expect(await call).toMatchObject({ code: 'ECONNRESET' });
    current.open();
  });

  it('an idle SSE stream ends at once; new streams are refused', async () => {
    const handle = await start(true);
    const controller = new AbortController();
    const stream = await fetch(new URL('/sse', handle.url), { headers: bearer, signal: controller.signal });
    expect(stream.status).toBe(200);
    const body = stream.text(); // resolves when the server ends the stream
    expect(await handle.shutdown(30_000)).toBe(0);
    expect(await body).toMatch(/^event: endpoint\ndata: \/message\?sessionId=/);
  });
});
