import type { KubeSim } from 'kube-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  items,
  listedClis,
  type Started,
  seen,
  simTokens,
  startServer,
  startSim,
  writeKubeconfig,
} from './harness.js';

// RBAC refusals, bad input, read-only mode, Secrets, API server faults, and no credential anywhere.

let sim: KubeSim;
const servers: Started[] = [];

beforeAll(async () => {
  sim = await startSim();
});
afterEach(() => {
  for (const c of sim.clusters) c.clearFaults();
});
afterAll(async () => {
  while (servers.length) await servers.pop()!.close();
  const tokens = simTokens(sim);
  expect(tokens.length).toBe(8);
  for (const text of seen) for (const token of tokens) expect(text).not.toContain(token);
  await sim?.close();
});

async function start(
  user: 'admin' | 'view' = 'admin',
  args: string[] = [],
  elicit?: 'accept' | 'decline',
): Promise<Started> {
  const server = await startServer({
    kubeconfig: writeKubeconfig(sim, user),
    args,
    ...(elicit ? { elicit } : {}),
  });
  servers.push(server);
  return server;
}

describe('RBAC: the view user', () => {
  let view: Started;
  beforeAll(async () => {
    // the user agrees to the deletes: it is the API server that refuses them
    view = await start('view', [], 'accept');
  });

  it.each(['sim-1', 'sim-2'])('resource_delete on %s is a 403 that says to ask can_i', async (context) => {
    const result = await view.call('resource_delete', {
      context,
      kind: 'deployment',
      namespace: 'team-a',
      name: 'web',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^Upstream: 403 /m);
    expect(result.text).toMatch(/forbidden/i);
    expect(result.text).toMatch(/can_i/);
    const cluster = sim.clusters.find((c) => c.name === context)!;
    expect(cluster.store.get('apps/v1', 'Deployment', 'team-a', 'web')).toBeDefined();
  });

  it('pod_delete and deployment_scale are refused the same way; can_i agrees', async () => {
    const pods = await view.ok('pod_list', { namespace: 'team-a' });
    const pod = items(pods)[0]!['name']!;
    const del = await view.call('pod_delete', { namespace: 'team-a', name: pod });
    expect(del.isError).toBe(true);
    expect(del.text).toMatch(/403/);
    expect(del.text).toMatch(/can_i/);
    const scale = await view.call('deployment_scale', { namespace: 'team-a', name: 'web', replicas: 0 });
    expect(scale.isError).toBe(true);
    expect(scale.text).toMatch(/403/);
    const can = await view.ok('can_i', { verb: 'delete', resource: 'pods', namespace: 'team-a' });
    expect(can.structured).toMatchObject({ allowed: false });
    const read = await view.ok('can_i', { verb: 'list', resource: 'pods', namespace: 'team-a' });
    expect(read.structured).toMatchObject({ allowed: true });
  });

  it('reading Secrets is forbidden for view', async () => {
    const result = await view.call('resource_get', {
      kind: 'secret',
      namespace: 'team-a',
      name: 'db-credentials',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/403/);
  });
});

describe('Secrets', () => {
  it('resource_get shows the keys of a Secret with redacted values; resource_list shows keys only', async () => {
    const admin = await start('admin');
    const stored = sim.clusters[0]!.store.get('v1', 'Secret', 'team-a', 'db-credentials')!;
    const values = Object.values(stored['data'] as Record<string, string>);
    expect(values.length).toBeGreaterThan(1);
    const got = await admin.ok('resource_get', {
      kind: 'secret',
      namespace: 'team-a',
      name: 'db-credentials',
    });
    expect(got.text).toMatch(/^kind: Secret$/m);
    expect(got.text).toMatch(/^ {2}password: "\[REDACTED\]"$/m);
    expect(got.text).toMatch(/^ {2}username: "\[REDACTED\]"$/m);
    const list = await admin.ok('resource_list', { kind: 'secrets', namespace: 'team-a' });
    expect(list.text).toMatch(/db-credentials/);
    for (const value of values) {
      for (const result of [got, list]) {
        expect(result.text).not.toContain(value);
        expect(JSON.stringify(result.structured)).not.toContain(value);
      }
      expect(Buffer.from(value, 'base64').toString()).not.toBe('');
      expect(got.text).not.toContain(Buffer.from(value, 'base64').toString());
    }
  });
});

describe('bad input', () => {
  it('names the field: schema errors and handler checks', async () => {
    const server = await start('admin');
    const missing = await server.client.callTool({ name: 'resource_get', arguments: { kind: 'pod' } });
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toMatch(/name/);
    const wrongType = await server.client.callTool({
      name: 'deployment_scale',
      arguments: { namespace: 'team-a', name: 'web', replicas: 'many' },
    });
    expect(wrongType.isError).toBe(true);
    expect(JSON.stringify(wrongType.content)).toMatch(/replicas/);
    const kind = await server.call('resource_list', { kind: 'frobnicators' });
    expect(kind.isError).toBe(true);
    expect(kind.text).toMatch(/`kind`|frobnicators/);
    const notFound = await server.call('pod_get', { namespace: 'team-a', name: 'web' });
    expect(notFound.isError).toBe(true);
    expect(notFound.text).toMatch(/404|not found/i);
    expect(notFound.text).toMatch(/web-/); // close names
  });
});

describe('read-only mode', () => {
  it('lists only read tools, the CLI tools as read-only variants', async () => {
    const server = await start('admin', ['--read-only']);
    const { tools } = await server.client.listTools();
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const names = tools.map((t) => t.name);
    for (const gone of [
      'resource_apply',
      'resource_delete',
      'pod_delete',
      'deployment_scale',
      'deployment_restart',
    ]) {
      expect(names).not.toContain(gone);
    }
    for (const kept of ['pod_list', 'pod_logs', 'can_i', ...(await listedClis())]) {
      expect(names).toContain(kept);
    }
    // A tool the server does not list is a protocol error (-32602), not a tool result.
    const call = server.client.callTool({ name: 'resource_delete', arguments: { kind: 'pod', name: 'x' } });
    await expect(call).rejects.toThrow('Tool resource_delete not found');
  });
});

describe('API server faults', () => {
  let admin: Started;
  beforeAll(async () => {
    admin = await start('admin', ['--request-timeout', '2']);
  });

  it('a 500 on every pod list is reported with the upstream status and a next step', async () => {
    sim.clusters[1]!.addFault({
      kind: 'status',
      status: 500,
      resource: 'pods',
      verb: 'list',
      times: Infinity,
    });
    const result = await admin.call('pod_list', { context: 'sim-2', namespace: 'team-a' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^Error: The API server of .*sim-2.* failed \(500 InternalError\)\./m);
    expect(result.text).toMatch(/^Upstream: 500 /m);
    expect(result.text).toMatch(/^Next: /m);
    // reads were retried before giving up
    expect(sim.clusters[1]!.log.filter((e) => e.fault === 'status').length).toBeGreaterThan(1);
    // the other context is unaffected
    const other = await admin.ok('pod_list', { context: 'sim-1', namespace: 'team-a' });
    expect(other.text).toMatch(/api-/);
  });

  it('a fault mid-call: the logs requests after the pod listing fail', async () => {
    const pod = await crashingPod(admin);
    const healthy = await admin.ok('pods_crashlooping', { namespace: 'team-a' });
    expect(items(healthy)[0]!['last log']).toBe('exit status 2');
    sim.clusters[0]!.addFault({ kind: 'status', status: 503, path: '/log', times: Infinity, retryAfter: 0 });
    // pods_crashlooping lists pods, then reads each one's last log: the listing stands, the logs are left out
    const degraded = await admin.ok('pods_crashlooping', { namespace: 'team-a' });
    const [row] = items(degraded);
    expect(row!['pod']).toBe(pod);
    expect(row!['last log']).toBe('');
    const logs = await admin.call('pod_logs', { namespace: 'team-a', name: pod, previous: true });
    expect(logs.isError).toBe(true);
    expect(logs.text).toMatch(/^Error: The API server of .*sim-1.* failed \(503 ServiceUnavailable\)\./m);
    expect(
      sim.clusters[0]!.log.filter((e) => e.fault === 'status' && e.path.endsWith('/log')).length,
    ).toBeGreaterThan(1);
  });

  it('a connection reset during a list is retried; a hang times out with the context named', async () => {
    sim.clusters[0]!.addFault({ kind: 'reset', resource: 'services', verb: 'list', times: 1 });
    const retried = await admin.ok('resource_list', { kind: 'services', namespace: 'team-a' });
    expect(retried.text).toMatch(/web/);
    sim.clusters[0]!.addFault({ kind: 'hang', resource: 'configmaps', verb: 'list', times: Infinity });
    const hung = await admin.call('resource_list', { kind: 'configmaps', namespace: 'team-a' });
    expect(hung.isError).toBe(true);
    expect(hung.text).toMatch(/sim-1/);
    expect(hung.text).toMatch(/did not answer in time|timed? ?out/i);
  }, 60_000);
});

async function crashingPod(server: Started): Promise<string> {
  const pods = await server.ok('pod_list', { namespace: 'team-a' });
  return items(pods).find((p) => p['status'] === 'CrashLoopBackOff')!['name']!;
}
