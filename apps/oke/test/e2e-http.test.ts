import { readFileSync } from 'node:fs';
import { expectDeclineThenAccept } from 'mcp-test-kit';
import type { OciSim } from 'oci-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compartmentNamed,
  countOps,
  ERAS,
  items,
  type OkeHttpClient,
  type OkeHttpServer,
  seen,
  startOkeHttp,
  startSim,
} from './harness.js';

// Streamable HTTP: one process serves both eras with a bearer token; defaults_set (a per-process choice) is not
// offered; a scale down is confirmed where the client can be asked and refused where it cannot.

const TOKEN = 'oke-e2e-http-token-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };

let sim: OciSim;
let http: OkeHttpServer;
const clients: OkeHttpClient[] = [];

beforeAll(async () => {
  sim = await startSim();
  http = await startOkeHttp(sim, { env: { CLOUDMCP_HTTP_TOKEN: TOKEN } });
});
afterAll(async () => {
  while (clients.length) await clients.pop()!.close();
  if (http) {
    await http.close();
    // neither the bearer token nor the OCI private key reaches a result or the server's log
    const key = readFileSync(http.config.keyFile, 'utf8');
    const keyLine = key.split('\n').find((line) => line.length > 40 && !line.startsWith('-----'))!;
    for (const text of seen) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(keyLine);
    }
  }
  await sim?.close();
});

async function connect(opts: Parameters<OkeHttpServer['connect']>[0] = {}): Promise<OkeHttpClient> {
  const client = await http.connect({ headers: bearer, ...opts });
  clients.push(client);
  return client;
}

/** A POST of `tools/list` to the endpoint with these headers, answered or refused. */
function postToolsList(headers: Record<string, string>): Promise<Response> {
  return fetch(http.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
}

describe('oke-mcp over Streamable HTTP', () => {
  it('binds to loopback; /healthz answers without the token and names nothing, /readyz?verbose the server', async () => {
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const res = await fetch(http.url.replace('/mcp', '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    const verbose = http.url.replace('/mcp', '/readyz?verbose');
    expect((await fetch(verbose)).status).toBe(401);
    expect(await (await fetch(verbose, { headers: bearer })).json()).toEqual({
      status: 'ready',
      server: 'oke-mcp',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    });
  });

  it('refuses a request without the bearer token, or with another, with 401 and nothing read', async () => {
    const before = sim.log.length;
    const wrong: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not-the-token' },
      { authorization: TOKEN },
    ];
    for (const headers of wrong) {
      const res = await postToolsList(headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({
        error: { code: -32001, message: 'Unauthorized: missing or wrong bearer token' },
      });
    }
    expect(sim.log.length).toBe(before);
  });
});

describe.each(ERAS)('%s era', (era) => {
  it('refuses a client without the token (401)', async () => {
    await expect(http.connect({ era })).rejects.toMatchObject({ status: 401 });
  });

  it('lists the tools without defaults_set, and reads OCI and a cluster by name', async () => {
    const client = await connect({ era });
    expect(client.era).toBe(era);
    const names = (await client.connected.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['cluster_list', 'defaults_get', 'node_pool_scale', 'pod_list']),
    );
    // a default chosen by one HTTP caller would change every caller's: the tool is offered on stdio only
    expect(names).not.toContain('defaults_set');

    expect(items(await client.ok('cluster_list')).map((c) => c['name'])).toEqual(['oke-prod']);
    const namespaces = items(await client.ok('namespace_list', { cluster: 'oke-prod' })).map(
      (n) => n['name'],
    );
    expect(namespaces).toEqual(expect.arrayContaining(['default', 'kube-system']));
  });

  it('scales a pool down only on the user’s yes (modern), and refuses where no one can be asked (legacy)', async () => {
    const pool = { cluster: 'oke-prod', node_pool: 'pool-arm' };
    const reader = await connect({ era });
    const size = (await reader.ok('node_pool_get', pool)).structured?.['size'] as number;
    // growing asks no one
    await reader.ok('node_pool_scale', { ...pool, size: size + 1 });
    const down = { ...pool, size };

    if (era === 'modern') {
      // the server answers input_required, the client asks its user and retries with the answer
      const declining = await connect({ era, elicit: 'decline' });
      await expectDeclineThenAccept({
        declining: declining.connected.client,
        accepting: async () => (await connect({ era, elicit: 'accept' })).connected.client,
        tool: 'node_pool_scale',
        arguments: down,
        changes: () => countOps(sim, 'UpdateNodePool'),
      });
      expect((await reader.ok('node_pool_get', pool)).structured).toMatchObject({ size, state: 'ACTIVE' });
    } else {
      // 2025-era HTTP is stateless: the server cannot send a question, not even to a client that would answer
      const accepting = await connect({ era, elicit: 'accept' });
      const before = countOps(sim, 'UpdateNodePool');
      const refused = await accepting.call('node_pool_scale', down);
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain(
        `Error: Refused: Scale node pool pool-arm from ${size + 1} to ${size} nodes (1 deleted). ` +
          'Your MCP client cannot ask you to confirm (it does not support elicitation on this connection)',
      );
      expect(refused.text).toContain('Nothing was changed.');
      expect(countOps(sim, 'UpdateNodePool')).toBe(before);
      expect((await reader.ok('node_pool_get', pool)).structured).toMatchObject({ size: size + 1 });
    }
  });
});

describe('`*` on a fresh server', () => {
  it('asks the default compartment’s clusters without a cluster_list first', async () => {
    // the development compartment holds oke-dev; this server has seen no cluster yet
    const fresh = await startOkeHttp(sim, {
      compartment: compartmentNamed(sim, 'development'),
      env: { CLOUDMCP_HTTP_TOKEN: TOKEN },
    });
    try {
      const client = await fresh.connect({ headers: bearer });
      const listed = countOps(sim, 'ListClusters');
      const all = await client.ok('pods_not_ready', { cluster: '*' });
      expect(all.structured?.['unreachable']).toBeUndefined();
      const rows = items(all);
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r['cluster']))).toEqual(new Set(['oke-dev']));
      expect(countOps(sim, 'ListClusters')).toBe(listed + 1);
      await client.close();
    } finally {
      await fresh.close();
    }
  });
});
