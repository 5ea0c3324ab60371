import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudStackSim } from 'cloudstack-sim';
import { connectHttp, type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, structured, text, withSim } from './harness.js';

// Stateless replicas behind a plain round-robin load balancer: the built bin in several processes, behind a
// proxy written here that sends each HTTP request to the next process in turn and notes which one got it.
// A confirmation takes two requests (the call, answered input_required with a sealed requestState; then
// the retry with the user's answer and that state), so the proxy hands them to two different processes:
// it completes only when they share the state key, and the simulator then sees the destroy exactly once.
// A 2025-era client over stateless HTTP cannot be asked at all; only --allow-model-confirm lets its model
// confirm, with `confirm: true`.

const STATE_KEY = 'fleet-state-key-0123456789abcdef-0123456789';
const OTHER_KEY = 'another-state-key-0123456789abcdef-012345678';
const TOKEN = 'fleet-http-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** One request the proxy passed on: which upstream got it and what it was. */
interface Forwarded {
  upstream: number;
  method: string | undefined;
  requestState: boolean;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface RoundRobin {
  url: string;
  forwarded: Forwarded[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/**
 * A round-robin HTTP proxy: request n goes to upstream n mod the number of upstreams, with its headers and
 * body; the answer (JSON or an SSE stream) streams back as it comes, and a client that goes away closes
 * the upstream request too. It notes each JSON-RPC method it passes and whether it carried requestState.
 */
async function roundRobin(upstreams: HttpServer[]): Promise<RoundRobin> {
  const forwarded: Forwarded[] = [];
  let next = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const upstream = next++ % upstreams.length;
    let message: { method?: string; params?: { requestState?: unknown } } = {};
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      // not JSON-RPC: passed on all the same
    }
    forwarded.push({
      upstream,
      method: message.method,
      requestState: message.params?.requestState !== undefined,
      headers: req.headers,
      body,
    });
    const target = new URL(upstreams[upstream]!.url);
    const out = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    out.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sim: CloudStackSim;
const processes: HttpServer[] = [];
let sameKey: [HttpServer, HttpServer];
let otherKey: HttpServer;
let modelConfirms: [HttpServer, HttpServer];
const proxies: RoundRobin[] = [];

/** One process of the fleet: the built bin over HTTP, with the fleet's token and this state key. */
async function start(stateKey: string, args: string[] = []): Promise<HttpServer> {
  const { admin } = sim.credentials;
  const env = {
    XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cs-fleet-')),
    CLOUDSTACK_API_URL: sim.url,
    CLOUDSTACK_API_KEY: admin.apiKey,
    CLOUDSTACK_SECRET_KEY: admin.secretKey,
    CLOUDSTACK_JOB_POLL_MS: '20',
    CLOUDMCP_HTTP_TOKEN: TOKEN,
    CLOUDMCP_STATE_KEY: stateKey,
  };
  const server = await startHttpServer(CLI, env, args);
  processes.push(server);
  return server;
}

async function proxy(...upstreams: HttpServer[]): Promise<RoundRobin> {
  const made = await roundRobin(upstreams);
  proxies.push(made);
  return made;
}

beforeAll(async () => {
  sim = await withSim();
  const [a, b, c, d, e] = await Promise.all([
    start(STATE_KEY),
    start(STATE_KEY),
    start(OTHER_KEY),
    start(STATE_KEY, ['--allow-model-confirm']),
    start(STATE_KEY, ['--allow-model-confirm']),
  ]);
  sameKey = [a!, b!];
  otherKey = c!;
  modelConfirms = [d!, e!];
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await Promise.all(processes.map((p) => p.close()));
  await sim?.close();
});

/** destroyVirtualMachine requests the simulator received from log index `from` on. */
const destroys = (from: number) => sim.log.slice(from).filter((e) => e.command === 'destroyVirtualMachine');

/** The tools/call requests the proxy passed from `from` on. */
const toolCalls = (p: RoundRobin, from: number) =>
  p.forwarded.slice(from).filter((f) => f.method === 'tools/call');

describe('2026-07-28 client behind a round-robin proxy', () => {
  it('a confirmation asked by one process and retried on the other completes once when they share the key', async () => {
    const lb = await proxy(...sameKey);
    const vm = 'web-01';
    const { client, era, close } = await connectHttp(lb.url, {
      era: 'modern',
      elicit: 'accept',
      headers: AUTH,
    });
    try {
      expect(era).toBe('modern');
      const mark = sim.log.length;
      const from = lb.forwarded.length;
      const result = await client.callTool({ name: 'vm_destroy', arguments: { vm } });
      expect(result.isError, text(result)).toBeFalsy();
      expect(structured(result)).toMatchObject({
        job_status: 'succeeded',
        vm: { name: vm, state: 'Destroyed' },
      });

      // the question came from one process, the retry with the user's answer went to the other
      const [asked, retried, ...more] = toolCalls(lb, from);
      expect(more).toEqual([]);
      expect(asked).toMatchObject({ requestState: false });
      expect(retried).toMatchObject({ requestState: true });
      expect(retried!.upstream).not.toBe(asked!.upstream);
      // and the proxy really alternated, request by request, over both processes
      expect(lb.forwarded.map((f) => f.upstream)).toEqual(lb.forwarded.map((_, i) => i % 2));
      expect(new Set(lb.forwarded.map((f) => f.upstream))).toEqual(new Set([0, 1]));

      expect(destroys(mark)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('the retry is refused when the processes have different keys, and nothing changes', async () => {
    const lb = await proxy(sameKey[0], otherKey);
    const vm = 'web-02';
    const { client, close } = await connectHttp(lb.url, { era: 'modern', elicit: 'accept', headers: AUTH });
    try {
      const mark = sim.log.length;
      const from = lb.forwarded.length;
      await expect(client.callTool({ name: 'vm_destroy', arguments: { vm } })).rejects.toMatchObject({
        code: -32602,
        message: expect.stringContaining('Invalid or expired requestState'),
      });
      const [asked, retried, ...more] = toolCalls(lb, from);
      expect(more).toEqual([]);
      expect(asked).toMatchObject({ requestState: false });
      expect(retried).toMatchObject({ requestState: true });
      expect(retried!.upstream).not.toBe(asked!.upstream);
      expect(destroys(mark)).toEqual([]);
    } finally {
      await close();
    }
  });
  // The documented limit (SECURITY.md, "Single use is per process"): a nonce is remembered by the process
  // that took it, so the same confirmed retry sent again is refused there and repeats the call elsewhere.
  it('a confirmed retry replayed is refused by the process that took it, not by the other', async () => {
    const lb = await proxy(...sameKey);
    const { client, close } = await connectHttp(lb.url, { era: 'modern', elicit: 'accept', headers: AUTH });
    try {
      const mark = sim.log.length;
      const from = lb.forwarded.length;
      const result = await client.callTool({ name: 'vm_destroy', arguments: { vm: 'db-01' } });
      expect(result.isError, text(result)).toBeFalsy();
      const retried = toolCalls(lb, from)[1]!;
      expect(retried.requestState).toBe(true);
      const replay = async (upstream: HttpServer) => {
        const { host, connection, 'content-length': length, ...headers } = retried.headers;
        const answer = await fetch(upstream.url, {
          method: 'POST',
          headers: headers as Record<string, string>,
          body: retried.body,
        });
        return ((await answer.json()) as { result: { isError?: boolean; content: [{ text: string }] } })
          .result;
      };
      const same = await replay(sameKey[retried.upstream]!);
      expect(same.isError).toBe(true);
      expect(same.content[0].text).toContain('this confirmation of vm_destroy was already used');
      expect(destroys(mark)).toHaveLength(1);
      const other = await replay(sameKey[1 - retried.upstream]!);
      expect(other.isError).toBeFalsy();
      expect(destroys(mark)).toHaveLength(2);
    } finally {
      await close();
    }
  });
});

describe('2025-era client behind the same kind of proxy', () => {
  it('is refused destructive calls: stateless HTTP cannot ask its user, and confirm is not an argument', async () => {
    const lb = await proxy(...sameKey);
    const vm = 'web-02';
    // it could answer elicitation, but over stateless HTTP no server can send it the question
    const { client, era, close } = await connectHttp(lb.url, {
      era: 'legacy',
      elicit: 'accept',
      headers: AUTH,
    });
    try {
      expect(era).toBe('legacy');
      const mark = sim.log.length;
      const refused = await client.callTool({ name: 'vm_destroy', arguments: { vm } });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain('Refused: Destroy VM');
      expect(text(refused)).toContain('--allow-model-confirm');
      const confirmed = await client.callTool({ name: 'vm_destroy', arguments: { vm, confirm: true } });
      expect(confirmed.isError).toBe(true);
      expect(text(confirmed)).toContain('Invalid input `confirm`: not an argument of vm_destroy');
      expect(destroys(mark)).toEqual([]);
      expect(new Set(lb.forwarded.map((f) => f.upstream))).toEqual(new Set([0, 1]));
    } finally {
      await close();
    }
  });

  it('with --allow-model-confirm, goes ahead on `confirm: true` only', async () => {
    const lb = await proxy(...modelConfirms);
    const vm = 'web-02';
    const { client, close } = await connectHttp(lb.url, { era: 'legacy', headers: AUTH });
    try {
      const { tools } = await client.listTools();
      const destroy = tools.find((t) => t.name === 'vm_destroy');
      expect(Object.keys(destroy?.inputSchema.properties ?? {})).toContain('confirm');

      const mark = sim.log.length;
      const unconfirmed = await client.callTool({ name: 'vm_destroy', arguments: { vm } });
      expect(unconfirmed.isError).toBe(true);
      expect(text(unconfirmed)).toContain('Confirmation needed: Destroy VM');
      expect(destroys(mark)).toEqual([]);

      const confirmed = await client.callTool({ name: 'vm_destroy', arguments: { vm, confirm: true } });
      expect(confirmed.isError, text(confirmed)).toBeFalsy();
      expect(structured(confirmed)).toMatchObject({ vm: { name: vm, state: 'Destroyed' } });
      expect(destroys(mark)).toHaveLength(1);
      expect(new Set(lb.forwarded.map((f) => f.upstream))).toEqual(new Set([0, 1]));
    } finally {
      await close();
    }
  });
});
