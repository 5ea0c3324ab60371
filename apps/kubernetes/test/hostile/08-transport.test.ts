import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../harness.js';
import { Arena } from './harness.js';

// Class 8: the HTTP transport. An idle or trickling connection is closed within seconds; a non-loopback
// bind needs a token (or an explicit --http-allow-unauthenticated); on such a bind a foreign Host header is
// refused. Tests only ever connect to 127.0.0.1.

let arena: Arena;
let loopbackPort: number;
const children: ChildProcess[] = [];
beforeAll(async () => {
  arena = await Arena.open();
  loopbackPort = Number(new URL((await arena.http()).url).port);
});
afterEach(() => arena.expectNothingLeaked());
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await arena?.close();
});

/** How long "within seconds" may take here (a slow CI machine included). */
const CLOSE_WITHIN_MS = 15_000;

/** Opens a raw connection, writes `data`, and resolves with how long the server took to close it. */
function closedAfter(port: number, data: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => {
      if (data) socket.write(data);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${CLOSE_WITHIN_MS} ms`));
    }, CLOSE_WITHIN_MS);
    socket.on('data', () => {}); // a 408 answer is fine; the close is what counts
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

/** Spawns the server with `args`; resolves with its exit code, or its URL once it serves. */
function launch(
  args: string[],
  env: Record<string, string>,
): Promise<{ code?: number; url?: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: arena.dir, CANARY_ENV: arena.envCanary, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  return new Promise((resolve) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving MCP on (http:\/\/\S+)/.exec(stderr);
      if (match) resolve({ url: match[1]!, stderr });
    });
    child.once('exit', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'hostile', version: '1' } },
});

/** POSTs an initialize to 127.0.0.1:port with the given Host and token; resolves with status and body. */
function post(
  port: number,
  host: string | undefined,
  token: string | undefined,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'POST',
        headers: {
          ...(host !== undefined && { host }),
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(token && { authorization: `Bearer ${token}` }),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(INIT);
  });
}

describe('transport (HTTP)', () => {
  it.each([
    ['sends nothing', ''],
    ['sends half a request line', 'POST /mcp HT'],
    ['sends headers and never ends them', 'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n'],
    [
      'promises a body and never sends it',
      'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{',
    ],
  ])('a connection that %s is closed by the server within seconds', async (_what, data) => {
    const ms = await closedAfter(loopbackPort, data);
    expect(ms).toBeLessThan(CLOSE_WITHIN_MS);
  });

  it.each(['0.0.0.0:0', '[::]:0', '0:0'])('--http %s without a token exits with status 2', async (bind) => {
    const result = await launch(['--http', bind], {});
    expect(result.url).toBeUndefined();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--http-token|token/);
  });

  it('--http 0.0.0.0:0 --http-allow-unauthenticated serves (the operator chose it)', async () => {
    const result = await launch(['--http', '0.0.0.0:0', '--http-allow-unauthenticated'], {});
    expect(result.url).toMatch(/^http:\/\//);
  });

  describe('a non-loopback bind with a token', () => {
    let port: number;
    let hostsPort: number;
    beforeAll(async () => {
      const token = { CLOUDMCP_HTTP_TOKEN: arena.httpToken };
      const open = await launch(['--http', '0.0.0.0:0'], token);
      port = Number(new URL(open.url ?? 'http://x:0').port);
      const hosts = await launch(['--http', '0.0.0.0:0', '--allowed-hosts', 'mcp.example.com'], token);
      hostsPort = Number(new URL(hosts.url ?? 'http://x:0').port);
    });

    it.each([
      'evil.example.com',
      'evil.example.com:8080',
      '127.0.0.1.evil.example.com',
      'mcp.example.com.evil.io',
    ])('with --allowed-hosts, Host: %s is refused (the right token notwithstanding)', async (host) => {
      expect(hostsPort).toBeGreaterThan(0);
      const response = await post(hostsPort, host, arena.httpToken);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).not.toBe(401);
      expect(response.body).not.toContain('"serverInfo"');
    });

    // Without --allowed-hosts a token-protected wildcard bind answers any Host (behind a load balancer the
    // Host is a name the server cannot know): DNS rebinding needs a browser, and a browser has no token.
    it('without --allowed-hosts, a foreign Host gets nothing without the token', async () => {
      expect(port).toBeGreaterThan(0);
      const response = await post(port, 'evil.example.com', undefined);
      expect(response.status).toBe(401);
      expect(response.body).not.toContain('"serverInfo"');
    });

    it('with --allowed-hosts mcp.example.com: that Host is served, another refused', async () => {
      expect(hostsPort).toBeGreaterThan(0);
      const good = await post(hostsPort, 'mcp.example.com', arena.httpToken);
      expect(good.status).toBe(200);
      expect(good.body).toContain('"serverInfo"');
      const bad = await post(hostsPort, 'evil.example.com', arena.httpToken);
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.body).not.toContain('"serverInfo"');
    });

    it.each([
      ['no token', undefined],
      ['a wrong token', 'not-the-token-0123456789'],
    ])('%s is 401', async (_what, token) => {
      expect(port).toBeGreaterThan(0);
      const response = await post(port, `127.0.0.1:${port}`, token);
      expect(response.status).toBe(401);
    });
  });
});
