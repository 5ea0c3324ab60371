import type { KubeSim } from 'kube-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { KubeTargets } from '../src/index.js';
import { type Connected, connect, credentialLeaks, items, seen, startSim } from './harness.js';

let sim: KubeSim;
let admin: Connected;

const FAKE_KEY =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n';
const FAKE_KEY_DATA = Buffer.from(FAKE_KEY).toString('base64');

beforeAll(async () => {
  sim = await startSim();
  admin = await connect(sim);
});

afterEach(() => {
  for (const c of sim.clusters) c.clearFaults();
});

afterAll(async () => {
  expect(credentialLeaks(sim, [FAKE_KEY_DATA, 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t'])).toEqual(
    [],
  );
  await admin?.close();
  await sim?.close();
});

const log = (i = 0) => sim.clusters[i]!.log;

describe('API server faults', () => {
  it('retries a read through one 500 without the caller noticing', async () => {
    const before = log().length;
    sim.clusters[0]!.addFault({ kind: 'status', status: 500, verb: 'list', resource: 'pods' });
    const r = await admin.call('pod_list', { namespace: 'team-a' });
    expect(r.isError).toBe(false);
    expect(items(r).length).toBeGreaterThan(0);
    const lists = log()
      .slice(before)
      .filter((e) => e.verb === 'list' && e.resource === 'pods');
    expect(lists.map((e) => e.status)).toEqual([500, 200]);
  });

  it('a persistent 500 on list is a clear error with the upstream reason', async () => {
    sim.clusters[0]!.addFault({
      kind: 'status',
      status: 500,
      verb: 'list',
      resource: 'pods',
      times: Infinity,
    });
    const r = await admin.call('pod_list');
    expect(r.isError).toBe(true);
    expect(r.text).toBe(
      'Error: The API server of context "sim-1" failed (500 InternalError).\n' +
        'Upstream: 500 InternalError Internal error occurred: injected fault\n' +
        'Next: This is a server-side problem: try again shortly; if it persists, check the control plane.',
    );
  });

  it('a connection reset on list says which cluster could not be reached', async () => {
    sim.clusters[1]!.addFault({ kind: 'reset', verb: 'list', resource: 'nodes', times: Infinity });
    const r = await admin.call('node_list', { context: 'sim-2' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      new RegExp(
        `^Error: Could not reach the API server of context "sim-2" \\(${sim.clusters[1]!.url}\\)\\.`,
      ),
    );
    expect(r.text).toMatch(/Upstream: ECONNRESET/);
    expect(r.text).toMatch(/Next: Check that the cluster is up/);
  });

  it('a fault mid-call (the log request after the pod lookup) fails the call clearly', async () => {
    const pod = items(
      await admin.call('pod_list', { namespace: 'team-b', label_selector: 'app=checkout' }),
    )[0]!;
    sim.clusters[0]!.addFault({ kind: 'status', status: 503, path: '/log', times: Infinity, retryAfter: 0 });
    const r = await admin.call('pod_logs', { name: pod['name'] as string, namespace: 'team-b' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/failed \(503 ServiceUnavailable\)/);
    const gets = log().filter((e) => e.resource === 'pods' && e.verb === 'get' && e.name === pod['name']);
    expect(gets.at(-1)?.subresource).toBe('log');
  });

  it('a reset while applying the second of two objects reports what was applied and that the outcome is unknown', async () => {
    sim.clusters[0]!.addFault({ kind: 'reset', method: 'PATCH', path: 'configmaps/fault-two' });
    const manifest = ['fault-one', 'fault-two']
      .map(
        (name) =>
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: team-b\ndata:\n  a: b\n`,
      )
      .join('---\n');
    const r = await admin.call('resource_apply', { manifest });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      /^Error: Applying configmaps\/fault-two failed \(1 of 2 applied before it: ConfigMap\/fault-one created\)\. The connection to the API server of context "sim-1" .* failed while sending a change; it may or may not have been applied\./,
    );
    expect(r.text).toMatch(/Next: Read the object \(resource_get\) before trying again/);
    const patches = log().filter((e) => e.method === 'PATCH' && e.name === 'fault-two');
    expect(patches).toHaveLength(1); // never re-sent
  });

  it('a hung API server times out with a clear error', async () => {
    const quick = await connect(sim, { targets: { timeoutMs: 300, retries: 0 } });
    sim.clusters[0]!.addFault({ kind: 'hang', verb: 'list', resource: 'namespaces' });
    const r = await quick.call('namespace_list');
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(
      /^Error: The API server of context "sim-1" \(https:\/\/127\.0\.0\.1:\d+\) did not answer in time\./,
    );
    await quick.close();
  });

  it('an expired continue token says to start again', async () => {
    const first = await admin.call('resource_list', { kind: 'pods', limit: 2 });
    sim.clusters[0]!.store.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bump', namespace: 'default' },
    });
    sim.clusters[0]!.store.compact();
    const r = await admin.call('resource_list', {
      kind: 'pods',
      limit: 2,
      cursor: first.structured?.['next_cursor'],
    });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/listing cursor has expired/);
    expect(r.text).toMatch(/410 Expired/);
    expect(r.text).toMatch(/Start the listing again without `cursor`/);
  });

  it('a rejected token (401) says to refresh credentials', async () => {
    const doc = parse(sim.kubeconfig()) as { users: Array<{ user: { token: string } }> };
    for (const u of doc.users) u.user.token = 'kubesim-invalid-token';
    const kube = new KubeTargets(stringify(doc), { retries: 0 });
    const client = await kube.client();
    await expect(client.getJson('/api/v1/namespaces')).rejects.toMatchObject({ code: 401 });
    const bad = await connect(sim);
    bad.kube.set('sim-1', stringify(doc));
    const r = await bad.call('namespace_list', { context: 'sim-1' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/rejected the credentials \(401 Unauthorized\)/);
    expect(r.text).toMatch(/refresh the credentials/);
    await bad.close();
    kube.close();
  });
});

describe('token budget', () => {
  it('cuts a long pod list at a row and resumes right after it', async () => {
    const small = await connect(sim, { maxTokens: 250 });
    const first = await small.call('pod_list');
    const shown = items(first);
    expect(first.text).toMatch(/Output cut at \d+ of \d+ rows to stay within the 250-token budget/);
    const cursor = first.structured?.['next_cursor'] as string;
    expect(cursor).toBeTruthy();
    const second = await small.call('pod_list', { cursor });
    const all = items(await admin.call('pod_list'));
    const key = (p: Record<string, unknown>) => `${p['namespace']}/${p['name']}`;
    expect(items(second)[0] && key(items(second)[0]!)).toBe(key(all[shown.length]!));
    await small.close();
  });
});

describe('credentials never reach the output', () => {
  it('context_list and connection errors show no client key or token', async () => {
    const doc = parse(sim.kubeconfig()) as Record<string, Array<Record<string, unknown>>>;
    doc['clusters']!.push({ name: 'offline', cluster: { server: 'https://127.0.0.1:1' } });
    doc['users']!.push({
      name: 'cert-user',
      user: {
        'client-certificate-data': FAKE_KEY_DATA,
        'client-key-data': FAKE_KEY_DATA,
        token: 'tok-offline-123',
      },
    });
    doc['contexts']!.push({ name: 'offline', context: { cluster: 'offline', user: 'cert-user' } });
    const c = await connect(sim);
    c.kube.add(stringify(doc));
    const list = await c.call('context_list');
    expect(items(list).map((t) => t['name'])).toEqual(['sim-1', 'sim-2', 'offline']);
    const r = await c.call('namespace_list', { context: 'offline' });
    expect(r.isError).toBe(true);
    const all = seen.join('\n');
    expect(all).not.toContain('tok-offline-123');
    expect(all).not.toContain(FAKE_KEY_DATA);
    await c.close();
  });

  it('an untrusted kubeconfig with an exec plugin is refused before anything runs', () => {
    const doc = parse(sim.kubeconfig()) as { users: Array<{ user: Record<string, unknown> }> };
    doc.users[0]!.user = {
      exec: { command: 'touch', args: ['/tmp/pwned'], apiVersion: 'client.authentication.k8s.io/v1' },
    };
    expect(() => new KubeTargets(stringify(doc), { untrusted: true })).toThrow(
      /users\[0\]\.user\.exec is not accepted here/,
    );
  });
});
