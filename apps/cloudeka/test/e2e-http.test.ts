import type { CloudekaSim } from 'cloudeka-sim';
import { type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ERAS, structured, tempCache, UNREACHABLE, withSim } from './harness.js';

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
  it('answers /healthz with the environment before any exchange', async () => {
    const health = await fetch(url.replace('/mcp', '/healthz'));
    expect(await health.json()).toMatchObject({
      status: 'ok',
      server: 'cloudeka-mcp',
      environment: 'production',
      fell_back: false,
    });
    expect(sim.exchanges()).toBe(0);
  });

  // One token exchange serves every request of the process, whichever era asks.
  describe.each(ERAS)('%s era', (era) => {
    it('serves tools to a client with the token, with one exchange for many requests', async () => {
      const {
        client,
        era: landed,
        close,
      } = await server.connect({
        era,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      try {
        expect(landed).toBe(era);
        for (let i = 0; i < 3; i++) {
          const projects = await client.callTool({ name: 'project_list', arguments: {} });
          expect(structured<{ items: unknown[] }>(projects).items).toHaveLength(3);
        }
        expect(sim.exchanges()).toBe(1);
      } finally {
        await close();
      }
    });

    it('refuses a client without the token', async () => {
      await expect(server.connect({ era })).rejects.toMatchObject({ status: 401 });
    });
  });
});
