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

describe('diagnostics', () => {
  it('pods_crashlooping finds the crash loop with its last exit and last log line', async () => {
    const r = await viewer.call('pods_crashlooping');
    expect(r.isError).toBe(false);
    expect(items(r)).toEqual([
      expect.objectContaining({
        namespace: 'team-a',
        container: 'api',
        pod: expect.stringMatching(/^api-/),
        restarts: '14',
        state: 'CrashLoopBackOff',
        'last exit': expect.stringMatching(/^Error \(exit 1\) \d+m\d*s? ago$/),
        'last log': 'exit status 2',
      }),
    ]);
    expect(r.text.split('\n')[0]).toMatch(
      /^NAMESPACE\s+POD\s+CONTAINER\s+RESTARTS\s+STATE\s+LAST EXIT\s+LAST LOG$/,
    );
    const none = await viewer.call('pods_crashlooping', { namespace: 'team-b' });
    expect(none.text).toBe('No crashing containers found.');
  });

  it('probe_failures reads Unhealthy events with the probe message', async () => {
    const r = await viewer.call('probe_failures');
    expect(items(r)).toEqual([
      expect.objectContaining({
        namespace: 'team-b',
        container: 'checkout',
        probe: 'readiness',
        count: '42',
        message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      }),
    ]);
  });

  it('probe_failures also finds unready containers no event explains', async () => {
    const ns = sim.clusters[0]!.store.list('v1', 'Event', 'team-b');
    const unhealthy = ns.find((e) => e.reason === 'Unhealthy')!;
    sim.clusters[0]!.store.delete('v1', 'Event', 'team-b', unhealthy.metadata.name);
    try {
      const r = await viewer.call('probe_failures', { namespace: 'team-b' });
      expect(items(r)).toEqual([
        expect.objectContaining({
          probe: 'readiness',
          container: 'checkout',
          count: '0',
          message: expect.stringContaining('no event recorded'),
        }),
      ]);
    } finally {
      sim.clusters[0]!.store.put(unhealthy);
    }
  });

  it('pods_not_ready gives each pod its reason', async () => {
    const r = await viewer.call('pods_not_ready');
    const rows = items(r);
    expect(rows.map((p) => p['namespace'])).toEqual(['team-a', 'team-b']);
    expect(rows[0]).toMatchObject({
      status: 'CrashLoopBackOff',
      reason: expect.stringMatching(/^api: CrashLoopBackOff/),
    });
    expect(rows[1]).toMatchObject({
      status: 'Running',
      ready: '0/1',
      reason: expect.stringMatching(/^checkout: running but not ready .*probe_failures/),
    });
    expect(r.text).not.toMatch(/nightly-report/); // completed Job pods are not "not ready"
  });

  it('pods_not_ready explains a pod that cannot be scheduled', async () => {
    const store = sim.clusters[0]!.store;
    store.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'huge', namespace: 'team-b' },
      spec: { containers: [{ name: 'main', image: 'busybox' }], nodeSelector: { disk: 'nvme' } },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient cpu.',
          },
        ],
      },
    });
    try {
      const r = await viewer.call('pods_not_ready', { namespace: 'team-b' });
      const huge = items(r).find((p) => p['name'] === 'huge');
      expect(huge?.['reason']).toBe(
        'not scheduled: Unschedulable — 0/3 nodes are available: 3 Insufficient cpu.',
      );
    } finally {
      store.delete('v1', 'Pod', 'team-b', 'huge');
    }
  });

  it('security_findings flags the privileged pod and hostPath mounts, most severe first', async () => {
    const r = await viewer.call('security_findings', { min_severity: 'medium' });
    const rows = items(r);
    expect(rows.every((f) => f['severity'] === 'high' || f['severity'] === 'medium')).toBe(true);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          namespace: 'team-b',
          workload: 'Pod/debug-shell',
          check: 'privileged',
          container: 'shell',
        }),
        expect.objectContaining({ namespace: 'team-b', workload: 'Pod/debug-shell', check: 'runAsRoot' }),
        expect.objectContaining({ namespace: 'team-b', workload: 'Pod/debug-shell', check: 'hostPID' }),
        expect.objectContaining({
          namespace: 'monitoring',
          workload: 'DaemonSet/node-exporter',
          check: 'hostPath',
          detail: 'volume root mounts / from the node',
          severity: 'high',
        }),
      ]),
    );
    expect(rows.some((f) => f['namespace'] === 'kube-system')).toBe(false);
    const all = await viewer.call('security_findings', { include_system: true });
    expect(items(all).some((f) => f['namespace'] === 'kube-system' && f['check'] === 'privileged')).toBe(
      true,
    );
    expect(items(all).some((f) => f['check'] === 'runAsNonRoot' && f['severity'] === 'low')).toBe(true);
    expect(all.text.split('\n')[0]).toMatch(
      /^SEVERITY\s+NAMESPACE\s+WORKLOAD\s+CONTAINER\s+CHECK\s+DETAIL\s+PODS$/,
    );
  });
});

describe('access', () => {
  it('can_i answers for the credentials in use', async () => {
    const yes = await admin.call('can_i', { verb: 'delete', resource: 'pods', namespace: 'team-a' });
    expect(yes.structured).toMatchObject({ allowed: true, question: 'delete pods in namespace team-a' });
    expect(yes.text).toMatch(/^yes — you may delete pods in namespace team-a/);
    const no = await viewer.call('can_i', { verb: 'delete', resource: 'pods', namespace: 'team-a' });
    expect(no.structured).toMatchObject({ allowed: false });
    expect(no.text).toMatch(/^no — you may not delete pods in namespace team-a/);
    const list = await viewer.call('can_i', { verb: 'list', resource: 'deploy' });
    expect(list.structured).toMatchObject({
      allowed: true,
      question: 'list deployments.apps in all namespaces',
    });
    const logs = await viewer.call('can_i', { verb: 'get', resource: 'pods/log', namespace: 'team-a' });
    expect(logs.structured?.['question']).toBe('get pods/log in namespace team-a');
    const bad = await viewer.call('can_i', { verb: 'Delete', resource: 'pods' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/verb/);
    const unknown = await viewer.call('can_i', { verb: 'get', resource: 'podz' });
    expect(unknown.text).toMatch(/Invalid input `resource`/);
  });

  it('who_can lists subjects allowed through bindings', async () => {
    const r = await admin.call('who_can', { verb: 'delete', resource: 'pods', namespace: 'team-a' });
    expect(r.isError).toBe(false);
    const rows = items(r);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'Group', name: 'system:masters' }),
        expect.objectContaining({
          kind: 'User',
          name: 'team-a-admin',
          bindings: 'RoleBinding/team-a/team-a-admins → ClusterRole/admin',
        }),
      ]),
    );
    expect(rows.map((s) => s['name'])).not.toContain('viewer');
    const clusterWide = await admin.call('who_can', { verb: 'delete', resource: 'pods' });
    expect(items(clusterWide).map((s) => s['name'])).not.toContain('team-a-admin');
    expect(clusterWide.structured?.['question']).toBe('delete pods in all namespaces');
  });

  it('who_can with a view token explains what it needs', async () => {
    const r = await viewer.call('who_can', { verb: 'delete', resource: 'pods', namespace: 'team-a' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/403 Forbidden/);
    expect(r.text).toMatch(/who_can needs permission to list RoleBindings and ClusterRoleBindings/);
    expect(r.text).toMatch(/can_i/);
  });
});
