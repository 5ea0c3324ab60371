import { existsSync } from 'node:fs';
import type { KubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BIN_CACHE,
  base64,
  clisFound,
  ERAS,
  expectRefusedUnasked,
  HELM_MISSING,
  type HttpClientSetup,
  type HttpServer,
  items,
  KUBECTL_MISSING,
  listedClis,
  type Started,
  seen,
  simTokens,
  startHttpServer,
  startSim,
  writeKubeconfig,
} from './harness.js';

// Streamable HTTP: the same tools, the X-Kubeconfig header (used, checked, never echoed) and the probes.

let sim: KubeSim;
let http: HttpServer;
/** The same server, started with --allow-model-confirm: the model's `confirm: true` stands in for the user. */
let modelConfirms: HttpServer;
const clients: Started[] = [];

beforeAll(async () => {
  sim = await startSim();
  const kubeconfig = writeKubeconfig(sim, 'admin');
  // kube-sim listens on 127.0.0.1, which kubeconfigs from requests may only name with this flag
  const args = ['--cli-dirs', BIN_CACHE, '--log-level', 'debug', '--allow-local-clusters'];
  [http, modelConfirms] = await Promise.all([
    startHttpServer({ kubeconfig, args }),
    startHttpServer({ kubeconfig, args: [...args, '--allow-model-confirm'] }),
  ]);
});
afterAll(async () => {
  while (clients.length) await clients.pop()!.close();
  await http?.close();
  await modelConfirms?.close();
  const tokens = simTokens(sim);
  for (const text of seen) for (const token of tokens) expect(text).not.toContain(token);
  await sim?.close();
});

async function connect(
  headers: Record<string, string> = {},
  setup: HttpClientSetup = {},
  server: HttpServer = http,
): Promise<Started> {
  const client = await server.connect(headers, setup);
  clients.push(client);
  return client;
}

/** Requests a cluster answered for one user since `from`. */
function requestsBy(cluster: number, user: string, from: number): number {
  return sim.clusters[cluster]!.log.slice(from).filter((e) => e.user === user).length;
}

describe('probes', () => {
  it('/readyz?verbose says which CLIs are present and how many contexts, without paths', async () => {
    const res = await fetch(http.url.replace('/mcp', '/readyz?verbose'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'ready',
      server: 'kubernetes-mcp',
      version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      contexts: 2,
      clis: await clisFound(),
    });
    expect(JSON.stringify(body)).not.toContain('/');
    // on this machine (and CI): kubectl and helm from .bin-cache, no istioctl or argocd
    if (!KUBECTL_MISSING) expect(body['clis']).toMatchObject({ kubectl: true });
    if (!HELM_MISSING) expect(body['clis']).toMatchObject({ helm: true });
    // /healthz says only that the process is up; /health answers as the seed did, for its probes
    expect(await (await fetch(http.url.replace('/mcp', '/healthz'))).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(http.url.replace('/mcp', '/health'))).json()).toEqual({ status: 'healthy' });
  });
});

describe('tools over HTTP with the server kubeconfig', () => {
  it('every tool takes `context` over HTTP, and answers from both clusters', async () => {
    const client = await connect();
    const { tools } = await client.client.listTools();
    // 28 typed tools, then the CLI tools installed here
    expect(tools.length).toBe(28 + (await listedClis()).length);
    for (const tool of tools) {
      if (tool.name !== 'context_list')
        expect(tool.inputSchema.properties, tool.name).toHaveProperty('context');
    }
    for (const context of ['sim-1', 'sim-2']) {
      const pods = await client.ok('pod_list', { context, namespace: 'team-b' });
      expect(items<{ name: string }>(pods).map((p) => p.name)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^checkout-/), 'debug-shell']),
      );
    }
    const can = await client.ok('can_i', { verb: 'delete', resource: 'pods', namespace: 'team-a' });
    expect(can.structured).toMatchObject({ allowed: true });
  });

  it.skipIf(!!KUBECTL_MISSING)('kubectl runs with the server kubeconfig', async () => {
    const client = await connect();
    const who = await client.ok('kubectl', { command: 'auth whoami', context: 'sim-2' });
    expect(who.text).toMatch(/kube-admin/);
    expect(who.structured).toMatchObject({ kubeconfig_source: 'server', context: 'sim-2' });
  });
});

// The smoke test in both protocol eras: one process serves both, the request's kubeconfig included.
describe.each(ERAS)('%s era', (era) => {
  it('lands on the era, lists the tools and reads with the server kubeconfig', async () => {
    const client = await connect({}, { era });
    expect(client.era).toBe(era);
    const { tools } = await client.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['pod_list', 'resource_delete']));
    const pods = await client.ok('pod_list', { context: 'sim-2', namespace: 'team-b' });
    expect(items<{ name: string }>(pods).map((p) => p.name)).toContain('debug-shell');
  });

  it('reads as the user of the X-Kubeconfig header', async () => {
    const client = await connect({ 'X-Kubeconfig': base64(sim.kubeconfig({ user: 'view' })) }, { era });
    expect(client.era).toBe(era);
    const from = sim.clusters[1]!.log.length;
    const pods = await client.ok('pod_list', { context: 'sim-2', namespace: 'team-a' });
    expect(items(pods).length).toBeGreaterThan(0);
    expect(requestsBy(1, 'viewer', from)).toBeGreaterThanOrEqual(1);
    expect(requestsBy(1, 'kube-admin', from)).toBe(0);
  });

  it('deletes only on the user’s yes; where no one can be asked, refuses', async () => {
    const store = sim.clusters[1]!.store;
    const name = `http-${era}`;
    store.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });
    const target = { context: 'sim-2', kind: 'configmap', namespace: 'default', name };
    const what = `Delete configmap "${name}" in namespace default (context sim-2)`;
    await expectRefusedUnasked(await connect({}, { era }), 'resource_delete', target, what);
    expect(store.get('v1', 'ConfigMap', 'default', name)).toBeDefined();

    const accepting = await connect({}, { era, elicit: 'accept' });
    if (era === 'legacy') {
      // 2025-era HTTP is stateless: the server cannot send a question, not even to a client that would answer
      await expectRefusedUnasked(accepting, 'resource_delete', target, what);
      expect(store.get('v1', 'ConfigMap', 'default', name)).toBeDefined();
    } else {
      await accepting.ok('resource_delete', target);
      expect(store.get('v1', 'ConfigMap', 'default', name)).toBeUndefined();
    }
  });
});

describe('X-Kubeconfig', () => {
  it('a base64 header replaces the server kubeconfig for kube tools, and is never echoed', async () => {
    const header = base64(sim.kubeconfig({ user: 'view' }));
    // the model confirms the delete, so that it reaches the API server, which refuses the header's user
    const client = await connect({ 'X-Kubeconfig': header }, {}, modelConfirms);
    const from = sim.clusters[1]!.log.length;
    const can = await client.ok('can_i', {
      context: 'sim-2',
      verb: 'delete',
      resource: 'pods',
      namespace: 'team-a',
    });
    expect(can.structured).toMatchObject({ allowed: false });
    const pods = await client.ok('pod_list', { context: 'sim-2', namespace: 'team-a' });
    expect(items(pods).length).toBeGreaterThan(0);
    expect(requestsBy(1, 'viewer', from)).toBeGreaterThanOrEqual(2);
    expect(requestsBy(1, 'kube-admin', from)).toBe(0);
    const denied = await client.call('resource_delete', {
      context: 'sim-2',
      kind: 'service',
      namespace: 'team-a',
      name: 'web',
      confirm: true,
    });
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(/403/);
    for (const text of seen) expect(text).not.toContain(header);
  });

  it('a one-line YAML/JSON header works too, with its own contexts', async () => {
    const doc = parse(sim.kubeconfig({ user: 'view' }));
    doc.contexts = [{ name: 'only', context: { cluster: 'sim-2', user: 'sim-2-view' } }];
    doc['current-context'] = 'only';
    const client = await connect({ 'X-Kubeconfig': JSON.stringify(doc) });
    const contexts = await client.ok('context_list');
    expect(items<{ name: string; server: string }>(contexts)).toEqual([
      expect.objectContaining({ name: 'only', server: sim.clusters[1]!.url, current: '*' }),
    ]);
    const from = sim.clusters[1]!.log.length;
    const pods = await client.ok('pod_list', { namespace: 'monitoring' });
    expect(pods.text).toMatch(/node-exporter-/);
    expect(requestsBy(1, 'viewer', from)).toBeGreaterThan(0);
    const wrong = await client.call('pod_list', { context: 'sim-1' });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toMatch(/Invalid input `context`: no context named "sim-1"/);
  });

  it.skipIf(!!KUBECTL_MISSING)(
    'the CLI tools use the header, which wins over a `kubeconfig` argument',
    async () => {
      const header = base64(sim.kubeconfig({ user: 'view' }));
      const argument = base64(sim.kubeconfig({ user: 'admin' }));
      // the model confirms the delete, so that it reaches the API server, which refuses the header's user
      const client = await connect({ 'X-Kubeconfig': header }, {}, modelConfirms);
      const who = await client.ok('kubectl', {
        command: 'auth whoami',
        context: 'sim-2',
        kubeconfig: argument,
      });
      expect(who.text).toMatch(/viewer/);
      expect(who.text).toContain(
        '[the X-Kubeconfig header of this request was used; the `kubeconfig` argument was ignored]',
      );
      expect(who.structured).toMatchObject({ kubeconfig_source: 'header', context: 'sim-2' });
      const denied = await client.call('kubectl', {
        command: 'delete svc web -n team-a',
        context: 'sim-2',
        confirm: true,
      });
      expect(denied.isError).toBe(true);
      expect(denied.text).toMatch(/^Upstream: 403 Error from server \(Forbidden\)/m);
      for (const text of seen) {
        expect(text).not.toContain(header);
        expect(text).not.toContain(argument);
      }
    },
  );

  it('a header with an exec plugin is refused on every call, naming the header and not its content', async () => {
    const evil = [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: c, cluster: {server: "${sim.clusters[0]!.url}"}}]`,
      'users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: /usr/bin/touch, args: [/tmp/pwned-by-header]}}}]',
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
      'current-context: x',
    ].join('\n');
    const header = base64(evil);
    const client = await connect({ 'X-Kubeconfig': header });
    const { tools } = await client.client.listTools();
    // 28 typed tools, then the CLI tools installed here
    expect(tools.length).toBe(28 + (await listedClis()).length);
    for (const [tool, args] of [
      ['pod_list', {}],
      ['context_list', {}],
      ['kubectl', { command: 'get pods' }],
    ] as const) {
      const result = await client.call(tool, args);
      expect(result.isError, tool).toBe(true);
      expect(result.text, tool).toMatch(
        /^Error: The X-Kubeconfig header of this request was rejected: users\[0\]\.user\.exec is not accepted here/,
      );
      expect(result.text).not.toContain('touch');
      expect(result.text).not.toContain(header);
    }
    expect(existsSync('/tmp/pwned-by-header')).toBe(false);
    const garbage = await connect({ 'X-Kubeconfig': 'not: [valid' });
    const bad = await garbage.call('namespace_list');
    expect(bad.text).toMatch(
      /^Error: The X-Kubeconfig header of this request was rejected: it is not valid YAML/,
    );
  });

  it('the header and its credentials never reach the logs', async () => {
    const header = base64(sim.kubeconfig({ user: 'edit' }));
    const client = await connect({ 'X-Kubeconfig': header });
    await client.ok('namespace_list', { context: 'sim-1' });
    await client.call('resource_get', {
      context: 'sim-1',
      kind: 'secret',
      namespace: 'team-a',
      name: 'nope',
    });
    const log = http.stderr();
    expect(log).toMatch(/serving MCP on/);
    expect(log).not.toContain(header);
    for (const token of simTokens(sim)) expect(log).not.toContain(token);
  });
});

describe('a server without a kubeconfig (every request brings one)', () => {
  it('answers that no cluster is configured, and works with X-Kubeconfig', async () => {
    const bare = await startHttpServer({ args: ['--cli-dirs', BIN_CACHE, '--allow-local-clusters'] });
    try {
      const health = (await (await fetch(bare.url.replace('/mcp', '/readyz?verbose'))).json()) as {
        contexts: number;
      };
      expect(health.contexts).toBe(0);
      const none = await bare.connect();
      const result = await none.call('pod_list', {});
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^Error: No Kubernetes cluster is configured\./);
      await none.close();
      const withHeader = await bare.connect({ 'X-Kubeconfig': base64(sim.kubeconfig({ user: 'admin' })) });
      const pods = await withHeader.ok('pod_list', { context: 'sim-2', namespace: 'monitoring' });
      expect(pods.text).toMatch(/node-exporter-/);
      await withHeader.close();
    } finally {
      await bare.close();
    }
  });
});
