import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, type HttpClientOptions, parseRetryAfter, UpstreamError } from '../src/http.js';
import { sleep } from '../src/retry.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string, n: number) => void;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let handler: Handler = (_req, res) => res.end();
let seen: Seen[] = [];
/** Resolved by the server each time a request arrives (tests await it before aborting). */
let arrived: () => void = () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body, seen.length);
      arrived();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  seen = [];
  handler = (_req, res) => res.end();
  arrived = () => {};
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function nextArrival(): Promise<void> {
  return new Promise<void>((resolve) => {
    arrived = resolve;
  });
}

/** A client whose backoff sleep records the delays instead of waiting. */
function client(opts: HttpClientOptions = {}): { http: HttpClient; delays: number[] } {
  const delays: number[] = [];
  const http = new HttpClient({
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...opts,
  });
  return { http, delays };
}

function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected the request to fail');
}

describe('HttpClient', () => {
  it('returns a 200 JSON response and sends method, headers, body and user agent', async () => {
    handler = (_req, res) => json(res, 200, { items: [1, 2, 3], name: 'vm-1' });
    const { http, delays } = client({ userAgent: 'cloudmcp-test/1.0' });
    const res = await http.request({
      method: 'post',
      url: `${base}/api/v1/vms?zone=z1`,
      headers: { 'content-type': 'application/json', 'x-trace': 't-1' },
      body: JSON.stringify({ name: 'vm-1' }),
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.attempts).toBe(1);
    expect(res.url).toBe(`${base}/api/v1/vms?zone=z1`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.json<{ items: number[]; name: string }>()).toEqual({ items: [1, 2, 3], name: 'vm-1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/vms?zone=z1', body: '{"name":"vm-1"}' });
    expect(seen[0]!.headers['user-agent']).toBe('cloudmcp-test/1.0');
    expect(seen[0]!.headers['x-trace']).toBe('t-1');
    expect(delays).toEqual([]);
  });

  it("keeps the caller's own User-Agent and sends form bodies", async () => {
    handler = (_req, res) => res.end('ok');
    const { http } = client({ userAgent: 'default-agent' });
    const res = await http.request({
      method: 'POST',
      url: `${base}/form`,
      headers: { 'User-Agent': 'mine/2' },
      body: new URLSearchParams({ command: 'listZones', response: 'json' }),
    });
    expect(res.text).toBe('ok');
    expect(seen[0]!.headers['user-agent']).toBe('mine/2');
    expect(seen[0]!.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(seen[0]!.body).toBe('command=listZones&response=json');
  });

  it('returns a 404 instead of throwing, with the upstream body intact', async () => {
    handler = (_req, res) => json(res, 404, { errorcode: 431, errortext: 'Unable to find VM' });
    const { http, delays } = client();
    const res = await http.request({ method: 'GET', url: `${base}/vm/42` });
    expect(res.status).toBe(404);
    expect(res.ok).toBe(false);
    expect(res.json()).toEqual({ errorcode: 431, errortext: 'Unable to find VM' });
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('retries a GET on 503, then returns the 200 (the server saw exactly 2 requests)', async () => {
    handler = (_req, res, _body, n) =>
      n === 1 ? json(res, 503, { error: 'busy' }) : json(res, 200, { ok: 1 });
    const { http, delays } = client();
    const res = await http.request({ method: 'GET', url: `${base}/zones` });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: 1 });
    expect(res.attempts).toBe(2);
    expect(seen).toHaveLength(2);
    // Full jitter: random() * min(maxDelay, base * 2**0) = 0.5 * 200.
    expect(delays).toEqual([100]);
  });

  it('honours Retry-After: 2 on a 429 (the sleep is asked for 2000ms)', async () => {
    handler = (_req, res, _body, n) =>
      n === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '2' }) : json(res, 200, { ok: 1 });
    const { http, delays } = client();
    const res = await http.request({ method: 'GET', url: `${base}/limited` });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(seen).toHaveLength(2);
    expect(delays).toEqual([2000]);
  });

  it('returns a 429 at once when Retry-After is longer than the cap', async () => {
    handler = (_req, res) => json(res, 429, { error: 'quota' }, { 'retry-after': '120' });
    const { http, delays } = client({ maxRetryAfterMs: 30_000 });
    const res = await http.request({ method: 'GET', url: `${base}/limited` });
    expect(res.status).toBe(429);
    expect(res.attempts).toBe(1);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(res.json()).toEqual({ error: 'quota' });
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('does not retry a POST on 503 (the server saw exactly 1 request)', async () => {
    handler = (_req, res) => json(res, 503, { error: 'busy' }, { 'retry-after': '1' });
    const { http, delays } = client();
    const res = await http.request({ method: 'POST', url: `${base}/deploy`, body: '{}' });
    expect(res.status).toBe(503);
    expect(res.attempts).toBe(1);
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('retries a POST marked idempotent', async () => {
    handler = (_req, res, _body, n) => (n === 1 ? json(res, 502, {}) : json(res, 200, { ok: 1 }));
    const { http } = client();
    const res = await http.request({ method: 'POST', url: `${base}/query`, body: '{}', idempotent: true });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen.map((s) => s.body)).toEqual(['{}', '{}']);
  });

  it('does not retry a POST when the connection is reset: UpstreamError network', async () => {
    handler = (req) => req.socket.destroy();
    const { http, delays } = client();
    const err = await rejection(http.request({ method: 'POST', url: `${base}/deploy`, body: '{"app":"a"}' }));
    expect(err.kind).toBe('network');
    expect(err.attempts).toBe(1);
    expect(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']).toContain(err.causeCode);
    expect(err.message).toContain(`POST ${base}/deploy`);
    expect(err.idempotent).toBe(false);
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('does not retry a DELETE (not idempotent by default) on a reset', async () => {
    handler = (req) => req.socket.destroy();
    const { http } = client();
    const err = await rejection(http.request({ method: 'DELETE', url: `${base}/vm/1` }));
    expect(err.kind).toBe('network');
    expect(err.idempotent).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('retries a GET when the connection is reset', async () => {
    handler = (req, res, _body, n) => (n === 1 ? req.socket.destroy() : json(res, 200, { ok: 1 }));
    const { http, delays } = client();
    const res = await http.request({ method: 'GET', url: `${base}/vms` });
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(seen).toHaveLength(2);
    expect(delays).toEqual([100]);
  });

  it('retries a refused GET, then throws network ECONNREFUSED with every attempt counted', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { http, delays } = client({ retries: 2 });
    const err = await rejection(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/x` }));
    expect(err.kind).toBe('network');
    expect(err.causeCode).toBe('ECONNREFUSED');
    expect(err.attempts).toBe(3);
    expect(err.message).toContain('connection refused');
    expect(delays).toEqual([100, 200]);
  });

  it('returns the last response when retries are exhausted (attempts = retries + 1), backoff capped', async () => {
    handler = (_req, res, _body, n) => json(res, 503, { attempt: n });
    const { http, delays } = client({ retries: 4, baseDelayMs: 200, maxDelayMs: 300 });
    const res = await http.request({ method: 'GET', url: `${base}/always-busy` });
    expect(res.status).toBe(503);
    expect(res.attempts).toBe(5);
    expect(res.json()).toEqual({ attempt: 5 });
    expect(seen).toHaveLength(5);
    // 0.5 * min(300, 200 * 2**k) for k = 0..3
    expect(delays).toEqual([100, 150, 150, 150]);
  });

  it('does not retry 4xx other than 429, nor 501', async () => {
    for (const status of [400, 401, 403, 409, 501]) {
      seen = [];
      handler = (_req, res) => json(res, status, {});
      const { http } = client();
      const res = await http.request({ method: 'GET', url: `${base}/s${status}` });
      expect(res.status).toBe(status);
      expect(seen).toHaveLength(1);
    }
  });

  it('fails fast with kind aborted when the caller aborts during a hanging response', async () => {
    handler = () => {}; // never answers
    const controller = new AbortController();
    const { http, delays } = client({ timeoutMs: 60_000 });
    const arrival = nextArrival();
    const pending = http.request({ method: 'GET', url: `${base}/hang`, signal: controller.signal });
    await arrival;
    controller.abort();
    const err = await rejection(pending);
    expect(err.kind).toBe('aborted');
    expect(err.attempts).toBe(1);
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('fails with kind aborted when the caller aborts while the body is still streaming', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
    };
    const controller = new AbortController();
    const { http } = client({ timeoutMs: 60_000 });
    const arrival = nextArrival();
    const pending = http.request({ method: 'GET', url: `${base}/half`, signal: controller.signal });
    await arrival;
    controller.abort();
    expect((await rejection(pending)).kind).toBe('aborted');
  });

  it('does not send anything when the signal is already aborted', async () => {
    const { http } = client();
    const err = await rejection(
      http.request({ method: 'GET', url: `${base}/x`, signal: AbortSignal.abort() }),
    );
    expect(err.kind).toBe('aborted');
    expect(err.attempts).toBe(0);
    expect(seen).toHaveLength(0);
  });

  it('aborts a pending backoff sleep when the caller aborts', async () => {
    handler = (_req, res) => json(res, 503, {}, { 'retry-after': '20' });
    const controller = new AbortController();
    const asked: number[] = [];
    const http = new HttpClient({
      // The real abortable sleep (a 20 s timer); the caller aborts once the client is waiting in it.
      sleep: (ms, signal) => {
        asked.push(ms);
        const waiting = sleep(ms, signal);
        controller.abort();
        return waiting;
      },
    });
    const err = await rejection(
      http.request({ method: 'GET', url: `${base}/busy`, signal: controller.signal }),
    );
    expect(err.kind).toBe('aborted');
    expect(err.attempts).toBe(1);
    expect(asked).toEqual([20_000]);
    expect(seen).toHaveLength(1);
  });

  it('times out a hanging server per attempt with kind timeout, and does not retry it', async () => {
    handler = () => {}; // never answers
    const { http, delays } = client({ timeoutMs: 250, retries: 3 });
    const err = await rejection(http.request({ method: 'GET', url: `${base}/hang` }));
    expect(err.kind).toBe('timeout');
    expect(err.attempts).toBe(1);
    expect(err.message).toContain('timed out after 250ms');
    expect(seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('times out a body that stops half-way, using the per-request timeout', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
    };
    const { http } = client({ timeoutMs: 60_000 });
    const err = await rejection(http.request({ method: 'GET', url: `${base}/half`, timeoutMs: 250 }));
    expect(err.kind).toBe('timeout');
    expect(seen).toHaveLength(1);
  });

  it('throws kind malformed from json() on a bad body, with a short excerpt', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`<html><body>Gateway ${'x'.repeat(500)}</body></html>`);
    };
    const { http } = client();
    const res = await http.request({ method: 'GET', url: `${base}/api?apikey=SECRET` });
    expect(res.status).toBe(200);
    let err: unknown;
    try {
      res.json();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UpstreamError);
    const upstream = err as UpstreamError;
    expect(upstream.kind).toBe('malformed');
    expect(upstream.message).toContain('<html><body>Gateway');
    expect(upstream.message).toContain('HTTP 200');
    expect(upstream.message.length).toBeLessThan(260);
    expect(upstream.message).not.toContain('SECRET');
    expect(() => res.text).not.toThrow();
  });

  it('keeps query strings, headers and bodies out of error messages', async () => {
    const url = `${base}/client/api?command=deployVirtualMachine&signature=SECRET`;
    const headers = { authorization: 'Bearer TOKEN123' };
    const body = 'password=PASSWORD456';
    const errors: UpstreamError[] = [];

    handler = (req) => req.socket.destroy();
    errors.push(await rejection(client().http.request({ method: 'POST', url, headers, body })));

    handler = () => {};
    errors.push(await rejection(client({ timeoutMs: 30 }).http.request({ method: 'GET', url, headers })));

    const controller = new AbortController();
    const arrival = nextArrival();
    const pending = client().http.request({
      method: 'GET',
      url: new URL(url),
      headers,
      signal: controller.signal,
    });
    await arrival;
    controller.abort();
    errors.push(await rejection(pending));

    expect(errors.map((e) => e.kind)).toEqual(['network', 'timeout', 'aborted']);
    for (const err of errors) {
      const rendered = `${err.message}\n${err.stack}\n${inspect(err, { depth: 10 })}`;
      expect(err.message).toContain(`${base}/client/api`);
      for (const secret of ['SECRET', 'TOKEN123', 'PASSWORD456', 'signature', 'command=']) {
        expect(rendered).not.toContain(secret);
      }
    }
  });

  it('does not echo an invalid URL (which may carry secrets) in its error', async () => {
    const { http } = client();
    await expect(http.request({ method: 'GET', url: 'not a url?signature=SECRET' })).rejects.toThrow(
      /^HttpClient: invalid URL$/,
    );
  });
});

describe('parseRetryAfter', () => {
  it('parses delay-seconds', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter('1.5')).toBe(1500);
  });

  it('parses an HTTP-date relative to now, never negative', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
  });

  it('returns undefined for missing or garbage values', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('1e3')).toBeUndefined();
  });
});
