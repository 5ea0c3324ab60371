import { request } from 'node:https';
import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADDON_NAMESPACE,
  filesUnder,
  items,
  KUBECTL_MISSING,
  type OcmServer,
  projectedTokens,
  SA_USER,
  SERVICE_ACCOUNT,
  seen,
  startOcm,
  startSim,
} from './harness.js';

// The seed's flow end to end over stdio, against a hub with three managed clusters and agents that act only
// through the API: connect with `view` (each step in progress), read a managed cluster as the projected
// service account, be refused what `view` may not do, survive a token rotation, disconnect cleanly — with
// no file written and no token in any output or log.

if (KUBECTL_MISSING) console.warn(`kubectl tests skipped: ${KUBECTL_MISSING}`);

let sim: OcmSim;
let server: OcmServer;
/** Every token the add-on projected while the tests ran (rotation makes new ones). */
const tokens = new Set<string>();
const remember = () => {
  for (const token of projectedTokens(sim)) tokens.add(token);
};

beforeAll(async () => {
  sim = await startSim();
  server = await startOcm(sim, { elicit: 'accept' });
});
afterAll(async () => {
  remember();
  await server?.close();
  // the runner's 0600 kubeconfig files are unlinked as soon as the CLI has them: nothing stays behind
  if (server) expect([...filesUnder(server.home), ...filesUnder(server.tmp)]).toEqual([]);
  const secrets = [...tokens, ...Object.values(sim.hub.tokens)];
  expect(secrets.length).toBeGreaterThan(4);
  for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
  await sim?.close();
});

/** The requests a managed cluster's API server saw, from index `from` on. */
const logOf = (cluster: string, from = 0) =>
  sim.managed.find((m) => m.name === cluster)!.cluster.log.slice(from);
const logLength = (cluster: string) => logOf(cluster).length;
/** The requests this server (or the kubectl it ran) sent, not the sim's agents. */
const oursOn = (cluster: string, from: number) =>
  logOf(cluster, from).filter((e) => /^(cloudmcp-ocm|kubectl)\//.test(e.userAgent));

/** A status code for one request to a managed cluster with `token` (CA-verified). */
function statusWith(cluster: string, token: string): Promise<number> {
  const { url, caPem } = sim.managed.find((m) => m.name === cluster)!.cluster;
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/v1/namespaces/team-a/pods`,
      { ca: caPem, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** How often the hub was asked for a cluster's token Secret. */
const secretReads = (cluster: string) =>
  sim.hub.log.filter((e) => e.method === 'GET' && e.resource === 'secrets' && e.namespace === cluster).length;

const tokenOf = (cluster: string): string => {
  const secret = sim.hub.store.get('v1', 'Secret', cluster, SERVICE_ACCOUNT);
  const data = secret?.['data'] as Record<string, string> | undefined;
  return Buffer.from(data?.['token'] ?? '', 'base64').toString('utf8');
};

describe('connect_cluster', () => {
  it('connects with `view` through OCM, naming each of the six steps in progress notifications', async () => {
    const result = await server.withProgress('connect_cluster', { cluster: 'cluster1' });
    expect(result.isError, result.text).toBe(false);
    // the table's cells: a user name longer than its column is cut (the text shows the same)
    expect(items(result)).toEqual([
      {
        cluster: 'cluster1',
        outcome: 'connected',
        role: 'view',
        user: expect.stringMatching(/^system:serviceaccount:open-cluster-management-agent-addon:/),
        error: '',
      },
    ]);
    expect(SA_USER.startsWith(items(result)[0]!['user']!.replace(/…$/, ''))).toBe(true);
    const messages = result.progress.map((p) => p.message ?? '');
    for (const [i, step] of [
      'cluster',
      'add-on',
      'service account',
      'role binding',
      'token',
      'kubeconfig',
    ].entries()) {
      expect(
        messages.some((m) => m.startsWith(`cluster1: step ${i + 1}/6 (${step})`)),
        step,
      ).toBe(true);
    }
    const values = result.progress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);

    // what OCM holds now: the ManagedServiceAccount, the ManifestWork with its one binding, applied
    const msa = sim.hub.store.get(
      'authentication.open-cluster-management.io/v1beta1',
      'ManagedServiceAccount',
      'cluster1',
      SERVICE_ACCOUNT,
    );
    expect(msa?.['spec']).toMatchObject({ rotation: { enabled: true, validity: '24h0m0s' } });
    const work = sim.hub.store.get(
      'work.open-cluster-management.io/v1',
      'ManifestWork',
      'cluster1',
      `${SERVICE_ACCOUNT}-rbac`,
    );
    const manifests = (work!['spec'] as { workload: { manifests: Array<Record<string, unknown>> } }).workload
      .manifests;
    expect(manifests).toHaveLength(1);
    expect(manifests[0]).toMatchObject({
      kind: 'ClusterRoleBinding',
      metadata: { name: `${SERVICE_ACCOUNT}-view` },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: ADDON_NAMESPACE }],
    });
    const managed = sim.managed[0]!.cluster.store;
    expect(
      managed.get('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', undefined, `${SERVICE_ACCOUNT}-view`),
    ).toBeDefined();
    remember();
  });

  it('is idempotent: a second call changes nothing and connects again at once', async () => {
    const work = () =>
      sim.hub.store.get(
        'work.open-cluster-management.io/v1',
        'ManifestWork',
        'cluster1',
        `${SERVICE_ACCOUNT}-rbac`,
      );
    const generation = (work()!['metadata'] as { generation?: number }).generation;
    const again = await server.ok('connect_cluster', { cluster: 'cluster1', cluster_role: 'view' });
    expect(items(again)[0]).toMatchObject({ cluster: 'cluster1', outcome: 'connected', role: 'view' });
    expect((work()!['metadata'] as { generation?: number }).generation).toBe(generation);
  });

  it('`clusters` shows the connection, the seed columns and the claims', async () => {
    const list = await server.ok('clusters');
    const rows = items<Record<string, unknown>>(list);
    expect(rows.map((r) => r['name'])).toEqual(['cluster1', 'cluster2', 'cluster3']);
    expect(rows[0]).toMatchObject({
      name: 'cluster1',
      'hub accepted': 'true',
      url: sim.managed[0]!.cluster.url,
      joined: 'True',
      available: 'True',
      set: 'default',
      connected: 'view',
    });
    expect(rows[1]?.['connected']).toBe('-');
    expect(list.text).toMatch(/^NAME\s+HUB ACCEPTED\s+URL\s+JOINED\s+AVAILABLE\s+AGE/m);
  });
});

describe('a connected cluster', () => {
  it('answers the Kubernetes tools as the projected service account, with the token from the hub', async () => {
    const from = logLength('cluster1');
    const pods = items(await server.ok('pod_list', { cluster: 'cluster1', namespace: 'team-a' }));
    expect(pods.map((p) => String(p['name']))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^web-/)]),
    );
    const users = new Set(oursOn('cluster1', from).map((e) => e.user));
    expect(users).toEqual(new Set([SA_USER]));
    // the hub is untouched by it: no call names the hub
    const hubPods = await server.call('pod_list', { namespace: 'team-a' });
    expect(items(hubPods).length).toBe(0);
  });

  it('refuses what `view` may not do with a clear 403, and nothing changes', async () => {
    const refused = await server.call('pod_delete', {
      cluster: 'cluster1',
      namespace: 'team-a',
      name: items(await server.ok('pod_list', { cluster: 'cluster1', namespace: 'team-a' }))[0]!['name'],
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(
      /Forbidden: your credentials may not delete pods in namespace "team-a" on cluster "cluster1"/,
    );
    expect(refused.text).toContain('403');
  });

  it('picks up a rotated token: a 401 makes it read the Secret again once and retry', async () => {
    const before = tokenOf('cluster1');
    await sim.rotateTokens('cluster1');
    const after = tokenOf('cluster1');
    remember();
    expect(after).not.toBe(before);
    expect(await statusWith('cluster1', after)).toBe(200);

    // the API server refuses the cached token once, as it does one that expired or was revoked
    const cluster = sim.managed.find((m) => m.name === 'cluster1')!.cluster;
    cluster.addFault({ kind: 'status', status: 401, message: 'Unauthorized', resource: 'pods', times: 1 });
    const reads = secretReads('cluster1');
    const from = logLength('cluster1');
    const pods = await server.ok('pod_list', { cluster: 'cluster1', namespace: 'team-a' });
    expect(items(pods).length).toBeGreaterThan(0);
    expect(oursOn('cluster1', from).map((e) => e.status)).toEqual([401, 200]);
    expect(secretReads('cluster1')).toBe(reads + 1);
  });

  it.skipIf(KUBECTL_MISSING)(
    'runs kubectl with the token read just now, and `yaml` is refused by RBAC under view',
    async () => {
      const reads = secretReads('cluster1');
      const from = logLength('cluster1');
      const get = await server.ok('kubectl', { command: 'kubectl get pods -n team-a', cluster: 'cluster1' });
      expect(get.text).toMatch(/web-/);
      // kubectl cannot retry with a newer token: the Secret is read for every command
      expect(secretReads('cluster1')).toBe(reads + 1);
      expect(new Set(oursOn('cluster1', from).map((e) => e.user))).toEqual(new Set([SA_USER]));
      await sim.rotateTokens('cluster1');
      remember();
      const again = await server.ok('kubectl', { command: 'get pods -n team-a', cluster: 'cluster1' });
      expect(again.text).toMatch(/web-/);
      const applied = await server.call('kubectl', {
        cluster: 'cluster1',
        yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-model, namespace: team-a}\ndata: {a: b}\n',
      });
      expect(applied.isError).toBe(true);
      expect(applied.text).toMatch(/forbidden/i);
      expect(sim.managed[0]!.cluster.store.get('v1', 'ConfigMap', 'team-a', 'from-model')).toBeUndefined();
    },
  );

  it('a tool naming a cluster not yet connected connects it on first use, with `view`', async () => {
    const from = logLength('cluster2');
    const namespaces = items(await server.ok('namespace_list', { cluster: 'cluster2' }));
    expect(namespaces.map((n) => n['name'])).toContain('team-a');
    expect(new Set(oursOn('cluster2', from).map((e) => e.user))).toEqual(new Set([SA_USER]));
    const rows = items<Record<string, unknown>>(await server.ok('clusters'));
    expect(rows.find((r) => r['name'] === 'cluster2')?.['connected']).toBe('view');
    remember();
  });
});

describe('first use', () => {
  it('concurrent calls naming one new cluster share one connect: one ManagedServiceAccount apply', async () => {
    const applies = () =>
      sim.hub.log.filter(
        (e) => e.method === 'PATCH' && e.resource === 'managedserviceaccounts' && e.namespace === 'cluster3',
      ).length;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => server.ok('namespace_list', { cluster: 'cluster3' })),
    );
    expect(answers.every((a) => items(a).some((n) => n['name'] === 'team-a'))).toBe(true);
    expect(applies()).toBe(1);
    remember();
  });
});

describe('disconnect_cluster', () => {
  it('removes the ManagedServiceAccount, the ManifestWork and the binding, and forgets the cluster', async () => {
    remember();
    const result = await server.ok('disconnect_cluster', { cluster: 'cluster1' });
    expect(result.structured).toEqual({
      cluster: 'cluster1',
      service_account: SERVICE_ACCOUNT,
      managed_service_account: 'deleted',
      manifest_work: 'deleted',
      role_binding: 'removed by the work agent with the ManifestWork',
      was_connected: true,
    });
    await sim.settle();
    const hub = sim.hub.store;
    expect(
      hub.get(
        'authentication.open-cluster-management.io/v1beta1',
        'ManagedServiceAccount',
        'cluster1',
        SERVICE_ACCOUNT,
      ),
    ).toBeUndefined();
    expect(
      hub.get('work.open-cluster-management.io/v1', 'ManifestWork', 'cluster1', `${SERVICE_ACCOUNT}-rbac`),
    ).toBeUndefined();
    const managed = sim.managed[0]!.cluster.store;
    const bindings = managed
      .list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding')
      .filter((b) => JSON.stringify(b).includes(SERVICE_ACCOUNT));
    expect(bindings).toEqual([]);
    expect(
      items<Record<string, unknown>>(await server.ok('clusters')).find((r) => r['name'] === 'cluster1')?.[
        'connected'
      ],
    ).toBe('-');
  });

  it('is idempotent: a second call finds nothing to delete', async () => {
    const again = await server.ok('disconnect_cluster', { cluster: 'cluster1' });
    expect(again.structured).toMatchObject({
      managed_service_account: 'absent',
      manifest_work: 'absent',
      was_connected: false,
    });
  });
});
