import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, type OcmServer, seen, startOcm, startSim } from './harness.js';

// The fleet tools end to end over stdio against a hub with three managed clusters whose work agents act only
// through the API: a ManifestWork applied and followed to Available, a failing manifest with the agent's
// message, manifests dropped and a work deleted only after the user agreed (and the resources gone from the
// managed cluster), placements with their decisions and why one is not satisfied, the cluster sets, and the
// add-ons of a cluster that lacks one.

let sim: OcmSim;
let server: OcmServer;
/** What the user was asked to confirm, in order; how the user answers. */
const asked: string[] = [];
let answer: 'accept' | 'decline' = 'accept';

beforeAll(async () => {
  sim = await startSim({
    managed: [
      { name: 'cluster1', labels: { env: 'prod' }, claims: { region: 'eu' } },
      { name: 'cluster2', labels: { env: 'dev' } },
      { name: 'cluster3', labels: { env: 'prod' }, addons: [], clusterSet: 'edge' },
    ],
    clusterSets: ['empty-set'],
  });
  server = await startOcm(sim, { elicit: 'accept' });
  server.server.client.setRequestHandler('elicitation/create', async (request) => {
    asked.push(request.params.message);
    return answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
  });
});

afterAll(async () => {
  await server?.close();
  const secrets = Object.values(sim.hub.tokens);
  for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
  await sim?.close();
});

const managed = (name: string) => sim.managed.find((m) => m.name === name)!.cluster.store;

const configMap = (name: string, namespace = 'default') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { greeting: 'hi' },
});

const HELLO_YAML = `
apiVersion: v1
kind: ConfigMap
metadata: {name: hello, namespace: default}
data: {greeting: hi}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: hello, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: hello}}
  template:
    metadata: {labels: {app: hello}}
    spec:
      containers: [{name: hello, image: busybox, command: [sleep, '3600']}]
`;

describe('ManifestWorks', () => {
  it('applies a new work without asking, follows the agent with progress to Available', async () => {
    const before = asked.length;
    const result = await server.withProgress('manifestwork_apply', {
      cluster: 'cluster1',
      name: 'hello',
      manifests: HELLO_YAML,
    });
    expect(result.isError, result.text).toBe(false);
    expect(asked.length).toBe(before);
    // the agent acts after the apply, so the first check finds it still applying
    expect(result.progress.length).toBeGreaterThan(0);
    expect(result.progress[0]!.message).toMatch(/^\d\/2 applied, \d\/2 available$/);
    expect(result.structured).toMatchObject({
      cluster: 'cluster1',
      name: 'hello',
      action: 'created',
      state: 'available',
    });
    expect(result.structured?.['manifests']).toEqual([
      expect.objectContaining({
        ordinal: 0,
        kind: 'ConfigMap',
        name: 'hello',
        applied: 'True',
        available: 'True',
      }),
      expect.objectContaining({
        ordinal: 1,
        kind: 'Deployment',
        name: 'hello',
        applied: 'True',
        available: 'True',
      }),
    ]);
    expect(result.text).toContain(
      'ManifestWork cluster1/hello created (2 manifests): every manifest is applied and available',
    );
    expect(managed('cluster1').get('v1', 'ConfigMap', 'default', 'hello')?.['data']).toEqual({
      greeting: 'hi',
    });
    expect(managed('cluster1').get('apps/v1', 'Deployment', 'default', 'hello')).toBeDefined();
  });

  it('lists works with their status, on every cluster or one', async () => {
    const all = await server.ok('manifestwork_list');
    const row = items(all).find((r) => r['cluster'] === 'cluster1' && r['name'] === 'hello');
    expect(row).toMatchObject({ manifests: '2', applied: 'True', available: 'True' });
    expect(all.text).toMatch(/cluster1\s+hello\s+2\s+True\s+True/);
    const one = await server.ok('manifestwork_list', { cluster: 'cluster2' });
    expect(items(one).every((r) => r['cluster'] === 'cluster2')).toBe(true);
  });

  it('shows each manifest of a work, its conditions and delete option', async () => {
    const result = await server.ok('manifestwork_get', { cluster: 'cluster1', name: 'hello' });
    expect(result.structured).toMatchObject({ state: 'available', delete_option: 'Foreground' });
    expect(result.text).toContain('Applied=True (AppliedManifestWorkComplete');
    expect(result.text).toContain('Available=True (ResourcesAvailable');
    expect(result.text).toMatch(/1\s+Deployment\s+default\s+hello\s+True\s+True/);
  });

  it("reports a manifest the agent cannot apply, with the API server's message", async () => {
    const result = await server.call('manifestwork_apply', {
      cluster: 'cluster2',
      name: 'broken',
      manifests: [configMap('fine'), configMap('lost', 'no-such-namespace')],
      wait_seconds: 30,
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      'ManifestWork cluster2/broken was created, but the work agent could not apply 1 of its 2 manifests',
    );
    expect(result.text).toContain('namespaces "no-such-namespace" not found');
    expect(result.text).toMatch(/1\s+ConfigMap\s+no-such-namespace\s+lost\s+False/);

    const listed = items(await server.ok('manifestwork_list', { cluster: 'cluster2' })).find(
      (r) => r['name'] === 'broken',
    );
    expect(listed).toMatchObject({ applied: 'False' });
    expect(listed?.['reason']).toContain('ConfigMap no-such-namespace/lost: ');
    expect(listed?.['reason']).toContain('not found');
    const got = await server.ok('manifestwork_get', { cluster: 'cluster2', name: 'broken' });
    expect(got.structured?.['manifests']).toContainEqual(
      expect.objectContaining({
        name: 'lost',
        applied: 'False',
        message: expect.stringContaining('not found'),
      }),
    );
  });

  it('asks before a replacement drops manifests, and changes nothing when the user declines', async () => {
    answer = 'decline';
    const before = asked.length;
    const declined = await server.call('manifestwork_apply', {
      cluster: 'cluster1',
      name: 'hello',
      manifests: HELLO_YAML.split('---')[1]!,
    });
    answer = 'accept';
    expect(declined.isError).toBe(true);
    expect(asked.slice(before)).toEqual([
      expect.stringContaining(
        'Replace ManifestWork "hello" on cluster "cluster1": the work agent deletes 1 resource(s) it no longer lists from the managed cluster (ConfigMap default/hello)',
      ),
    ]);
    expect(managed('cluster1').get('v1', 'ConfigMap', 'default', 'hello')).toBeDefined();
    const unchanged = await server.ok('manifestwork_get', { cluster: 'cluster1', name: 'hello' });
    expect(unchanged.structured?.['manifests']).toHaveLength(2);

    const accepted = await server.call('manifestwork_apply', {
      cluster: 'cluster1',
      name: 'hello',
      manifests: HELLO_YAML.split('---')[1]!,
    });
    expect(accepted.isError, accepted.text).toBe(false);
    expect(accepted.structured).toMatchObject({
      action: 'configured',
      state: 'available',
      dropped: ['ConfigMap default/hello'],
    });
    await sim.settle();
    expect(managed('cluster1').get('v1', 'ConfigMap', 'default', 'hello')).toBeUndefined();
    expect(managed('cluster1').get('apps/v1', 'Deployment', 'default', 'hello')).toBeDefined();
  });

  it('validates with dry_run without saving anything', async () => {
    const result = await server.ok('manifestwork_apply', {
      cluster: 'cluster2',
      name: 'dry',
      manifests: [configMap('dry')],
      dry_run: true,
    });
    expect(result.text).toContain('would be created (dry run, nothing saved)');
    expect(
      sim.hub.store.get('work.open-cluster-management.io/v1', 'ManifestWork', 'cluster2', 'dry'),
    ).toBeUndefined();
  });

  it('deletes a work only after the user agreed, naming what goes, and waits until the agent removed it', async () => {
    const before = asked.length;
    const result = await server.call('manifestwork_delete', { cluster: 'cluster1', name: 'hello' });
    expect(result.isError, result.text).toBe(false);
    expect(asked.slice(before)).toEqual([
      expect.stringContaining(
        'Delete ManifestWork "hello" on cluster "cluster1": removes its 1 resource(s) from the managed cluster (Deployment default/hello)',
      ),
    ]);
    expect(result.structured).toMatchObject({ result: 'deleted', resources: ['Deployment default/hello'] });
    expect(
      sim.hub.store.get('work.open-cluster-management.io/v1', 'ManifestWork', 'cluster1', 'hello'),
    ).toBeUndefined();
    expect(managed('cluster1').get('apps/v1', 'Deployment', 'default', 'hello')).toBeUndefined();
  });

  it('refuses bad input naming the field', async () => {
    const noName = await server.call('manifestwork_apply', {
      cluster: 'cluster1',
      name: 'x',
      manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }],
    });
    expect(noName.isError).toBe(true);
    expect(noName.text).toContain('Invalid input `manifests`: metadata.name is missing');
    const typo = await server.call('manifestwork_apply', {
      cluster: 'cluster4',
      name: 'x',
      manifests: [configMap('x')],
    });
    expect(typo.text).toContain('Invalid input `cluster`: no managed cluster named "cluster4"');
    expect(typo.text).toContain('Did you mean');
    const notYaml = await server.call('manifestwork_apply', {
      cluster: 'cluster1',
      name: 'x',
      manifests: 'a: [',
    });
    expect(notYaml.text).toContain('Invalid input `manifests`: is not valid YAML');
    const missing = await server.call('manifestwork_get', { cluster: 'cluster1', name: 'nope' });
    expect(missing.text).toContain('ManifestWork "nope" for cluster "cluster1"');
    expect(missing.text).toContain('manifestwork_list');
  });
});

describe('placements and cluster sets', () => {
  const PLACEMENT = 'cluster.open-cluster-management.io/v1beta1';
  const SET = 'cluster.open-cluster-management.io/v1beta2';

  beforeAll(async () => {
    const hub = sim.hub.store;
    hub.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    hub.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lonely' } });
    hub.put({
      apiVersion: SET,
      kind: 'ManagedClusterSetBinding',
      metadata: { name: 'default', namespace: 'apps' },
      spec: { clusterSet: 'default' },
    });
    hub.put({
      apiVersion: PLACEMENT,
      kind: 'Placement',
      metadata: { name: 'prod', namespace: 'apps' },
      spec: {
        clusterSets: ['default'],
        predicates: [{ requiredClusterSelector: { labelSelector: { matchLabels: { env: 'prod' } } } }],
      },
    });
    hub.put({
      apiVersion: PLACEMENT,
      kind: 'Placement',
      metadata: { name: 'nowhere', namespace: 'lonely' },
      spec: {},
    });
    await sim.settle();
  });

  it('lists placements with whether they are satisfied and the clusters chosen', async () => {
    const result = await server.ok('placement_list');
    const rows = items(result);
    expect(rows.find((r) => r['name'] === 'prod')).toMatchObject({
      namespace: 'apps',
      succeeded: 'True',
      selected: '1',
      clusters: 'cluster1',
    });
    expect(rows.find((r) => r['name'] === 'nowhere')).toMatchObject({
      namespace: 'lonely',
      succeeded: 'False',
      reason: 'NoManagedClusterSetBindings',
      selected: '0',
      clusters: '',
    });
  });

  it('shows a placement with its predicates, bindings and decisions, and why another is not satisfied', async () => {
    const prod = await server.ok('placement_get', { namespace: 'apps', name: 'prod' });
    expect(prod.structured).toMatchObject({
      cluster_sets: ['default'],
      predicates: ['labels: env=prod'],
      bindings: [expect.stringContaining('default')],
      selected: 1,
      decisions: [{ decision: 'prod-decision-1', clusters: [{ cluster: 'cluster1' }] }],
    });
    const nowhere = await server.ok('placement_get', { namespace: 'lonely', name: 'nowhere' });
    expect(nowhere.structured?.['why_not']).toContain('ManagedClusterSetBinding');
    // the scheduler still writes a decision object, naming no cluster
    expect(nowhere.structured?.['decisions']).toEqual([{ decision: 'nowhere-decision-1', clusters: [] }]);
  });

  it('lists the cluster sets with their clusters and the namespaces they are bound to', async () => {
    const rows = items(await server.ok('clusterset_list'));
    expect(rows.find((r) => r['name'] === 'default')).toMatchObject({
      selector: 'ExclusiveClusterSetLabel',
      clusters: 'cluster1,cluster2',
    });
    expect(rows.find((r) => r['name'] === 'edge')).toMatchObject({ clusters: 'cluster3' });
    expect(rows.find((r) => r['name'] === 'empty-set')).toMatchObject({ clusters: '' });
  });
});

describe('add-ons', () => {
  it('lists the add-ons of every cluster and the ones the hub offers', async () => {
    const result = await server.ok('addon_list');
    const msa = items(result).filter((r) => r['addon'] === 'managed-serviceaccount');
    expect(msa.map((r) => r['cluster']).sort()).toEqual(['cluster1', 'cluster2']);
    expect(msa[0]).toMatchObject({ available: 'True', namespace: 'open-cluster-management-agent-addon' });
    expect(result.structured?.['addons']).toContainEqual(
      expect.objectContaining({ name: 'managed-serviceaccount', installed_on: 2 }),
    );
    expect(result.text).toContain('Add-ons the hub offers: managed-serviceaccount');
  });

  it('says which add-on a cluster lacks', async () => {
    const result = await server.ok('addon_list', { cluster: 'cluster3' });
    expect(items(result)).toEqual([]);
    expect(result.structured?.['missing']).toEqual(['managed-serviceaccount']);
    expect(result.text).toContain('Not installed on this cluster: managed-serviceaccount');
  });
});
