import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { OciSim } from 'oci-sim';
import { type OidcIssuer, startOidcIssuer } from 'sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN_CACHE, type OkeHttpClient, type OkeHttpServer, startOkeHttp, startSim } from './harness.js';

// A read-scope OAuth caller over real HTTP gets what --read-only lists (ServerSpec.readOnlyTools): the kubectl
// that runs only reading commands, so `kubectl get` works on an OKE cluster and a write is refused.

const AUDIENCE = 'https://oke-mcp.example/mcp';
const KUBECTL_MISSING = existsSync(join(BIN_CACHE, 'kubectl')) ? undefined : `no kubectl in ${BIN_CACHE}`;
let sim: OciSim;
let issuer: OidcIssuer;
let http: OkeHttpServer;
const clients: OkeHttpClient[] = [];

beforeAll(async () => {
  [sim, issuer] = await Promise.all([startSim(), startOidcIssuer()]);
  http = await startOkeHttp(sim, {
    env: { CLOUDMCP_OAUTH_ISSUER: issuer.url, CLOUDMCP_OAUTH_AUDIENCE: AUDIENCE },
    args: ['--cli-dirs', BIN_CACHE],
  });
});
afterAll(async () => {
  while (clients.length) await clients.pop()!.close();
  await http?.close();
  await Promise.all([sim?.close(), issuer?.close()]);
});

async function connect(scope: string): Promise<OkeHttpClient> {
  const token = issuer.mint({ sub: 'reader', aud: AUDIENCE, client_id: 'e2e', scope });
  const client = await http.connect({ headers: { authorization: `Bearer ${token}` } });
  clients.push(client);
  return client;
}

describe('oke-mcp with a read-scope OAuth caller', () => {
  it('lists the reading kubectl and no writing tool', async () => {
    const reader = await connect('mcp:read');
    const tools = (await reader.connected.client.listTools()).tools;
    const kubectl = tools.find((t) => t.name === 'kubectl');
    expect(kubectl?.annotations?.readOnlyHint).toBe(true);
    expect(tools.map((t) => t.name)).not.toContain('node_pool_scale');
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
  });

  it.skipIf(!!KUBECTL_MISSING)(
    KUBECTL_MISSING ?? 'runs kubectl get on a cluster, and refuses a write',
    async () => {
      const reader = await connect('mcp:read');
      const got = await reader.ok('kubectl', { cluster: 'oke-prod', command: 'get namespaces -o name' });
      expect((got.structured as { stdout: string }).stdout).toContain('namespace/team-a');
      const write = await reader.call('kubectl', { cluster: 'oke-prod', command: 'delete namespace team-a' });
      expect(write.isError).toBe(true);
      expect(write.text).toMatch(/read-only/i);
    },
  );
});
