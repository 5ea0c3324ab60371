import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpHandle } from '../src/index.js';
import { bearer, callBody, echo, mcpHeaders, raw, rpcResult, serveTools } from './http-kit.js';

// Browsers: an allowed origin's preflight is answered before authentication, and every answer to it
// carries the CORS headers; any other origin gets 403, its preflight included.

const APP = 'https://app.example';
let listed: HttpHandle;
let loopbackOnly: HttpHandle;

beforeAll(async () => {
  [listed, loopbackOnly] = await Promise.all([
    serveTools([echo], { allowedOrigins: [APP], sse: true }),
    serveTools([echo]),
  ]);
});
afterAll(async () => {
  await Promise.all([listed?.close(), loopbackOnly?.close()]);
});

const preflight = (handle: HttpHandle, origin: string, requested: string) =>
  raw(handle, '/mcp', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requested },
  });

describe('CORS', () => {
  it('answers an allowed origin’s preflight before authentication, naming what it may send and read', async () => {
    const res = await preflight(
      listed,
      APP,
      'authorization, content-type, mcp-protocol-version, mcp-method, x-tenant, mcp-param-region',
    );
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['vary']).toBe('Origin');
    expect(res.headers['access-control-allow-methods']).toBe('POST, GET');
    expect(res.headers['access-control-allow-headers']).toBe(
      'content-type, accept, authorization, mcp-protocol-version, mcp-session-id, mcp-method, mcp-name, ' +
        'last-event-id, x-request-id, x-tenant, mcp-param-region',
    );
    expect(res.headers['access-control-expose-headers']).toBe(
      'mcp-session-id, mcp-protocol-version, www-authenticate, x-request-id',
    );
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('a header that is neither ours nor an Mcp-Param is not allowed', async () => {
    const res = await preflight(listed, APP, 'x-evil, mcp-param-a b');
    expect(res.headers['access-control-allow-headers']).not.toMatch(/x-evil|mcp-param-a/);
  });

  it('an allowed origin’s call, and its 401, carry the CORS headers', async () => {
    const call = await raw(listed, '/mcp', {
      method: 'POST',
      headers: { ...mcpHeaders, ...bearer, origin: APP, 'x-tenant': 'acme' },
      body: callBody('echo_get', { word: 'hi' }),
    });
    expect(call.status).toBe(200);
    expect(rpcResult(call.body).result?.['structuredContent']).toEqual({ word: 'hi', tenant: 'acme' });
    expect(call.headers['access-control-allow-origin']).toBe(APP);
    expect(call.headers['access-control-expose-headers']).toContain('www-authenticate');
    const refused = await raw(listed, '/mcp', {
      method: 'POST',
      headers: { ...mcpHeaders, origin: APP },
      body: callBody('echo_get', { word: 'hi' }),
    });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(APP);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
  });

  it('refuses any other origin with 403, preflight included, without CORS headers', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:3000', 'null']) {
      const pre = await preflight(listed, origin, 'authorization');
      expect(pre.status, origin).toBe(403);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      const call = await raw(listed, '/mcp', {
        method: 'POST',
        headers: { ...mcpHeaders, ...bearer, origin },
        body: callBody('echo_get', { word: 'hi' }),
      });
      expect(call.status, origin).toBe(403);
      expect(call.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('without --allowed-origins, loopback origins are served (with CORS) and others refused', async () => {
    const local = await preflight(loopbackOnly, 'http://localhost:3000', 'authorization');
    expect(local.status).toBe(204);
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(local.headers['access-control-allow-methods']).toBe('POST');
    expect((await preflight(loopbackOnly, 'https://app.example', 'authorization')).status).toBe(403);
  });

  it('an OPTIONS without Origin (not a browser) just says what the route takes', async () => {
    const res = await raw(listed, '/metrics', { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers['allow']).toBe('GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
