// Issue 7, class 8: the HTTP transport's limits. Connections that never send a request, or trickle it, are
// closed by the configured timeouts; running tool calls are not; connections past the cap are closed at
// once; a bind beyond loopback needs a token (or an explicit flag), and the Host check follows the bind.
import { once } from 'node:events';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  createLogger,
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  defineTool,
  type HttpHandle,
  type HttpServeOptions,
  helpText,
  loadServerConfig,
  runServerCli,
  serveHttp,
} from '../src/index.js';
import { hostGuard, interfaceAddresses, isLoopback } from '../src/transports/http-hosts.js';

const TOKEN = 'limits-token-0123456789';

/** A tool call that runs until the test lets it finish. */
function gate() {
  let open!: () => void;
  let started!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const running = new Promise<void>((resolve) => (started = resolve));
  return { open, started, opened, running };
}
let current = gate();

const waitRun = defineTool({
  name: 'wait_run',
  title: 'Wait',
  description: 'Runs until released.',
  toolset: 'wait',
  input: z.object({}),
  output: z.object({ done: z.boolean() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  render: { kind: 'text', text: () => 'released' },
  async handler() {
    current.started();
    await current.opened;
    return { done: true };
  },
});

const warnings: string[] = [];
const logger = createLogger({ name: 't', level: 'warn', write: (line) => warnings.push(line) });
const handles: HttpHandle[] = [];

async function start(options: Partial<HttpServeOptions> = {}): Promise<HttpHandle> {
  const handle = await serveHttp({
    listen: { host: '127.0.0.1', port: 0 },
    logger,
    factory: createToolServer(
      { name: 'limits', version: '1', tools: [waitRun] },
      { deps: {}, policy: DEFAULT_POLICY, render: DEFAULT_RENDER, logger },
    ),
    ...options,
  });
  handles.push(handle);
  return handle;
}

afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
  warnings.length = 0;
});

const portOf = (handle: HttpHandle) => Number(new URL(handle.url).port);

/** A raw connection to 127.0.0.1 that records what the server sends and when it closes. */
function rawSocket(handle: HttpHandle) {
  const socket = connect(portOf(handle), '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  socket.on('error', () => {});
  const closed = once(socket, 'close').then(() => received);
  return { socket, closed };
}

const SHORT = { headersTimeoutMs: 300, requestTimeoutMs: 300, checkIntervalMs: 50 };

const initBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** POSTs initialize to /mcp on 127.0.0.1 with the given Host header; the status code. */
function initializeWithHost(handle: HttpHandle, host: string, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: portOf(handle),
        path: '/mcp',
        method: 'POST',
        agent: false,
        headers: {
          host,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(initBody);
  });
}

describe('HTTP transport limits (issue 7, class 8)', () => {
  it('closes a connection that sends nothing once the headers timeout has passed', async () => {
    const handle = await start({ limits: SHORT });
    const opened = performance.now();
    const { closed } = rawSocket(handle);
    expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    const after = performance.now() - opened;
    expect(after).toBeGreaterThanOrEqual(SHORT.headersTimeoutMs - 5);
    expect(after).toBeLessThan(SHORT.headersTimeoutMs + 5_000);
  });

  it('closes a connection that trickles its request headers a byte at a time', async () => {
    const handle = await start({ limits: SHORT });
    const { socket, closed } = rawSocket(handle);
    const line = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(10_000)}`;
    let sent = 0;
    const drip = setInterval(() => socket.write(line[sent++]!), 10);
    try {
      expect(await closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    } finally {
      clearInterval(drip);
    }
    expect(sent).toBeLessThan(line.length); // closed mid-headers, not after them
  });

  it('does not cut a tool call that runs past every timeout', async () => {
    current = gate();
    const handle = await start({ limits: SHORT });
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
    const call = client.callTool({ name: 'wait_run', arguments: {} });
    await current.running;
    // Two idle connections opened after the call started, closed one after the other by the server: the
    // headers and request timeouts have passed, and been checked for, several times over.
    for (let i = 0; i < 2; i++) expect(await rawSocket(handle).closed).toContain('408');
    current.open();
    const result = await call;
    expect(result.content).toEqual([{ type: 'text', text: 'released' }]);
    await client.close();
  });

  it('closes connections past the cap at once, unanswered, logs it, and takes new ones when one ends', async () => {
    const handle = await start({ limits: { maxConnections: 2 } });
    const serverSide: Socket[] = [];
    const clients: Socket[] = [];
    for (let i = 0; i < 2; i++) {
      const accepted = once(handle.server, 'connection');
      clients.push(rawSocket(handle).socket);
      serverSide.push((await accepted)[0] as Socket);
    }
    const dropped = once(handle.server, 'drop');
    const third = rawSocket(handle);
    await dropped;
    expect(await third.closed).toBe('');
    expect(warnings.join('\n')).toContain(
      'HTTP connection limit (2) reached: new connections are closed until others end',
    );
    const gone = once(serverSide[0]!, 'close');
    clients[0]!.destroy();
    await gone;
    const { socket, closed } = rawSocket(handle);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    for (const c of clients) c.destroy();
  });

  it('answers health probes and closes their connection, keep-alive or not', async () => {
    const handle = await start();
    const { socket, closed } = rawSocket(handle);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('{"status":"ok"}');
  });

  it('refuses a bind beyond loopback without a token: ConfigError, one line naming the fix, exit 2', async () => {
    const bind = start({ listen: { host: '0.0.0.0', port: 0 } });
    await expect(bind).rejects.toBeInstanceOf(ConfigError);
    await expect(bind).rejects.toThrow(
      '--http 0.0.0.0 listens beyond loopback without a token: set --http-token (CLOUDMCP_HTTP_TOKEN) or ' +
        '--oauth-issuer (CLOUDMCP_OAUTH_ISSUER), or pass --http-allow-unauthenticated ' +
        '(CLOUDMCP_HTTP_ALLOW_UNAUTHENTICATED) if a proxy in front authenticates',
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runServerCli(cliSpec, ['--http', '0.0.0.0:0'], {});
      expect(process.exitCode).toBe(2);
      expect(stderr.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^demo-mcp: --http 0\.0\.0\.0 listens beyond loopback without a token: .*\n$/),
      ]);
    } finally {
      stderr.mockRestore();
      process.exitCode = undefined;
    }
  });

  it('starts beyond loopback with --http-allow-unauthenticated, answering only loopback and own addresses', async () => {
    const handle = await start({ listen: { host: '0.0.0.0', port: 0 }, allowUnauthenticated: true });
    expect(warnings.join('\n')).toContain('listening on 0.0.0.0 without a token');
    expect(await initializeWithHost(handle, `127.0.0.1:${portOf(handle)}`)).toBe(200);
    expect(await initializeWithHost(handle, 'localhost')).toBe(200);
    expect(await initializeWithHost(handle, 'evil.example')).toBe(403);
    expect(await initializeWithHost(handle, `evil.example:${portOf(handle)}`)).toBe(403);
    const own = interfaceAddresses().find((address) => !isLoopback(address) && !address.includes(':'));
    if (own) expect(await initializeWithHost(handle, `${own}:${portOf(handle)}`)).toBe(200);
  });

  it('with a token on a wildcard bind answers any Host, and still wants the token', async () => {
    const handle = await start({ listen: { host: '0.0.0.0', port: 0 }, token: TOKEN });
    expect(await initializeWithHost(handle, 'evil.example', TOKEN)).toBe(200);
    expect(await initializeWithHost(handle, 'evil.example')).toBe(401);
  });

  it('with --allowed-hosts answers those names and loopback only', async () => {
    const handle = await start({
      listen: { host: '0.0.0.0', port: 0 },
      token: TOKEN,
      allowedHosts: ['mcp.example.com'],
    });
    expect(await initializeWithHost(handle, 'MCP.example.com:8443', TOKEN)).toBe(200);
    expect(await initializeWithHost(handle, 'localhost:1', TOKEN)).toBe(200);
    expect(await initializeWithHost(handle, 'evil.example', TOKEN)).toBe(403);
  });

  it('on a specific address answers it, loopback names and listed names', () => {
    const v4 = hostGuard({ bound: '10.1.2.3', tokenRequired: true, allowedHosts: ['mcp.internal'] });
    expect(['10.1.2.3:8080', '10.1.2.3', 'localhost', '[::1]:80', 'mcp.internal.'].map(v4)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['evil.example', '10.1.2.4', '10.1.2.3.evil.example', undefined].map(v4)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    const v6 = hostGuard({ bound: 'fd00::5', tokenRequired: false });
    expect(['[fd00::5]:8080', '[FD00::5]', '[fd00::6]'].map(v6)).toEqual([true, true, false]);
    const wildcard = hostGuard({ bound: '::', tokenRequired: false, localAddresses: ['192.0.2.7'] });
    expect(['192.0.2.7:80', '127.0.0.2', 'evil.example'].map(wildcard)).toEqual([true, true, false]);
    // with a list, a wildcard bind still answers its own addresses: kubelet probes and scrapers use the pod IP
    const listed = hostGuard({
      bound: '0.0.0.0',
      tokenRequired: true,
      allowedHosts: ['mcp.svc'],
      localAddresses: ['10.244.1.7'],
    });
    expect(['mcp.svc', '10.244.1.7:8080', 'evil.example', '10.244.1.8'].map(listed)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('reads the new options from flags and environment, and says so in --help', () => {
    const { config } = loadServerConfig(cliSpec, ['--http-max-connections', '64'], {
      CLOUDMCP_ALLOWED_HOSTS: 'a.example, b.example',
      CLOUDMCP_HTTP_ALLOW_UNAUTHENTICATED: 'true',
    });
    expect(config).toMatchObject({
      httpMaxConnections: 64,
      allowedHosts: ['a.example', 'b.example'],
      httpAllowUnauthenticated: true,
    });
    expect(loadServerConfig(cliSpec, [], {}).config).toMatchObject({
      httpMaxConnections: 512,
      httpAllowUnauthenticated: false,
    });
    expect(() => loadServerConfig(cliSpec, [], { CLOUDMCP_HTTP_MAX_CONNECTIONS: '0' })).toThrow(
      /^--http-max-connections \(CLOUDMCP_HTTP_MAX_CONNECTIONS\): /,
    );
    const help = helpText({ ...cliSpec, tools: [] });
    expect(help).toMatch(
      /--http-allow-unauthenticated +Let --http listen beyond loopback without --http-token/,
    );
    expect(help).toContain('env CLOUDMCP_HTTP_ALLOW_UNAUTHENTICATED');
    expect(help).toMatch(/--http-max-connections N .*\[default 512; env CLOUDMCP_HTTP_MAX_CONNECTIONS\]/);
    expect(help).toMatch(/--allowed-hosts HOST,HOST .*env CLOUDMCP_ALLOWED_HOSTS/);
    expect(help).not.toContain('logs a warning');
  });
});

const cliSpec = {
  bin: 'demo-mcp',
  version: '1',
  description: 'demo',
  optionsTitle: 'Demo options',
  options: [],
  configSchema: z.object({}),
  server: { name: 'demo', version: '1', tools: [] },
  createDeps: () => ({}),
};
