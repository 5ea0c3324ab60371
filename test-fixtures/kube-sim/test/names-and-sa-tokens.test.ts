import { request } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KubeSim, SimCluster } from '../src/index.js';
import { startKubeSim } from '../src/index.js';
import { call } from './helpers.js';

const REVIEW = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const reviewBody = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };

describe('cluster names', () => {
  it('names the clusters, their kubeconfig contexts and their nodes', async () => {
    const sim = await startKubeSim({ names: ['hub', 'cluster1'], seed: 'empty' });
    try {
      expect(sim.clusters.map((c) => c.name)).toEqual(['hub', 'cluster1']);
      expect(sim.kubeconfig()).toContain('current-context: hub');
      const nodes = await call(sim.clusters[1]!, '/api/v1/nodes');
      expect(nodes.body.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual([
        'cluster1-control-plane',
        'cluster1-worker',
        'cluster1-worker2',
      ]);
    } finally {
      await sim.close();
    }
  });

  it('refuses names that are not DNS labels, duplicates, and a count that disagrees', async () => {
    await expect(startKubeSim({ names: ['Hub'] })).rejects.toThrow('DNS-1123 label, got "Hub"');
    await expect(startKubeSim({ names: ['a', 'a'] })).rejects.toThrow('unique');
    await expect(startKubeSim({ names: ['a', 'b'], clusters: 3 })).rejects.toThrow('disagree');
  });
});

describe('service-account tokens (serviceaccounts/token)', () => {
  let sim: KubeSim;
  let c: SimCluster;

  beforeAll(async () => {
    sim = await startKubeSim({ seed: 'empty' });
    c = sim.clusters[0]!;
  });
  afterAll(() => sim.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  async function serviceAccount(name: string): Promise<void> {
    const r = await call(c, '/api/v1/namespaces/default/serviceaccounts', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } },
    });
    expect(r.status).toBe(201);
  }

  async function mint(name: string, expirationSeconds?: number): Promise<{ token: string; expires: string }> {
    const spec = expirationSeconds === undefined ? {} : { expirationSeconds };
    const r = await call(c, `/api/v1/namespaces/default/serviceaccounts/${name}/token`, {
      method: 'POST',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec },
    });
    expect(r.status).toBe(201);
    return { token: r.body.status.token, expires: r.body.status.expirationTimestamp };
  }

  const whoami = async (token: string) =>
    call(c, REVIEW, { method: 'POST', token, body: reviewBody }).then((r) =>
      r.status === 201 ? r.body.status.userInfo.username : r.status,
    );

  it('stop authenticating once expirationSeconds have passed', async () => {
    await serviceAccount('short-lived');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const { token, expires } = await mint('short-lived', 600);
    expect(Date.parse(expires) - Date.now()).toBeGreaterThan(599_000);
    expect(await whoami(token)).toBe('system:serviceaccount:default:short-lived');

    vi.setSystemTime(Date.now() + 599_000);
    expect(await whoami(token)).toBe('system:serviceaccount:default:short-lived');
    vi.setSystemTime(Date.now() + 1_000);
    expect(await whoami(token)).toBe(401);
  });

  it('last an hour when the request names no expiry', async () => {
    await serviceAccount('default-expiry');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const { token } = await mint('default-expiry');
    vi.setSystemTime(Date.now() + 3_599_000);
    expect(await whoami(token)).toBe('system:serviceaccount:default:default-expiry');
    vi.setSystemTime(Date.now() + 1_000);
    expect(await whoami(token)).toBe(401);
  });

  it('stop authenticating when their ServiceAccount is deleted, even if one of that name is created again', async () => {
    await serviceAccount('robot');
    const { token } = await mint('robot', 3600);
    expect(await whoami(token)).toBe('system:serviceaccount:default:robot');

    const del = await call(c, '/api/v1/namespaces/default/serviceaccounts/robot', { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await whoami(token)).toBe(401);

    await serviceAccount('robot'); // a new uid: the old token stays dead, a new one works
    expect(await whoami(token)).toBe(401);
    expect(await whoami((await mint('robot', 3600)).token)).toBe('system:serviceaccount:default:robot');
  });
});

describe('dropConnections', () => {
  it('ends open watch streams and keeps serving new requests', async () => {
    const sim = await startKubeSim({ seed: 'empty' });
    const c = sim.clusters[0]!;
    try {
      let events = '';
      const ended = new Promise<string>((resolve) => {
        const req = request(
          new URL('/api/v1/namespaces?watch=1', c.url),
          { headers: { Authorization: `Bearer ${c.tokens.admin}` }, ca: c.caPem },
          (res) => {
            res.setEncoding('utf8');
            res.on('data', (d: string) => {
              events += d;
              if (events.includes('"kube-system"')) c.dropConnections();
            });
            res.on('end', () => resolve(events));
            res.on('error', () => resolve(events));
          },
        );
        req.on('error', () => resolve(events)); // the socket closing under an open response
        req.end();
      });
      expect(await ended).toContain('"type":"ADDED"');
      // a new connection is served (the watch's own socket, back in the global agent's pool, is gone)
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(
          new URL('/api/v1/namespaces', c.url),
          { headers: { Authorization: `Bearer ${c.tokens.admin}` }, ca: c.caPem, agent: false },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
