import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CloudekaSim } from 'cloudeka-sim';
import { type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, structured, tempCache, UNREACHABLE, withSim } from './harness.js';

const TOKEN = 'e2e-http-token-0123456789';
let sim: CloudekaSim;
let server: HttpServer;
let url: string;

beforeAll(async () => {
  sim = await withSim();
  server = await startHttpServer(CLI, {
    XDG_CACHE_HOME: tempCache(),
    CLDKCTL_TOKEN: sim.tokens.owner,
    CLDKCTL_BASE_URL: sim.url,
    CLDKCTL_STAGING_URL: UNREACHABLE,
    CLOUDMCP_HTTP_TOKEN: TOKEN,
  });
  url = server.url;
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

describe('cloudeka-mcp over Streamable HTTP', () => {
  it('answers /healthz with the environment, and serves tools with one exchange for many requests', async () => {
    const health = await fetch(url.replace('/mcp', '/healthz'));
    expect(await health.json()).toMatchObject({
      status: 'ok',
      server: 'cloudeka-mcp',
      environment: 'production',
      fell_back: false,
    });
    expect(sim.exchanges()).toBe(0);
    const client = new Client({ name: 'http-e2e', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    for (let i = 0; i < 3; i++) {
      const projects = await client.callTool({ name: 'project_list', arguments: {} });
      expect(structured<{ items: unknown[] }>(projects).items).toHaveLength(3);
    }
    expect(sim.exchanges()).toBe(1);
    await client.close();
  });

  it('refuses a client without the token', async () => {
    const client = new Client({ name: 'no-token', version: '1' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(url)))).rejects.toThrow();
  });
});
