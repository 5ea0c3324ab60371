/**
 * Credential sources: credentials made in this process (OKE cluster tokens, service-account tokens) for a
 * target whose kubeconfig user holds none. `SharedCredential` caches and shares them; `KubeClient` sends
 * them, renews them on expiry and once after a 401; `KubeTargets` keeps each target's source its own.
 */
import { ToolError } from '@cloudmcp/toolkit';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KubeApiError } from '../src/errors.js';
import {
  bearerTokenCredentials,
  type CredentialSource,
  type ExecCredential,
  type KubeconfigDocument,
  KubeTargets,
  SharedCredential,
  UntrustedKubeconfigError,
} from '../src/index.js';

let sim: KubeSim;

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 2, seed: 'empty' });
});
afterAll(async () => {
  await sim?.close();
});

/** A credential maker that hands out `tokens` in turn (the last one again when they run out). */
function tokenMaker(tokens: string[], expiresIn?: () => number) {
  const made: string[] = [];
  return {
    made,
    load: async (): Promise<ExecCredential> => {
      const token = tokens[Math.min(made.length, tokens.length - 1)]!;
      made.push(token);
      return expiresIn ? { token, expiresAt: expiresIn() } : { token };
    },
  };
}

/** kube-sim's kubeconfig with every user emptied: the credentials come from a source. */
function bareKubeconfig(): KubeconfigDocument {
  const doc = parseYaml(sim.kubeconfig()) as KubeconfigDocument;
  for (const user of doc.users ?? []) user.user = {};
  return doc;
}

/** The kubeconfig of one sim cluster only (its context current), with an empty user. */
function clusterKubeconfig(index: number): KubeconfigDocument {
  const doc = bareKubeconfig();
  const name = sim.clusters[index]!.name;
  return {
    ...doc,
    clusters: doc.clusters!.filter((c) => c.name === name),
    users: doc.users!.filter((u) => u.name.startsWith(`${name}-`)),
    contexts: doc.contexts!.filter((c) => c.name === name),
    'current-context': name,
  };
}

/** Who the API server says the request's credentials are (SelfSubjectReview, `kubectl auth whoami`). */
async function whoami(kube: KubeTargets, target?: string): Promise<string> {
  const client = await kube.client(target);
  const { body } = await client.request<{ status: { userInfo: { username: string } } }>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return body.status.userInfo.username;
}

describe('SharedCredential', () => {
  it('loads once for concurrent callers and reuses the credential until 10 s before it expires', async () => {
    let now = 1_000_000;
    const maker = tokenMaker(['one', 'two'], () => now + 60_000);
    const shared = new SharedCredential(maker.load, { now: () => now });
    const [a, b, c] = await Promise.all([shared.get(), shared.get(), shared.get()]);
    expect(a).toEqual({ token: 'one', expiresAt: 1_060_000 });
    expect(b).toBe(a);
    expect(c).toBe(a);
    now += 49_999;
    expect(await shared.get()).toBe(a);
    now += 1; // 10 s before expiry
    expect((await shared.get()).token).toBe('two');
    expect(maker.made).toEqual(['one', 'two']);
  });

  it('loads again after maxAgeMs whatever the expiry says', async () => {
    let now = 0;
    const maker = tokenMaker(['one', 'two']);
    const shared = new SharedCredential(maker.load, { now: () => now, maxAgeMs: 5_000 });
    expect((await shared.get()).token).toBe('one');
    now = 4_999;
    expect((await shared.get()).token).toBe('one');
    now = 5_000;
    expect((await shared.get()).token).toBe('two');
  });

  it('drops only the credential a 401 refused, so a newer one is kept', async () => {
    const maker = tokenMaker(['one', 'two', 'three']);
    const shared = new SharedCredential(maker.load);
    const first = await shared.get();
    shared.invalidate({ token: 'one' }); // an equal but different object: not the one in use
    expect(await shared.get()).toBe(first);
    shared.invalidate(first);
    const second = await shared.get();
    expect(second.token).toBe('two');
    shared.invalidate(first); // a late 401 for the old one
    expect(await shared.get()).toBe(second);
    expect(maker.made).toEqual(['one', 'two']);
  });

  it('refresh() loads again now whatever the age, and concurrent refreshes share one load', async () => {
    const maker = tokenMaker(['one', 'two', 'three']);
    const shared = new SharedCredential(maker.load, { maxAgeMs: 60_000 });
    expect((await shared.get()).token).toBe('one');
    const [a, b] = await Promise.all([shared.refresh(), shared.refresh()]);
    expect(a.token).toBe('two');
    expect(b).toBe(a);
    expect(await shared.get()).toBe(a); // the refreshed one is cached for the others
    expect(maker.made).toEqual(['one', 'two']);
  });

  it('does not keep a failed load, and says why to every caller', async () => {
    let fail = true;
    const shared = new SharedCredential(async () => {
      if (fail) throw new Error('token file is empty');
      return { token: 'ok' };
    });
    const results = await Promise.allSettled([shared.get(), shared.get()]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual([
      'token file is empty',
      'token file is empty',
    ]);
    fail = false;
    expect(await shared.get()).toEqual({ token: 'ok' });
  });

  it("stops a caller's wait when its signal aborts, and the load still serves the others", async () => {
    let release!: (credential: ExecCredential) => void;
    let loads = 0;
    const shared = new SharedCredential(() => {
      loads += 1;
      return new Promise<ExecCredential>((resolve) => {
        release = resolve;
      });
    });
    const controller = new AbortController();
    const aborted = shared.get(controller.signal);
    const other = shared.get();
    controller.abort(new Error('call cancelled'));
    await expect(aborted).rejects.toThrow('call cancelled');
    release({ token: 'late' });
    expect(await other).toEqual({ token: 'late' });
    expect(await shared.get()).toEqual({ token: 'late' });
    expect(loads).toBe(1);
    await expect(shared.get(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});

describe('bearerTokenCredentials', () => {
  it("adapts a token maker shaped like OKE's cluster tokens", async () => {
    const calls: string[] = [];
    const source = bearerTokenCredentials({
      token: async (signal) => {
        calls.push(`token ${signal ? 'with' : 'without'} signal`);
        return { token: 'presigned', expiresAt: 42 };
      },
      invalidate: () => calls.push('invalidate'),
    });
    const credential = await source.get(new AbortController().signal);
    expect(credential).toEqual({ token: 'presigned', expiresAt: 42 });
    source.invalidate(credential);
    expect(calls).toEqual(['token with signal', 'invalidate']);
  });
});

describe('KubeClient with a credential source', () => {
  const tokens = () => sim.clusters[0]!.tokens;

  it("sends the source's token, and a new one once the first expires", async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const maker = tokenMaker([tokens().admin, tokens().view], () => now + 15 * 60_000);
    const kube = new KubeTargets([], { retries: 0 });
    kube.set('sim-1', clusterKubeconfig(0), new SharedCredential(maker.load, { now: () => now }));
    expect(await whoami(kube)).toBe('kube-admin');
    now += 14 * 60_000;
    expect(await whoami(kube)).toBe('kube-admin');
    now += 50_000; // within 10 s of the expiry: renewed before use
    expect(await whoami(kube)).toBe('viewer');
    expect(maker.made).toEqual([tokens().admin, tokens().view]);
    kube.close();
  });

  it('invalidates the credential after a 401 and sends the request once more', async () => {
    const maker = tokenMaker(['stale-token', tokens().edit]);
    const kube = new KubeTargets([], { retries: 0 });
    kube.set('sim-1', clusterKubeconfig(0), new SharedCredential(maker.load));
    const before = sim.clusters[0]!.log.length;
    expect(await whoami(kube)).toBe('editor');
    const seen = sim.clusters[0]!.log.slice(before);
    expect(seen.map((e) => [e.status, e.user])).toEqual([
      [401, undefined],
      [201, 'editor'],
    ]);
    expect(maker.made).toEqual(['stale-token', tokens().edit]);
    kube.close();
  });

  it('gives up after the second 401: one retry, not a loop', async () => {
    const maker = tokenMaker(['stale-token']);
    const kube = new KubeTargets([], { retries: 0 });
    kube.set('sim-1', clusterKubeconfig(0), new SharedCredential(maker.load));
    const error = await whoami(kube).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(401);
    expect(maker.made).toEqual(['stale-token', 'stale-token']);
    kube.close();
  });

  it('turns a failing source into a tool error that names the target, not a credential', async () => {
    const kube = new KubeTargets([], { retries: 0 });
    kube.set(
      'sim-1',
      clusterKubeconfig(0),
      new SharedCredential(async () => {
        throw new Error('/var/run/secrets/kubernetes.io/serviceaccount/token is empty');
      }),
    );
    const error = await whoami(kube).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toBe(
      'Could not get credentials for context "sim-1" from its credential source.',
    );
    expect((error as ToolError).details.upstreamMessage).toBe(
      '/var/run/secrets/kubernetes.io/serviceaccount/token is empty',
    );
    kube.close();
  });

  it('refuses a kubeconfig user with credentials of its own next to a source', async () => {
    const doc = parseYaml(sim.kubeconfig()) as KubeconfigDocument; // users hold tokens
    const kube = new KubeTargets([], { retries: 0 });
    kube.set('sim-1', doc, new SharedCredential(async () => ({ token: tokens().admin })));
    const error = await kube.client('sim-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toBe(
      'The kubeconfig user of "sim-1" has credentials of its own, and a credential source was given too.',
    );
    kube.close();
  });
});

describe('KubeTargets with credential sources', () => {
  it('takes { source, credentials } from resolve, and still rebuilds an untrusted document', async () => {
    const resolved: string[] = [];
    const kube = new KubeTargets([], {
      by: 'cluster',
      untrusted: true,
      allowLocal: true,
      retries: 0,
      resolve: async (name) => {
        resolved.push(name);
        if (name === 'with-exec') {
          const doc = clusterKubeconfig(0);
          doc.users![0]!.user = { exec: { command: '/bin/true', apiVersion: 'v1' } };
          return { source: doc, credentials: new SharedCredential(async () => ({ token: 'x' })) };
        }
        if (name !== 'sim-2') return undefined;
        const token = sim.clusters[1]!.tokens.view;
        return { source: clusterKubeconfig(1), credentials: new SharedCredential(async () => ({ token })) };
      },
    });
    expect(await whoami(kube, 'sim-2')).toBe('viewer');
    expect(kube.list()).toEqual([
      expect.objectContaining({ name: 'sim-2', cluster: 'sim-2', server: sim.clusters[1]!.url }),
    ]);
    await expect(kube.client('with-exec')).rejects.toThrow(UntrustedKubeconfigError);
    await expect(kube.client('with-exec')).rejects.toThrow(/users\[0\]\.user\.exec is not accepted here/);
    await expect(kube.client('nowhere')).rejects.toThrow(
      'Invalid input `cluster`: no cluster named "nowhere".',
    );
    expect(resolved).toEqual(['sim-2', 'with-exec', 'with-exec', 'nowhere']);
    kube.close();
  });

  it('never mixes the tokens of two targets under concurrency', async () => {
    // Each source hands out tokens that only its own cluster accepts, and answers after a delay that
    // interleaves the two: a token sent to the wrong cluster would be a 401 there.
    const sources = sim.clusters.map((cluster, index): CredentialSource => {
      let turn = 0;
      const tokens = [cluster.tokens.admin, cluster.tokens.view];
      return new SharedCredential(
        async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return { token: tokens[(turn++ + index) % 2]! };
        },
        { maxAgeMs: 0 }, // load for every request: the most chances to mix
      );
    });
    const kube = new KubeTargets([], { retries: 0 });
    for (const [index, cluster] of sim.clusters.entries()) {
      kube.set(cluster.name, clusterKubeconfig(index), sources[index]);
    }
    const before = sim.clusters.map((c) => c.log.length);
    const names = Array.from({ length: 40 }, (_, i) => sim.clusters[i % 2]!.name);
    const users = await Promise.all(names.map((name) => whoami(kube, name)));
    expect(new Set(users)).toEqual(new Set(['kube-admin', 'viewer']));
    sim.clusters.forEach((cluster, index) => {
      const seen = cluster.log.slice(before[index]);
      expect(seen).toHaveLength(20);
      expect(seen.every((entry) => entry.status === 201)).toBe(true);
    });
    kube.close();
  });
});
