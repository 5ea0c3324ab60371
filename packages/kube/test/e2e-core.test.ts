import type { KubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, credentialLeaks, items, startSim } from './harness.js';

let sim: KubeSim;
let admin: Connected;
let viewer: Connected;

beforeAll(async () => {
  sim = await startSim();
  admin = await connect(sim);
  viewer = await connect(sim, { user: 'view' });
});

afterAll(async () => {
  expect(credentialLeaks(sim)).toEqual([]);
  await admin?.close();
  await viewer?.close();
  await sim?.close();
});

const ALL_TOOLS = [
  'context_list',
  'namespace_list',
  'api_resource_list',
  'resource_list',
  'resource_get',
  'resource_apply',
  'resource_delete',
  'event_list',
  'node_list',
  'pod_list',
  'pod_get',
  'pod_logs',
  'pod_delete',
  'deployment_list',
  'deployment_scale',
  'deployment_restart',
  'deployment_rollout_status',
  'pods_crashlooping',
  'probe_failures',
  'pods_not_ready',
  'security_findings',
  'namespace_get',
  'endpoint_list',
  'traffic_trace',
  'top_nodes',
  'top_pods',
  'can_i',
  'who_can',
];

describe('tools/list', () => {
  it('lists every tool with annotations and the context argument when several targets exist', async () => {
    const { tools } = await admin.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(ALL_TOOLS);
    for (const tool of tools) {
      if (tool.name === 'context_list') expect(tool.inputSchema.properties ?? {}).toEqual({});
      else expect(Object.keys(tool.inputSchema.properties ?? {})).toContain('context');
      expect(tool.annotations).toMatchObject({ openWorldHint: true });
      // one short sentence or two: what it returns (and when to use it), not a manual
      expect(tool.description).toMatch(/^[A-Z].*\.$/);
      expect(tool.description!.length, tool.name).toBeLessThanOrEqual(120);
    }
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    expect(destructive).toEqual(['resource_delete', 'pod_delete']);
    const writes = tools.filter((t) => !t.annotations?.readOnlyHint).map((t) => t.name);
    expect(writes).toEqual([
      'resource_apply',
      'resource_delete',
      'pod_delete',
      'deployment_scale',
      'deployment_restart',
    ]);
  });

  it('leaves the target argument out with one target, and names it `cluster` when asked', async () => {
    const single = await connect(sim, { tools: { multiTarget: false } });
    const { tools } = await single.client.listTools();
    for (const tool of tools) expect(tool.inputSchema.properties ?? {}).not.toHaveProperty('context');
    await single.close();
    const byCluster = await connect(sim, {
      tools: { targetArg: 'cluster', multiTarget: true, toolsets: ['access'] },
    });
    const listed = (await byCluster.client.listTools()).tools;
    expect(listed.map((t) => t.name)).toEqual(['can_i', 'who_can']);
    expect(listed[0]!.inputSchema.properties).toHaveProperty('cluster');
    await byCluster.close();
  });

  it('applies read-only policy to the write tools', async () => {
    const ro = await connect(sim, { policy: { readOnly: true } });
    const names = (await ro.client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain('resource_apply');
    expect(names).not.toContain('pod_delete');
    expect(names).toContain('pod_logs');
    await ro.close();
  });
});

describe('core tools', () => {
  it('context_list shows both clusters and the default, without credentials', async () => {
    const r = await admin.call('context_list');
    expect(r.isError).toBe(false);
    expect(r.text.split('\n')[0]).toMatch(/^CURRENT\s+NAME\s+CLUSTER\s+SERVER/);
    expect(items(r).map((t) => [t['name'], t['current']])).toEqual([
      ['sim-1', '*'],
      ['sim-2', ''],
    ]);
    expect(r.text).toContain(sim.clusters[1]!.url);
  });

  it('namespace_list lists the seeded namespaces', async () => {
    const r = await admin.call('namespace_list');
    const names = items(r).map((n) => n['name']);
    expect(names).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'team-a', 'team-b', 'monitoring']),
    );
    expect(r.text).toMatch(/team-a\s+Active\s+\d+d/);
  });

  it('api_resource_list finds types by keyword, with short names', async () => {
    const r = await admin.call('api_resource_list', { keyword: 'deploy' });
    expect(items(r)).toEqual([
      expect.objectContaining({
        name: 'deployments',
        shortnames: 'deploy',
        apiversion: 'apps/v1',
        namespaced: 'true',
      }),
    ]);
  });

  it('resource_list resolves short names and shows the columns kubectl shows', async () => {
    const r = await admin.call('resource_list', { kind: 'deploy', namespace: 'team-a' });
    expect(r.isError).toBe(false);
    // one namespace: printed once above the table, as kubectl get -n leaves the column out
    expect(r.text.split('\n').slice(0, 2)).toEqual([
      'NAMESPACE: team-a',
      expect.stringMatching(/^NAME\s+INFO\s+AGE$/),
    ]);
    expect(r.text).toMatch(/\nweb\s+ready=3\/3 up-to-date=3 available=3\s+\d+d/);
    expect(r.structured).toMatchObject({ kind: 'Deployment', api_version: 'apps/v1', namespaced: true });
    const ing = await admin.call('resource_list', { kind: 'ingresses.networking.k8s.io' });
    expect(ing.text).toMatch(/web\s+class=nginx hosts=shop\.example\.com/);
  });

  it('resource_list filters by label and field selectors', async () => {
    const r = await admin.call('resource_list', { kind: 'pods', label_selector: 'app=web' });
    expect(items(r)).toHaveLength(3);
    const f = await admin.call('resource_list', { kind: 'po', field_selector: 'metadata.name=postgres-0' });
    expect(items(f).map((p) => p['name'])).toEqual(['postgres-0']);
    const bad = await admin.call('resource_list', { kind: 'pods', field_selector: 'spec.bogus=1' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/400 BadRequest.*field label not supported/);
  });

  it('resource_list pages with limit and cursor over the API server continue tokens', async () => {
    const first = await admin.call('resource_list', { kind: 'pods', limit: 4 });
    const next = first.structured?.['next_cursor'] as string;
    expect(items(first)).toHaveLength(4);
    expect(next).toBeTruthy();
    expect(first.text).toContain(`next_cursor: ${next}`);
    const second = await admin.call('resource_list', { kind: 'pods', limit: 4, cursor: next });
    const seenNames = items(first).map((p) => `${p['namespace']}/${p['name']}`);
    for (const p of items(second)) expect(seenNames).not.toContain(`${p['namespace']}/${p['name']}`);
    const all = await admin.call('resource_list', { kind: 'pods', limit: 500 });
    expect(first.structured?.['total']).toBe(items(all).length);
    const forged = await admin.call('resource_list', { kind: 'pods', cursor: 'not-a-cursor' });
    expect(forged.isError).toBe(true);
    expect(forged.text).toMatch(/Invalid input `cursor`/);
  });

  it('names the field and close types for an unknown kind', async () => {
    const r = await admin.call('resource_list', { kind: 'podz' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Invalid input `kind`: the server has no resource type "podz"/);
    expect(r.text).toMatch(/Did you mean "pods"/);
  });

  it('resource_get renders YAML without managedFields', async () => {
    const r = await admin.call('resource_get', { kind: 'deployment', name: 'web', namespace: 'team-a' });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: web/);
    expect(r.text).not.toContain('managedFields');
    expect(JSON.stringify(r.structured)).not.toContain('managedFields');
    expect(r.text).toContain('replicas: 3');
  });

  it('resource_get suggests close names, and the same name in another namespace', async () => {
    const typo = await admin.call('resource_get', { kind: 'deploy', name: 'wbe', namespace: 'team-a' });
    expect(typo.isError).toBe(true);
    expect(typo.text).toMatch(/Not found: deployments "wbe" in namespace "team-a"/);
    expect(typo.text).toMatch(/Upstream: 404 NotFound/);
    expect(typo.text).toMatch(/Did you mean "web"/);
    const elsewhere = await admin.call('resource_get', {
      kind: 'cm',
      name: 'web-config',
      namespace: 'default',
    });
    expect(elsewhere.text).toMatch(/Did you mean "web-config \(namespace team-a\)"/);
  });
});

describe('resource_apply and resource_delete', () => {
  const manifest = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: apply-one
data:
  color: blue
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: apply-two
  namespace: team-b
data:
  size: large
`;

  it('dry-runs without saving, then applies, then reports configured', async () => {
    const dry = await admin.call('resource_apply', { manifest, namespace: 'team-b', dry_run: true });
    expect(dry.isError).toBe(false);
    expect(dry.text).toBe(
      'configmap/apply-one (namespace team-b) created (dry run, nothing saved)\n' +
        'configmap/apply-two (namespace team-b) created (dry run, nothing saved)',
    );
    const missing = await admin.call('resource_get', { kind: 'cm', name: 'apply-one', namespace: 'team-b' });
    expect(missing.isError).toBe(true);
    const real = await admin.call('resource_apply', { manifest, namespace: 'team-b' });
    expect(real.structured?.['results']).toEqual([
      { kind: 'ConfigMap', name: 'apply-one', namespace: 'team-b', api_version: 'v1', action: 'created' },
      { kind: 'ConfigMap', name: 'apply-two', namespace: 'team-b', api_version: 'v1', action: 'created' },
    ]);
    const again = await admin.call('resource_apply', { manifest, namespace: 'team-b' });
    expect(again.text).toContain('configmap/apply-one (namespace team-b) configured');
    const got = await admin.call('resource_get', {
      kind: 'configmap',
      name: 'apply-one',
      namespace: 'team-b',
    });
    expect(got.text).toContain('color: blue');
    const managers = sim.clusters[0]!.store.get('v1', 'ConfigMap', 'team-b', 'apply-one')?.metadata
      .managedFields;
    expect(JSON.stringify(managers)).toContain('"manager":"cloudmcp"');
  });

  it('accepts an object manifest and a cluster-scoped kind', async () => {
    const r = await admin.call('resource_apply', {
      manifest: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'applied-ns', labels: { owner: 'mcp' } },
      },
    });
    expect(r.isError).toBe(false);
    expect(r.text).toBe('namespace/applied-ns created');
  });

  it('explains field-manager conflicts and resolves them with force', async () => {
    const client = await admin.kube.client('sim-1');
    await client.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/team-b/configmaps/owned',
      query: { fieldManager: 'kubectl' },
      contentType: 'application/apply-patch+yaml',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned' }, data: { mode: 'a' } },
    });
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'owned', namespace: 'team-b' },
      data: { mode: 'b' },
    };
    const conflict = await admin.call('resource_apply', { manifest: cm });
    expect(conflict.isError).toBe(true);
    expect(conflict.text).toMatch(/Server-side apply conflict/);
    expect(conflict.text).toMatch(/409 Conflict/);
    expect(conflict.text).toMatch(/field manager/);
    expect(conflict.text).toMatch(/`force: true`/);
    const forced = await admin.call('resource_apply', { manifest: cm, force: true });
    expect(forced.text).toBe('configmap/owned (namespace team-b) configured');
    const got = await admin.call('resource_get', { kind: 'cm', name: 'owned', namespace: 'team-b' });
    expect(got.text).toContain('mode: b');
  });

  it('names the field for bad manifests', async () => {
    const noName = await admin.call('resource_apply', {
      manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
    });
    expect(noName.isError).toBe(true);
    expect(noName.text).toMatch(/Invalid input `manifest`: metadata.name is missing/);
    const badYaml = await admin.call('resource_apply', { manifest: 'kind: [unclosed' });
    expect(badYaml.text).toMatch(/Invalid input `manifest`: is not valid YAML at line 1, column \d+/);
    const wrongNs = await admin.call('resource_apply', { manifest, namespace: 'team-a' });
    expect(wrongNs.text).toMatch(/Invalid input `namespace`: ConfigMap apply-two names namespace "team-b"/);
    const badKind = await admin.call('resource_apply', {
      manifest: { apiVersion: 'v1', kind: 'Gizmo', metadata: { name: 'x' } },
    });
    expect(badKind.text).toMatch(/Invalid input `manifest`: v1 has no kind or resource "Gizmo"/);
    const noSchema = await admin.call('resource_apply', { manifest: 42 });
    expect(noSchema.isError).toBe(true);
    expect(noSchema.text).toMatch(/manifest/);
  });

  it('a view token cannot delete: 403 with a next step naming can_i', async () => {
    const r = await viewer.call('resource_delete', {
      kind: 'configmap',
      name: 'apply-two',
      namespace: 'team-b',
    });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      /^Error: Forbidden: your credentials may not delete configmaps in namespace "team-b"/,
    );
    expect(r.text).toMatch(
      /Upstream: 403 Forbidden configmaps "apply-two" is forbidden: User "viewer" cannot delete/,
    );
    expect(r.text).toMatch(/Next: Check what you may do with `can_i`/);
    const still = await admin.call('resource_get', { kind: 'cm', name: 'apply-two', namespace: 'team-b' });
    expect(still.isError).toBe(false);
  });

  it('deletes one object (dry run first) and then it is gone', async () => {
    const dry = await admin.call('resource_delete', {
      kind: 'configmap',
      name: 'apply-two',
      namespace: 'team-b',
      dry_run: true,
    });
    expect(dry.text).toBe('ConfigMap team-b/apply-two: would be deleted (dry run).');
    expect(
      (await admin.call('resource_get', { kind: 'cm', name: 'apply-two', namespace: 'team-b' })).isError,
    ).toBe(false);
    const r = await admin.call('resource_delete', {
      kind: 'configmap',
      name: 'apply-two',
      namespace: 'team-b',
    });
    expect(r.text).toBe('ConfigMap team-b/apply-two: deleted.');
    const gone = await admin.call('resource_get', { kind: 'cm', name: 'apply-two', namespace: 'team-b' });
    expect(gone.isError).toBe(true);
    const typo = await admin.call('resource_delete', {
      kind: 'configmap',
      name: 'apply-on',
      namespace: 'team-b',
    });
    expect(typo.text).toMatch(/Did you mean "apply-one"/);
  });
});

describe('Secrets', () => {
  const values = ['b3JkZXJz', 'czNjcjN0LVBhNTU', 's3cr3t-Pa55', 'cG9zdGdyZXM6'];

  it('resource_get shows keys only by default, in text and structuredContent', async () => {
    const r = await admin.call('resource_get', {
      kind: 'secret',
      name: 'db-credentials',
      namespace: 'team-a',
    });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(
      /data:\n {2}username: "\[REDACTED\]"\n {2}password: "\[REDACTED\]"\n {2}url: "\[REDACTED\]"/,
    );
    const all = r.text + JSON.stringify(r.structured);
    for (const v of values) expect(all).not.toContain(v);
  });

  it('resource_list of secrets shows types and keys, never values', async () => {
    const r = await admin.call('resource_list', { kind: 'secrets', namespace: 'team-a' });
    expect(r.text).toMatch(/db-credentials\s+type=Opaque keys=username,password,url/);
    expect(r.text).toMatch(/web-tls\s+type=kubernetes\.io\/tls keys=tls\.crt,tls\.key/);
    const all = r.text + JSON.stringify(r.structured);
    for (const v of values) expect(all).not.toContain(v);
  });

  it('with allowSecrets, values are shown', async () => {
    const allowed = await connect(sim, { allowSecrets: true });
    const r = await allowed.call('resource_get', {
      kind: 'secret',
      name: 'db-credentials',
      namespace: 'team-a',
    });
    expect(r.text).toContain(`username: ${values[0]}`);
    expect(JSON.stringify(r.structured)).toContain(values[0]);
    // a list carries what its table shows (key names), never values, allowed or not
    const list = await allowed.call('resource_list', { kind: 'secrets', namespace: 'team-a' });
    expect(JSON.stringify(list.structured)).toContain('keys=username,password,url');
    expect(JSON.stringify(list.structured)).not.toContain(values[0]);
    await allowed.close();
  });

  it('a view token may not read secrets at all', async () => {
    const r = await viewer.call('resource_get', {
      kind: 'secret',
      name: 'db-credentials',
      namespace: 'team-a',
    });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/403 Forbidden/);
  });
});
