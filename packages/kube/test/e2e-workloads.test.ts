import type { KubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, credentialLeaks, items, startSim } from './harness.js';

let sim: KubeSim;
let admin: Connected;
let viewer: Connected;
let crashPod: string;
let checkoutPod: string;

beforeAll(async () => {
  sim = await startSim();
  admin = await connect(sim);
  viewer = await connect(sim, { user: 'view' });
  const pods = items(await admin.call('pod_list', { namespace: 'team-a', label_selector: 'app=api' }));
  crashPod = pods.find((p) => p['status'] === 'CrashLoopBackOff')!['name'] as string;
  checkoutPod = items(
    await admin.call('pod_list', { namespace: 'team-b', label_selector: 'app=checkout' }),
  )[0]!['name'] as string;
});

afterAll(async () => {
  expect(credentialLeaks(sim)).toEqual([]);
  await admin?.close();
  await viewer?.close();
  await sim?.close();
});

describe('pods', () => {
  it('pod_list shows kubectl columns, all namespaces by default', async () => {
    const r = await admin.call('pod_list');
    expect(r.isError).toBe(false);
    expect(r.text.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+NODE$/);
    expect(r.text).toMatch(
      new RegExp(`team-a\\s+${crashPod}\\s+0/1\\s+CrashLoopBackOff\\s+14 \\(\\d+m\\d*s? ago\\)`),
    );
    const namespaces = new Set(items(r).map((p) => p['namespace']));
    expect([...namespaces]).toEqual(
      expect.arrayContaining(['kube-system', 'team-a', 'team-b', 'monitoring']),
    );
    const row = items(r).find((p) => p['name'] === crashPod)!;
    expect(row).toMatchObject({
      ready: '0/1',
      status: 'CrashLoopBackOff',
      restarts: expect.stringMatching(/^14 \(/),
    });
    expect(row['node']).toMatch(/^sim-1-/);
  });

  it('pod_list runs against the context it is given', async () => {
    const before = sim.clusters[1]!.log.length;
    const r = await admin.call('pod_list', { context: 'sim-2', namespace: 'team-a' });
    expect(r.isError).toBe(false);
    for (const p of items(r)) expect(p['node']).toMatch(/^sim-2-/);
    const calls = sim.clusters[1]!.log.slice(before);
    expect(calls.some((e) => e.verb === 'list' && e.resource === 'pods' && e.user === 'kube-admin')).toBe(
      true,
    );
    const wrong = await admin.call('pod_list', { context: 'sim-3' });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toMatch(/Invalid input `context`: no context named "sim-3"/);
    expect(wrong.text).toMatch(/Did you mean "sim-1", "sim-2"\?/);
  });

  it('pod_get shows the pod and its recent events', async () => {
    const r = await admin.call('pod_get', { name: crashPod, namespace: 'team-a' });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^summary:\n {2}status: CrashLoopBackOff\n {2}ready: 0\/1\n {2}restarts: 14/);
    expect(r.text).toContain('reason: CrashLoopBackOff');
    expect(r.text).not.toContain('managedFields');
    const events = r.structured?.['events'] as Array<Record<string, unknown>>;
    expect(events.map((e) => e['reason'])).toEqual(['BackOff', 'Pulled']);
  });

  it('a wrong pod name gives close names', async () => {
    const prefix = await admin.call('pod_get', { name: 'api', namespace: 'team-a' });
    expect(prefix.isError).toBe(true);
    expect(prefix.text).toMatch(/Not found: pods "api" in namespace "team-a" on context "sim-1"/);
    expect(prefix.text).toContain(`"${crashPod}"`);
    const typo = crashPod.slice(0, -1) + (crashPod.endsWith('x') ? 'y' : 'x');
    const logs = await admin.call('pod_logs', { name: typo, namespace: 'team-a' });
    expect(logs.text).toMatch(new RegExp(`Did you mean "${crashPod}"`));
    const otherNs = await admin.call('pod_get', { name: 'postgres-0', namespace: 'team-b' });
    expect(otherNs.text).toContain('"postgres-0 (namespace team-a)"');
  });

  it('pod_logs shows the previous run of a crashed container', async () => {
    const r = await admin.call('pod_logs', { name: crashPod, namespace: 'team-a', previous: true });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^pod: team-a\/.+\ncontainer: api\nprevious: true\nlog: \|-\n/);
    expect(r.text).toContain('exit status 2');
    const current = await admin.call('pod_logs', { name: checkoutPod, namespace: 'team-b' });
    expect(current.text).toContain('readiness check failed');
    expect(current.structured).toMatchObject({
      container: 'checkout',
      containers: ['checkout'],
      previous: false,
    });
  });

  it('pod_logs caps lines and bytes, keeping the newest', async () => {
    const full = await admin.call('pod_logs', { name: crashPod, namespace: 'team-a', previous: true });
    const lines = String(full.structured?.['log']).split('\n');
    const tail = await admin.call('pod_logs', {
      name: crashPod,
      namespace: 'team-a',
      previous: true,
      tail_lines: 2,
    });
    expect(tail.structured?.['lines']).toBe(2);
    expect(String(tail.structured?.['log']).split('\n')).toEqual(lines.slice(-2));
    const bytes = await admin.call('pod_logs', {
      name: crashPod,
      namespace: 'team-a',
      previous: true,
      limit_bytes: 256,
    });
    const log = bytes.structured?.['log'] as string;
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(256);
    expect(log.endsWith(lines[lines.length - 1]!)).toBe(true);
    expect(bytes.text).toMatch(/truncated: "older lines cut: kept the last \d+ of \d+ bytes/);
    const request = sim.clusters[0]!.log.filter((e) => e.subresource === 'log').at(-1)!;
    expect(request.query).toContain('tailLines=200');
    expect(request.query).toMatch(/limitBytes=\d+/);
  });

  it('pod_logs names the bad field: container, tail_lines', async () => {
    const container = await admin.call('pod_logs', {
      name: crashPod,
      namespace: 'team-a',
      container: 'nginx',
    });
    expect(container.isError).toBe(true);
    expect(container.text).toMatch(/Invalid input `container`: pod .+ has no container "nginx"/);
    expect(container.text).toMatch(/Containers: api/);
    const tail = await admin.call('pod_logs', { name: crashPod, namespace: 'team-a', tail_lines: 0 });
    expect(tail.isError).toBe(true);
    expect(tail.text).toMatch(/tail_lines/);
    const big = await admin.call('pod_logs', {
      name: crashPod,
      namespace: 'team-a',
      limit_bytes: 10_000_000,
    });
    expect(big.isError).toBe(true);
    expect(big.text).toMatch(/limit_bytes/);
  });

  it('pod_delete: the view token is refused, admin deletes and the controller replaces', async () => {
    const web = items(await admin.call('pod_list', { namespace: 'team-a', label_selector: 'app=web' }));
    const name = web[0]!['name'] as string;
    const denied = await viewer.call('pod_delete', { name, namespace: 'team-a' });
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(/Forbidden: your credentials may not delete pods in namespace "team-a"/);
    expect(denied.text).toMatch(/403 Forbidden/);
    expect(denied.text).toMatch(/can_i/);
    const r = await admin.call('pod_delete', { name, namespace: 'team-a' });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(
      new RegExp(
        `^Pod team-a/${name}: (deleted|deletion started)\\. Deployment/web will create a replacement`,
      ),
    );
    await sim.clusters[0]!.settle();
    const after = items(await admin.call('pod_list', { namespace: 'team-a', label_selector: 'app=web' }));
    const live = after.filter((p) => p['status'] !== 'Terminating');
    expect(live.map((p) => p['name'])).not.toContain(name);
    expect(live).toHaveLength(3);
  });
});

describe('events and nodes', () => {
  it('event_list is sorted newest first and filters by object and type', async () => {
    const r = await admin.call('event_list', { namespace: 'team-b' });
    expect(r.text.split('\n')[0]).toBe('NAMESPACE: team-b');
    expect(r.text.split('\n')[1]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    const times = items(r).map((e) => e['time'] as string);
    expect([...times].sort().reverse()).toEqual(times);
    expect(r.text).toMatch(/Warning\s+ProvisioningFailed\s+PersistentVolumeClaim\/scratch\s+.*\(x1203\)/);
    const one = await admin.call('event_list', { namespace: 'team-b', kind: 'Pod', name: checkoutPod });
    expect(items(one).map((e) => e['reason'])).toEqual(['Unhealthy']);
    const normal = await admin.call('event_list', { type: 'Normal' });
    for (const e of items(normal)) expect(e['type']).toBe('Normal');
  });

  it('node_list shows status, roles and versions', async () => {
    const r = await admin.call('node_list');
    expect(r.text.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP/);
    expect(r.text).toMatch(/sim-1-control-plane\s+Ready\s+control-plane\s+\d+d\s+v1\.35\.0\s+172\./);
    expect(items(r)).toHaveLength(3);
    expect(items(r)[0]).toMatchObject({
      name: 'sim-1-control-plane',
      status: 'Ready',
      roles: 'control-plane',
      version: 'v1.35.0',
    });
  });

  it('top_nodes and top_pods read metrics.k8s.io, busiest first', async () => {
    const nodes = await admin.call('top_nodes');
    expect(nodes.text.split('\n')[0]).toMatch(/^NAME\s+CPU\(CORES\)\s+CPU%\s+MEMORY\(BYTES\)\s+MEMORY%$/);
    const rows = items(nodes);
    expect(rows).toHaveLength(3);
    expect(rows[0]!['cpu(cores)']).toMatch(/^\d+m$/);
    expect(Number.parseInt(rows[0]!['cpu%']!, 10)).toBeGreaterThan(0);
    const cpus = rows.map((n) => Number.parseInt(n['cpu(cores)'] as string, 10));
    expect([...cpus].sort((a, b) => b - a)).toEqual(cpus);
    const pods = await admin.call('top_pods', { namespace: 'team-a', containers: true, sort_by: 'memory' });
    expect(items(pods)[0]).toMatchObject({ namespace: 'team-a', container: expect.any(String) });
    const mems = items(pods).map((p) => Number.parseInt(p['memory(bytes)'] as string, 10));
    expect([...mems].sort((a, b) => b - a)).toEqual(mems);
  });

  it('says clearly when the metrics API is absent', async () => {
    sim.clusters[0]!.addFault({ kind: 'status', status: 404, path: '/apis/metrics.k8s.io', times: Infinity });
    try {
      const r = await admin.call('top_pods');
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/The metrics API \(metrics.k8s.io\) is not available on context "sim-1"/);
      expect(r.text).toMatch(/metrics-server/);
    } finally {
      sim.clusters[0]!.clearFaults();
    }
  });
});

describe('deployments', () => {
  it('deployment_list shows the columns kubectl shows', async () => {
    const r = await admin.call('deployment_list', { namespace: 'team-a' });
    expect(r.text.split('\n')[0]).toBe('NAMESPACE: team-a');
    expect(r.text.split('\n')[1]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+IMAGES$/);
    expect(r.text).toMatch(/\napi\s+1\/2\s+2\s+1\s+\d+d\s+ghcr\.io\/acme\/orders-api:2\.3\.1/);
    expect(items(r).map((d) => d['name'])).toEqual(['api', 'web']);
  });

  it('scales through the scale subresource and reports the rollout', async () => {
    const denied = await viewer.call('deployment_scale', { name: 'web', namespace: 'team-a', replicas: 5 });
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(/403 Forbidden/);
    const r = await admin.call('deployment_scale', { name: 'web', namespace: 'team-a', replicas: 4 });
    expect(r.text).toBe(
      'Deployment team-a/web scaled from 3 to 4 replicas. Follow it with deployment_rollout_status.',
    );
    expect(sim.clusters[0]!.log.some((e) => e.subresource === 'scale' && e.verb === 'patch')).toBe(true);
    const status = await admin.call('deployment_rollout_status', {
      name: 'web',
      namespace: 'team-a',
      wait_seconds: 20,
    });
    expect(status.structured).toMatchObject({ done: true, replicas: 4, available: 4 });
    expect(status.text).toMatch(/^deployment "web" successfully rolled out \(team-a; desired 4/);
    const back = await admin.call('deployment_scale', { name: 'web', namespace: 'team-a', replicas: 3 });
    expect(back.structured).toMatchObject({ previous: 4, replicas: 3 });
    const same = await admin.call('deployment_scale', { name: 'web', namespace: 'team-a', replicas: 3 });
    expect(same.text).toBe('Deployment team-a/web already has 3 replicas.');
    const typo = await admin.call('deployment_scale', { name: 'wbe', namespace: 'team-a', replicas: 1 });
    expect(typo.text).toMatch(/Did you mean "web"/);
    const negative = await admin.call('deployment_scale', { name: 'web', namespace: 'team-a', replicas: -1 });
    expect(negative.isError).toBe(true);
    expect(negative.text).toMatch(/replicas/);
  });

  it('restarts like kubectl rollout restart and waits for the rollout', async () => {
    const r = await admin.call('deployment_restart', { name: 'web', namespace: 'team-a' });
    expect(r.isError).toBe(false);
    const at = r.structured?.['restarted_at'] as string;
    const stored = sim.clusters[0]!.store.get('apps/v1', 'Deployment', 'team-a', 'web')!;
    expect(stored.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe(at);
    const status = await admin.call('deployment_rollout_status', {
      name: 'web',
      namespace: 'team-a',
      wait_seconds: 30,
    });
    expect(status.structured).toMatchObject({ done: true, failed: false });
  });

  it('reports a rollout that is not done without waiting', async () => {
    const r = await admin.call('deployment_rollout_status', { name: 'checkout', namespace: 'team-b' });
    expect(r.structured).toMatchObject({ done: false, replicas: 1, available: 0 });
    expect(r.text).toMatch(
      /Waiting for deployment "checkout" rollout to finish: 0 of 1 updated replicas are available/,
    );
  });
});
