import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger, defineTool, type HttpHandle } from '../src/index.js';
import { bearer, callBody, mcpHeaders, raw, readOnly, rpcResult, serveTools, TOKEN } from './http-kit.js';

// --log-format json: one object per line; every line of an HTTP request (the tool's own included) carries
// the request id the response echoes, and the caller as a non-secret id that the tool sees too.

const lines: string[] = [];
const logger = createLogger({ name: 'srv', level: 'info', format: 'json', write: (l) => lines.push(l) });

const whoami = defineTool({
  name: 'whoami_get',
  title: 'Who am I',
  description: 'Says how the caller was authenticated, and logs a line.',
  toolset: 'echo',
  input: z.object({}),
  output: z.object({ method: z.string(), id: z.string() }),
  annotations: readOnly,
  render: { kind: 'object' },
  async handler(_input, ctx) {
    ctx.log.info('looked at the caller', { password: 'hunter2' });
    return { method: ctx.caller?.method ?? 'stdio', id: ctx.caller?.id ?? '' };
  },
});

let handle: HttpHandle;
beforeAll(async () => {
  handle = await serveTools([whoami], { logger });
});
afterAll(() => handle?.close());

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

async function whoamiCall(headers: Record<string, string>) {
  const res = await raw(handle, '/mcp', {
    method: 'POST',
    headers: { ...mcpHeaders, ...bearer, ...headers },
    body: callBody('whoami_get'),
  });
  expect(res.status).toBe(200);
  return { res, caller: rpcResult(res.body).result!['structuredContent'] as { method: string; id: string } };
}

describe('JSON logs with request ids', () => {
  it('every line of a request carries its id, echoed in X-Request-Id, and the caller the tool saw', async () => {
    lines.length = 0;
    const { res, caller } = await whoamiCall({ 'x-request-id': 'req-42.a/b' });
    expect(res.headers['x-request-id']).toBe('req-42.a/b');
    expect(caller.method).toBe('bearer-token');
    expect(caller.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const mine = parsed().filter((line) => line['request_id'] === 'req-42.a/b');
    expect(mine.map((line) => line['msg'])).toEqual(['looked at the caller', 'HTTP request']);
    for (const line of mine) {
      expect(line).toMatchObject({ level: 'info', logger: 'srv', caller: caller.id });
      expect(line['time']).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    expect(mine[1]).toMatchObject({ method: 'POST', path: '/mcp', status: 200 });
    expect(mine[0]!['password']).not.toBe('hunter2');
    const all = lines.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('hunter2');
  });

  it('the caller id is stable for one credential and differs for another (per-user headers included)', async () => {
    const a = (await whoamiCall({})).caller.id;
    expect((await whoamiCall({})).caller.id).toBe(a);
    expect((await whoamiCall({ 'x-tenant': 'acme' })).caller.id).not.toBe(a);
  });

  it('an unsafe or missing X-Request-Id is replaced by a generated one', async () => {
    for (const given of ['has space', 'x'.repeat(129), 'line\u00e9', undefined]) {
      const { res } = await whoamiCall(given === undefined ? {} : { 'x-request-id': given });
      expect(res.headers['x-request-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    }
    const longest = 'y'.repeat(128);
    expect((await whoamiCall({ 'x-request-id': longest })).res.headers['x-request-id']).toBe(longest);
  });

  it('refusals are logged with their request id too, and echo it', async () => {
    lines.length = 0;
    const res = await raw(handle, '/mcp', {
      method: 'POST',
      headers: { ...mcpHeaders, 'x-request-id': 'no-token-1' },
      body: callBody('whoami_get'),
    });
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe('no-token-1');
    expect(parsed()).toEqual([
      expect.objectContaining({ msg: 'HTTP request', request_id: 'no-token-1', status: 401, path: '/mcp' }),
    ]);
    expect(parsed()[0]).not.toHaveProperty('caller');
  });
});

describe('text logs (the default)', () => {
  it('outside any request a line has only its own fields', () => {
    const text: string[] = [];
    createLogger({ name: 's', write: (l) => text.push(l) }).info('outside any request', { a: 1 });
    expect(text).toEqual([expect.stringMatching(/^\S+ INFO s: outside any request \{"a":1\}$/)]);
  });
});
