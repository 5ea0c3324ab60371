import type { KubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, credentialLeaks, seen, startSim } from './harness.js';

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
  expect(seen.filter((t) => t.includes('s3cr3t-Pa55'))).toEqual([]);
  await admin?.close();
  await viewer?.close();
  await sim?.close();
});

interface Summary {
  namespace: string;
  status: string;
  kinds: Array<{ kind: string; count: number; detail?: string }>;
  problems: Array<{ problem: string; object: string; detail: string }>;
  more_problems?: number;
}

const kind = (s: Summary, name: string) => s.kinds.find((k) => k.kind === name);

describe('namespace_get', () => {
  it('counts each kind with its state, and puts the crash loop first among the problems', async () => {
    const c = sim.clusters[0]!;
    const before = c.log.length;
    const r = await admin.call('namespace_get', { name: 'team-a' });
    expect(r.isError).toBe(false);
    const s = r.structured as unknown as Summary;
    expect(s).toMatchObject({ namespace: 'team-a', status: 'Active' });
    expect(s.kinds).toEqual([
      { kind: 'pods', count: 6, detail: 'Running 6; ready 5/6' },
      { kind: 'deployments', count: 2, detail: 'ready 1/2' },
      { kind: 'statefulsets', count: 1, detail: 'ready 1/1' },
      { kind: 'daemonsets', count: 0 },
      { kind: 'services', count: 5, detail: 'ClusterIP 5' },
      { kind: 'ingresses', count: 1 },
      { kind: 'configmaps', count: 2 },
      { kind: 'secrets', count: 2 },
      { kind: 'persistentvolumeclaims', count: 1, detail: 'Bound 1' },
      { kind: 'jobs', count: 0 },
    ]);
    expect(s.problems).toEqual([
      {
        problem: 'crashlooping',
        object: expect.stringMatching(/^pod\/api-/),
        detail: 'api: 14 restarts, last Error (exit 1)',
      },
      { problem: 'unavailable', object: 'deployment/api', detail: '1/2 ready' },
    ]);
    expect(r.text.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^Namespace team-a {2}Active {2}\d+d$/),
      expect.stringMatching(/^KIND\s+COUNT\s+DETAIL$/),
      expect.stringMatching(/^pods\s+6\s+Running 6; ready 5\/6$/),
    ]);
    expect(r.text).toContain('\nProblems (2):\n');

    // Eleven requests; counted kinds cost one metadata-only request each (the server counts the rest), and
    // Secrets are never fetched in full.
    const calls = c.log.slice(before);
    expect(calls).toHaveLength(11);
    const counted = calls.filter((e) => ['ingresses', 'configmaps', 'secrets'].includes(e.resource ?? ''));
    expect(counted.map((e) => [e.resource, e.query, e.accept])).toEqual(
      ['ingresses', 'configmaps', 'secrets'].map((resource) => [
        resource,
        'limit=1',
        'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
      ]),
    );
  });

  it('team-b: a completed job pod, a not-ready pod, a pending claim', async () => {
    const s = (await viewer.call('namespace_get', { name: 'team-b' })).structured as unknown as Summary;
    expect(kind(s, 'pods')).toEqual({ kind: 'pods', count: 3, detail: 'Running 2, Succeeded 1; ready 1/2' });
    expect(kind(s, 'jobs')).toEqual({ kind: 'jobs', count: 1, detail: 'Complete 1' });
    expect(kind(s, 'services')).toEqual({
      kind: 'services',
      count: 2,
      detail: 'ClusterIP 1, LoadBalancer 1',
    });
    expect(s.problems.map((p) => [p.problem, p.object])).toEqual([
      ['not ready', expect.stringMatching(/^pod\/checkout-/)],
      ['unavailable', 'deployment/checkout'],
      ['claim pending', 'pvc/scratch'],
    ]);
    expect(s.problems[2]!.detail).toBe('not bound (storage class fast-ssd); see event_list');
  });

  it('a kind the credentials may not read is marked, and the rest still answers', async () => {
    // The view role may not read Secrets.
    const s = (await viewer.call('namespace_get', { name: 'team-a' })).structured as unknown as Summary;
    expect(kind(s, 'secrets')).toEqual({ kind: 'secrets', count: 0, detail: '(forbidden)' });
    expect(kind(s, 'pods')?.count).toBe(6);
  });

  it('a kind refused on the way is marked; `problems` caps the list and says how many more', async () => {
    const c = sim.clusters[0]!;
    c.addFault({ kind: 'status', status: 403, resource: 'jobs', times: 1 });
    const s = (await admin.call('namespace_get', { name: 'team-b', problems: 1 }))
      .structured as unknown as Summary;
    expect(kind(s, 'jobs')).toEqual({ kind: 'jobs', count: 0, detail: '(forbidden)' });
    expect(s.problems).toHaveLength(1);
    expect(s.more_problems).toBe(2);
    const text = (await admin.call('namespace_get', { name: 'team-b', problems: 1 })).text;
    expect(text).toContain('\nProblems (1 of 3):\n');
  });

  it('the default is the context namespace; a wrong name suggests close ones', async () => {
    const d = (await viewer.call('namespace_get', {})).structured as unknown as Summary;
    expect(d.namespace).toBe('default');
    const r = await viewer.call('namespace_get', { name: 'team-c' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Did you mean "team-a", "team-b"\?/);
  });
});
