import type { KubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

// Every tool of the kube toolset over stdio, through both contexts of a two-cluster kubeconfig; the prompts.

let sim: KubeSim;
let server: Started;
const CONTEXTS = ['sim-1', 'sim-2'] as const;

beforeAll(async () => {
  sim = await startSim();
  // the user agrees whenever asked: the destructive calls below must reach the cluster
  server = await startServer({ kubeconfig: writeKubeconfig(sim, 'admin'), elicit: 'accept' });
});
afterAll(async () => {
  await server?.close();
  const tokens = simTokens(sim);
  for (const text of seen) for (const token of tokens) expect(text).not.toContain(token);
  await sim?.close();
});

/** The context a request reached, from the simulator's log. */
function hitsOn(context: string, resource: string): number {
  const cluster = sim.clusters.find((c) => c.name === context)!;
  return cluster.log.filter((e) => e.resource === resource).length;
}

async function podNamed(context: string, namespace: string, prefix: string): Promise<string> {
  const pods = items<{ name: string }>(await server.ok('pod_list', { context, namespace }));
  const pod = pods.find((p) => p.name.startsWith(prefix));
  expect(pod, `${prefix}* in ${namespace} on ${context}`).toBeDefined();
  return pod!.name;
}

describe('tools/list', () => {
  it('has the kube toolset with a `context` argument (two contexts) and the four CLI tools', async () => {
    const before = sim.clusters.map((c) => c.log.length);
    const { tools } = await server.client.listTools();
    // starting and listing touched no cluster
    expect(sim.clusters.map((c) => c.log.length)).toEqual(before);
    expect(before).toEqual([0, 0]);
    const names = tools.map((t) => t.name);
    expect(names).toEqual([
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
      ...(await listedClis()),
    ]);
    for (const tool of tools) {
      // what it returns (and when to use it) in a sentence or two, not a manual
      expect(tool.description, tool.name).toMatch(/^[A-Z].*\.$/);
      expect(tool.description!.length, tool.name).toBeLessThanOrEqual(160);
      expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual([
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
        'readOnlyHint',
        'title',
      ]);
      const props = tool.inputSchema.properties ?? {};
      for (const [field, schema] of Object.entries(props)) {
        expect((schema as { description?: string }).description, `${tool.name}.${field}`).toBeTruthy();
      }
      if (tool.name !== 'context_list') expect(props, tool.name).toHaveProperty('context');
    }
    const kubectl = tools.find((t) => t.name === 'kubectl')!;
    // no `confirm`: the user is asked, a model cannot confirm (only under --allow-model-confirm, e2e-cli)
    expect(Object.keys(kubectl.inputSchema.properties ?? {}).sort()).toEqual([
      'command',
      'context',
      'kubeconfig',
      'namespace',
      'stdin',
    ]);
    expect(kubectl.inputSchema.required).toEqual(['command']);
    // honest: kubectl can delete (the handler asks for the commands that do, not before every call)
    expect(kubectl.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
  });

  it('with one context, the tools take no `context` argument', async () => {
    const one = await startSim1Only();
    try {
      const { tools } = await one.client.listTools();
      for (const tool of tools)
        expect(tool.inputSchema.properties ?? {}, tool.name).not.toHaveProperty('context');
    } finally {
      await one.close();
    }
  });
});

async function startSim1Only(): Promise<Started> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { parse, stringify } = await import('yaml');
  const doc = parse(sim.kubeconfig({ user: 'admin' }));
  doc.contexts = doc.contexts.filter((c: { name: string }) => c.name === 'sim-2');
  doc['current-context'] = 'sim-2';
  const path = join(mkdtempSync(join(tmpdir(), 'k8s-one-')), 'config');
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return startServer({ kubeconfig: path });
}

describe('core tools', () => {
  it('context_list shows both contexts and the default, without credentials', async () => {
    const result = await server.ok('context_list');
    const rows = items<{ name: string; current: string; server: string }>(result);
    expect(rows.map((r) => r.name)).toEqual(['sim-1', 'sim-2']);
    expect(rows.find((r) => r.current === '*')!.name).toBe('sim-1');
    expect(rows[1]!.server).toBe(sim.clusters[1]!.url);
    expect(result.text).toMatch(/\*\s+sim-1/);
  });

  it.each(CONTEXTS)('namespace_list, api_resource_list, node_list on %s', async (context) => {
    const ns = await server.ok('namespace_list', { context });
    expect(items<{ name: string }>(ns).map((n) => n.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'team-a', 'team-b', 'monitoring']),
    );
    const types = await server.ok('api_resource_list', { context, group: 'apps' });
    expect(items<{ name: string }>(types).map((t) => t.name)).toEqual(
      expect.arrayContaining(['deployments', 'statefulsets', 'daemonsets', 'replicasets']),
    );
    const nodes = await server.ok('node_list', { context });
    expect(items<{ name: string }>(nodes).map((n) => n.name)).toEqual([
      `${context}-control-plane`,
      `${context}-worker`,
      `${context}-worker2`,
    ]);
    expect(nodes.text).toMatch(/Ready/);
  });

  it.each(CONTEXTS)('resource_list / resource_get / event_list on %s', async (context) => {
    const before = hitsOn(context, 'services');
    const services = await server.ok('resource_list', { context, kind: 'svc', namespace: 'team-a' });
    expect(items<{ name: string }>(services).map((s) => s.name)).toEqual(
      expect.arrayContaining(['web', 'api']),
    );
    expect(hitsOn(context, 'services')).toBeGreaterThan(before);
    const deploy = await server.ok('resource_get', {
      context,
      kind: 'deployment',
      namespace: 'team-a',
      name: 'web',
    });
    expect(deploy.text).toContain('kind: Deployment');
    expect(deploy.text).not.toContain('managedFields');
    const events = await server.ok('event_list', { context, namespace: 'team-b', type: 'Warning' });
    expect(events.text).toMatch(/Readiness probe failed/);
  });

  it.each(CONTEXTS)('resource_apply then resource_delete a ConfigMap on %s', async (context) => {
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-${context}\n  namespace: default\ndata:\n  k: v\n`;
    const applied = await server.ok('resource_apply', { context, manifest });
    expect(applied.text).toMatch(new RegExp(`e2e-${context}`));
    const cluster = sim.clusters.find((c) => c.name === context)!;
    expect(cluster.store.get('v1', 'ConfigMap', 'default', `e2e-${context}`)).toMatchObject({
      data: { k: 'v' },
    });
    const deleted = await server.ok('resource_delete', {
      context,
      kind: 'configmap',
      namespace: 'default',
      name: `e2e-${context}`,
    });
    expect(deleted.text).toMatch(/deleted/i);
    expect(cluster.store.get('v1', 'ConfigMap', 'default', `e2e-${context}`)).toBeUndefined();
  });
});

describe('workload tools', () => {
  it.each(CONTEXTS)('pod_list, pod_get, pod_logs (previous) on %s', async (context) => {
    const pods = await server.ok('pod_list', { context, namespace: 'team-a' });
    expect(pods.text).toMatch(/CrashLoopBackOff/);
    const crashing = items<{ name: string; status: string }>(pods).find(
      (p) => p.status === 'CrashLoopBackOff',
    )!;
    const pod = await server.ok('pod_get', { context, namespace: 'team-a', name: crashing.name });
    expect(pod.text).toContain(crashing.name);
    const logs = await server.ok('pod_logs', {
      context,
      namespace: 'team-a',
      name: crashing.name,
      previous: true,
      tail_lines: 20,
    });
    expect(logs.text).toMatch(/panic/);
  });

  it.each(CONTEXTS)('deployment_list, scale, restart, rollout status on %s', async (context) => {
    const list = await server.ok('deployment_list', { context, namespace: 'team-a' });
    expect(items<{ name: string }>(list).map((d) => d.name)).toEqual(expect.arrayContaining(['web', 'api']));
    const scaled = await server.ok('deployment_scale', {
      context,
      namespace: 'team-a',
      name: 'web',
      replicas: 4,
    });
    expect(scaled.structured).toMatchObject({ previous: 3, replicas: 4 });
    const restarted = await server.ok('deployment_restart', { context, namespace: 'team-a', name: 'web' });
    expect(restarted.text).toMatch(/restart/i);
    const cluster = sim.clusters.find((c) => c.name === context)!;
    await cluster.settle();
    const status = await server.ok('deployment_rollout_status', {
      context,
      namespace: 'team-a',
      name: 'web',
    });
    expect(status.text).toMatch(/successfully rolled out|4/);
  });

  it.each(CONTEXTS)('pod_delete says what replaces the pod on %s', async (context) => {
    const name = await podNamed(context, 'kube-system', 'coredns-');
    const deleted = await server.ok('pod_delete', { context, namespace: 'kube-system', name });
    expect(deleted.text).toMatch(/ReplicaSet|replace/i);
  });
});

describe('diagnostics and access tools', () => {
  it.each(CONTEXTS)('pods_crashlooping, probe_failures, pods_not_ready on %s', async (context) => {
    const crash = await server.ok('pods_crashlooping', { context, namespace: 'team-a' });
    expect(items<{ pod: string }>(crash)[0]?.pod).toMatch(/^api-/);
    const probes = await server.ok('probe_failures', { context, namespace: 'team-b' });
    expect(probes.text).toMatch(/checkout-/);
    expect(probes.text).toMatch(/503/);
    const notReady = await server.ok('pods_not_ready', { context, namespace: 'team-b' });
    expect(notReady.text).toMatch(/checkout-/);
  });

  it.each(CONTEXTS)('security_findings, top_nodes, top_pods on %s', async (context) => {
    const findings = await server.ok('security_findings', { context, namespace: 'team-b' });
    expect(findings.text).toMatch(/debug-shell/);
    expect(findings.text).toMatch(/privileged/i);
    const nodes = await server.ok('top_nodes', { context });
    expect(items<{ name: string }>(nodes).map((n) => n.name)).toContain(`${context}-worker`);
    const pods = await server.ok('top_pods', { context, namespace: 'team-a' });
    expect(items(pods).length).toBeGreaterThan(0);
  });

  it.each(CONTEXTS)('can_i and who_can on %s', async (context) => {
    const can = await server.ok('can_i', { context, verb: 'delete', resource: 'pods', namespace: 'team-a' });
    expect(can.structured).toMatchObject({ allowed: true });
    const who = await server.ok('who_can', {
      context,
      verb: 'delete',
      resource: 'pods',
      namespace: 'team-a',
    });
    expect(who.text).toMatch(/team-a-admin|cluster-admin|system:masters/);
  });

  it('context "*" asks both clusters in one call, each row naming its context', async () => {
    const all = await server.ok('pods_not_ready', { context: '*', namespace: 'team-b' });
    const rows = items<{ context: string; name: string }>(all);
    expect(rows.map((r) => r.context).sort()).toEqual([...CONTEXTS].sort());
    expect(rows.every((r) => r.name.startsWith('checkout-'))).toBe(true);
    expect(all.text).toMatch(/^NAMESPACE: team-b\nCONTEXT\s+NAME\s+READY/);
  });

  it('a wrong context names the field and the known contexts', async () => {
    const result = await server.call('pod_list', { context: 'sim-3' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Invalid input `context`: no context named "sim-3"/);
    expect(result.text).toMatch(/sim-1/);
  });
});

describe('prompts', () => {
  it('lists troubleshoot_workload and explain_rollout_failure with their arguments', async () => {
    const { prompts } = await server.client.listPrompts();
    const byName = Object.fromEntries(prompts.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(['explain_rollout_failure', 'troubleshoot_workload']);
    expect(byName['troubleshoot_workload']!.arguments!.map((a) => [a.name, a.required])).toEqual([
      ['namespace', true],
      ['name', true],
      ['kind', false],
      ['context', false],
    ]);
    expect(byName['explain_rollout_failure']!.arguments!.map((a) => a.name)).toEqual([
      'namespace',
      'deployment',
      'context',
    ]);
  });

  it('renders troubleshoot_workload as the tools to call in order', async () => {
    const { messages } = await server.client.getPrompt({
      name: 'troubleshoot_workload',
      arguments: { namespace: 'team-a', name: 'api', kind: 'Deployment', context: 'sim-2' },
    });
    const text = (messages[0]!.content as { text: string }).text;
    expect(text).toContain('Deployment `api` in namespace `team-a`');
    expect(text).toContain('context: "sim-2"');
    const order = ['resource_get', 'pod_list', 'pod_get', 'event_list', 'pod_logs', 'probe_failures'];
    const at = order.map((tool) => text.indexOf(`\`${tool}\``));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('`previous: true`');
  });

  it('renders explain_rollout_failure with the deployment', async () => {
    const { messages } = await server.client.getPrompt({
      name: 'explain_rollout_failure',
      arguments: { namespace: 'team-b', deployment: 'checkout' },
    });
    const text = (messages[0]!.content as { text: string }).text;
    expect(text).toContain('Deployment `checkout` in namespace `team-b`');
    const order = [
      'deployment_rollout_status',
      'resource_get',
      'pod_list',
      'pod_get',
      'event_list',
      'pod_logs',
    ];
    const at = order.map((tool) => text.indexOf(`\`${tool}\``));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('rollout undo deployment/checkout -n team-b');
    expect(text).not.toContain('context:');
  });
});
