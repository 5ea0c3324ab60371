import type { CloudekaSim } from 'cloudeka-sim';
import { type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  ERAS,
  hits,
  structured,
  type Table,
  tempCache,
  text,
  UNREACHABLE,
  WORKING_TOOLSETS,
  withSim,
} from './harness.js';

const TOKEN = 'e2e-http-token-0123456789';
let sim: CloudekaSim;
let server: HttpServer;
let url: string;

beforeAll(async () => {
  sim = await withSim();
  server = await startHttpServer(
    CLI,
    {
      XDG_CACHE_HOME: tempCache(),
      CLDKCTL_TOKEN: sim.tokens.owner,
      CLDKCTL_BASE_URL: sim.url,
      CLDKCTL_STAGING_URL: UNREACHABLE,
      CLOUDMCP_HTTP_TOKEN: TOKEN,
    },
    ['--toolsets', WORKING_TOOLSETS.join(',')],
  );
  url = server.url;
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

describe('cloudeka-mcp over Streamable HTTP', () => {
  it('answers /readyz?verbose (token only) with the environment before any exchange; /healthz only ok', async () => {
    expect(await (await fetch(url.replace('/mcp', '/healthz'))).json()).toEqual({ status: 'ok' });
    const health = await fetch(url.replace('/mcp', '/readyz?verbose'), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(await health.json()).toMatchObject({
      status: 'ready',
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
          expect(structured<Table>(projects).rows).toHaveLength(3);
        }
        expect(sim.exchanges()).toBe(1);
      } finally {
        await close();
      }
    });

    // Over HTTP a 2025-era client is served statelessly: nothing can be pushed to it, so even a client that
    // would ask its user is refused. A 2026-07-28 client is asked inside the call and its user decides.
    it('deletes a role only when the user can be asked and accepts', async () => {
      const { client, close } = await server.connect({
        era,
        elicit: 'accept',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      try {
        const created = await client.callTool({ name: 'role_create', arguments: { name: `HTTP ${era}` } });
        const roleId = structured<{ role: { id: string } }>(created).role.id;
        const route = '/core/user/organization/role/:role_id';
        const before = hits(sim, 'DELETE', route);
        const result = await client.callTool({ name: 'role_delete', arguments: { role_id: roleId } });
        if (era === 'legacy') {
          expect(result.isError).toBe(true);
          expect(text(result)).toContain(`Refused: Delete role ${roleId}. Your MCP client cannot ask you`);
          expect(hits(sim, 'DELETE', route)).toBe(before);
        } else {
          expect(result.isError, text(result)).toBeFalsy();
          expect(text(result)).toContain(`Deleted role ${roleId}.`);
          expect(hits(sim, 'DELETE', route)).toBe(before + 1);
        }
      } finally {
        await close();
      }
    });

    it('refuses a client without the token', async () => {
      await expect(server.connect({ era })).rejects.toMatchObject({ status: 401 });
    });
  });
});
