import { join } from 'node:path';
import { type Connected, type HttpServer, startHttpServer } from 'mcp-test-kit';
import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN_CACHE,
  CLI,
  filesUnder,
  items,
  KUBECTL_MISSING,
  projectedTokens,
  SA_USER,
  startSim,
  tempDir,
} from './harness.js';

// Over HTTP several callers share one server. The model is one server, one hub identity (the operator's):
// connections are the process's, so what one caller connects another uses, and any caller may disconnect.
// What no caller gets: another kubeconfig, token or server smuggled through kubectl's options, a token in
// the server's log (at debug level too), or a file left behind.

const HTTP_TOKEN = 'http-token-0123456789abcdef0123456789abcdef';

let sim: OcmSim;
let http: HttpServer;
let home: string;
let tmp: string;
const clients: Connected[] = [];

async function caller(): Promise<Connected> {
  const connected = await http.connect({ headers: { authorization: `Bearer ${HTTP_TOKEN}` } });
  clients.push(connected);
  return connected;
}

async function call(client: Connected, name: string, args: Record<string, unknown> = {}) {
  const result = (await client.client.callTool({ name, arguments: args })) as {
    content: Array<{ text?: string }>;
    isError?: boolean;
    structuredContent?: Record<string, unknown>;
  };
  return {
    text: result.content.map((c) => c.text ?? '').join('\n'),
    isError: result.isError === true,
    structured: result.structuredContent,
  };
}

beforeAll(async () => {
  sim = await startSim({ managed: 2 });
  home = tempDir('ocm-http-home-');
  tmp = tempDir('ocm-http-tmp-');
  const kubeconfig = join(tempDir('ocm-http-kc-'), 'hub.yaml');
  sim.writeHubKubeconfig(kubeconfig);
  http = await startHttpServer(CLI, { HOME: home, TMPDIR: tmp, KUBECONFIG: kubeconfig }, [
    '--http-token',
    HTTP_TOKEN,
    '--log-level',
    'debug',
    '--cli-dirs',
    BIN_CACHE,
  ]);
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await http?.close();
  await sim?.close();
});

describe('one server, one hub identity', () => {
  it("a cluster one caller connects is another caller's too, and either may disconnect it", async () => {
    const [a, b] = [await caller(), await caller()];
    const connected = await call(a, 'connect_cluster', { cluster: 'cluster1' });
    expect(connected.isError, connected.text).toBe(false);
    const listed = await call(b, 'clusters');
    expect(items(listed).find((r) => r['name'] === 'cluster1')?.['connected']).toBe('view');
    const who = await call(b, 'can_i', { cluster: 'cluster1', verb: 'list', resource: 'pods' });
    expect(who.text).toMatch(/^yes\b/);
    expect(who.text).toContain(SA_USER.split(':').pop()!);
    const gone = await call(b, 'disconnect_cluster', { cluster: 'cluster1' });
    expect(gone.structured).toMatchObject({ managed_service_account: 'deleted', was_connected: true });
    const after = await call(a, 'clusters');
    expect(items(after).find((r) => r['name'] === 'cluster1')?.['connected']).toBe('-');
  });
});

describe.skipIf(KUBECTL_MISSING)('kubectl on a managed cluster', () => {
  it.each([
    ['--kubeconfig=/etc/hosts', 'Refused `--kubeconfig`'],
    ['--token=stolen', 'Refused `--token`'],
    ['--server=https://169.254.169.254', 'Refused `--server`'],
    ['-s https://evil.example.com', 'Refused `-s`'],
    ['--as=system:admin', 'Refused `--as`'],
    ['--as-group=system:masters', 'Refused `--as-group`'],
    ['--insecure-skip-tls-verify', 'Refused `--insecure-skip-tls-verify`'],
    ['--context=hub', 'Refused `--context`'],
    ['--user=hub-admin', 'Refused `--user`'],
    ['-v=9', 'Refused `-v 9`'],
  ])('refuses `get pods %s` before anything runs', async (option, refusal) => {
    const client = await caller();
    const before = sim.managed[1]!.cluster.log.length;
    const result = await call(client, 'kubectl', {
      cluster: 'cluster2',
      command: `kubectl get pods -n team-a ${option}`,
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(refusal);
    expect(
      sim.managed[1]!.cluster.log.slice(before).filter((e) => e.userAgent.startsWith('kubectl')),
    ).toEqual([]);
  });

  it("never shows the hub's token Secrets, which hold every connected cluster's token", async () => {
    const client = await caller();
    await call(client, 'connect_cluster', { cluster: 'cluster1' });
    const tokens = projectedTokens(sim);
    expect(tokens.length).toBeGreaterThan(0);
    const encoded = tokens.map((t) => Buffer.from(t).toString('base64'));
    const secret = 'secret cloudmcp-ocm -n cluster1';
    for (const command of [
      `kubectl get ${secret} -o yaml`,
      `kubectl get ${secret} -o json`,
      'kubectl get --raw /api/v1/namespaces/cluster1/secrets/cloudmcp-ocm',
      `kubectl describe ${secret}`,
      `kubectl get ${secret} -o jsonpath={.data.token}`,
      `kubectl get ${secret} -o go-template={{.data.token}}`,
    ]) {
      const result = await call(client, 'kubectl', { command });
      for (const value of [...tokens, ...encoded]) expect(result.text, command).not.toContain(value);
    }
    const got = await call(client, 'resource_get', {
      kind: 'Secret',
      name: 'cloudmcp-ocm',
      namespace: 'cluster1',
    });
    for (const value of [...tokens, ...encoded]) {
      expect(got.text).not.toContain(value);
      expect(JSON.stringify(got.structured)).not.toContain(value);
    }
  });

  it('runs a plain command as the projected service account', async () => {
    const client = await caller();
    const result = await call(client, 'kubectl', {
      cluster: 'cluster2',
      command: 'kubectl get pods -n team-a',
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.text).toMatch(/^NAME\s+READY/m);
  });
});

describe('what the server leaves behind', () => {
  it('no token in its log at debug level, and no file in HOME or TMPDIR', async () => {
    const client = await caller();
    await call(client, 'pod_list', { cluster: 'cluster2', namespace: 'team-a' });
    const log = http.stderr();
    // the log is not empty (requests are logged), so the search below has something to search
    expect(log).toMatch(/HTTP request/);
    const secrets = [HTTP_TOKEN, ...projectedTokens(sim), ...Object.values(sim.hub.tokens)];
    expect(secrets.length).toBeGreaterThan(4);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect([...filesUnder(home), ...filesUnder(tmp)]).toEqual([]);
  });
});
