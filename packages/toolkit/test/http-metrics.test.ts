import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, HttpClient, type HttpHandle, ToolError } from '../src/index.js';
import { bearer, callBody, echo, mcpHeaders, raw, readOnly, rpcResult, serveTools } from './http-kit.js';

// /metrics counts exactly what happened: tool calls by outcome, their latency, upstream retries and
// errors (through the toolkit's HttpClient), authentication failures, and requests by route and status.

/** An upstream that answers /flaky 503 once and then 200, and /down 500 always. */
let upstream: Server;
let upstreamUrl: string;
let flakyHits = 0;

const output = z.object({ status: z.number() });
const noInput = z.object({});

function upstreamTool(name: string, path: string, retries: number) {
  const client = new HttpClient({ name: 'test-api', retries, sleep: async () => {} });
  return defineTool({
    name,
    title: name,
    description: `GETs ${path} from the test upstream.`,
    toolset: 'up',
    input: noInput,
    output,
    annotations: readOnly,
    render: { kind: 'object' },
    async handler(_input, ctx) {
      const res = await client.request({ method: 'GET', url: `${upstreamUrl}${path}`, signal: ctx.signal });
      if (!res.ok) throw new ToolError(`upstream answered ${res.status}`);
      return { status: res.status };
    },
  });
}

const fail = defineTool({
  name: 'fail_get',
  title: 'Fail',
  description: 'Always fails.',
  toolset: 'echo',
  input: noInput,
  output,
  annotations: readOnly,
  render: { kind: 'object' },
  async handler() {
    throw new ToolError('it broke');
  },
});

const drop = defineTool({
  name: 'thing_delete',
  title: 'Delete a thing',
  description: 'Deletes a thing.',
  toolset: 'echo',
  input: noInput,
  output,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  render: { kind: 'object' },
  async handler() {
    return { status: 204 };
  },
});

let handle: HttpHandle;

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const status = req.url === '/flaky' ? (flakyHits++ === 0 ? 503 : 200) : 500;
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  handle = await serveTools([
    echo,
    fail,
    drop,
    upstreamTool('flaky_get', '/flaky', 2),
    upstreamTool('down_get', '/down', 0),
  ]);
});
afterAll(async () => {
  await handle?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

async function call(name: string, args: Record<string, unknown> = {}) {
  const res = await raw(handle, '/mcp', {
    method: 'POST',
    headers: { ...mcpHeaders, ...bearer },
    body: callBody(name, args),
  });
  expect(res.status).toBe(200);
  return rpcResult(res.body).result!;
}

/** The samples of one metric family: `{labels} value` lines, labels as written. */
function samples(text: string, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) out[match[2] ?? ''] = Number(match[3]);
  }
  return out;
}

describe('/metrics', () => {
  it('needs the token, like /mcp', async () => {
    const res = await raw(handle, '/metrics');
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('cloudmcp_');
  });

  it('counts what the test did', async () => {
    expect((await call('echo_get', { word: 'one' })).isError).toBeFalsy();
    expect((await call('echo_get', { word: 'two' })).isError).toBeFalsy();
    expect((await call('fail_get')).isError).toBe(true);
    // a 2025-era client over stateless HTTP cannot be asked: the policy refuses
    const refused = await call('thing_delete');
    expect(JSON.stringify(refused.content)).toContain('Refused: Delete a thing');
    expect((await call('flaky_get')).structuredContent).toEqual({ status: 200 });
    expect((await call('down_get')).isError).toBe(true);
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789']) {
      const res = await raw(handle, '/mcp', {
        method: 'POST',
        headers: { ...mcpHeaders, ...(authorization ? { authorization } : {}) },
        body: callBody('echo_get', { word: 'x' }),
      });
      expect(res.status).toBe(401);
    }

    const res = await raw(handle, '/metrics', { headers: bearer });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.body;
    expect(samples(text, 'cloudmcp_tool_calls_total')).toEqual({
      '{tool="echo_get",outcome="ok"}': 2,
      '{tool="fail_get",outcome="error"}': 1,
      '{tool="thing_delete",outcome="refused"}': 1,
      '{tool="flaky_get",outcome="ok"}': 1,
      '{tool="down_get",outcome="error"}': 1,
    });
    expect(samples(text, 'cloudmcp_tool_call_duration_seconds_count')).toEqual({
      '{tool="echo_get"}': 2,
      '{tool="fail_get"}': 1,
      '{tool="thing_delete"}': 1,
      '{tool="flaky_get"}': 1,
      '{tool="down_get"}': 1,
    });
    expect(samples(text, 'cloudmcp_upstream_retries_total')).toEqual({
      '{upstream="test-api",reason="503"}': 1,
    });
    expect(samples(text, 'cloudmcp_upstream_errors_total')).toEqual({
      '{upstream="test-api",kind="http_5xx"}': 1,
    });
    expect(samples(text, 'cloudmcp_auth_failures_total')).toEqual({
      '{reason="missing_token"}': 2, // the first test's /metrics without a token, and one POST here
      '{reason="wrong_token"}': 1,
    });
    expect(samples(text, 'cloudmcp_http_requests_total')).toEqual({
      '{path="/metrics",status="401"}': 1,
      '{path="/mcp",status="200"}': 6,
      '{path="/mcp",status="401"}': 2,
    });
    // the process's own metrics come along, in the same registry
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
