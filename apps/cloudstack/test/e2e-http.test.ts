import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudStackSim } from 'cloudstack-sim';
import { type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ERAS, rows, text, withSim } from './harness.js';

const TOKEN = 'e2e-http-token-0123456789';
let sim: CloudStackSim;
let server: HttpServer;
let url: string;

beforeAll(async () => {
  sim = await withSim();
  const { admin } = sim.credentials;
  server = await startHttpServer(CLI, {
    XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cs-http-')),
    CLOUDSTACK_API_URL: sim.url,
    CLOUDSTACK_API_KEY: admin.apiKey,
    CLOUDSTACK_SECRET_KEY: admin.secretKey,
    CLOUDSTACK_JOB_POLL_MS: '20',
    CLOUDMCP_HTTP_TOKEN: TOKEN,
  });
  url = server.url;
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

describe('cloudstack-mcp over Streamable HTTP', () => {
  it('binds to loopback; /healthz says only that it is up, /readyz?verbose names the server to the token', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const health = await fetch(url.replace('/mcp', '/healthz'));
    expect(await health.json()).toEqual({ status: 'ok' });
    const verbose = url.replace('/mcp', '/readyz?verbose');
    expect((await fetch(verbose)).status).toBe(401);
    const ready = await fetch(verbose, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await ready.json()).toMatchObject({ status: 'ready', server: 'cloudstack-mcp' });
  });

  describe.each(ERAS)('%s era', (era) => {
    it('serves tools to a client with the token, with progress', async () => {
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
        const tools = await client.listTools();
        expect(tools.tools.map((t) => t.name)).toContain('vm_deploy');
        const zones = await client.callTool({ name: 'zone_list', arguments: {} });
        expect(rows(zones).length).toBeGreaterThan(0);

        const first = async (tool: string, args = {}) =>
          rows(await client.callTool({ name: tool, arguments: args }))[0]!.id;
        const zone = await first('zone_list');
        const progress: number[] = [];
        const deployed = await client.callTool(
          {
            name: 'vm_deploy',
            arguments: {
              zone,
              template: await first('template_list', { zone }),
              service_offering: await first('service_offering_list'),
            },
          },
          { onprogress: (p) => progress.push(p.progress) },
        );
        expect(deployed.isError, text(deployed)).toBeFalsy();
        expect(progress.length).toBeGreaterThan(0);
      } finally {
        await close();
      }
    });

    it('refuses a client without the token', async () => {
      await expect(server.connect({ era })).rejects.toMatchObject({ status: 401 });
    });
  });
});
