import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim, SimCluster } from '../src/index.js';
import { startKubeSim } from '../src/index.js';
import { call } from './helpers.js';

const REVIEW = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const reviewBody = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' };

describe('token authenticator hook', () => {
  let sim: KubeSim;
  let c: SimCluster;

  beforeAll(async () => {
    sim = await startKubeSim({ clusters: 1, seed: 'empty' });
    c = sim.clusters[0]!;
  });
  afterAll(() => sim.close());

  it('leaves an unknown token a 401 until an authenticator recognises it', async () => {
    expect((await call(c, '/api/v1/namespaces', { token: 'webhook-token-1' })).status).toBe(401);

    const seen: string[] = [];
    c.setTokenAuthenticator((token) => {
      seen.push(token);
      return token === 'webhook-token-1'
        ? { username: 'ocid1.user.oc1..example', uid: 'u-1', groups: ['system:masters'] }
        : undefined;
    });
    const me = await call(c, REVIEW, { method: 'POST', token: 'webhook-token-1', body: reviewBody });
    expect(me.status).toBe(201);
    expect(me.body.status.userInfo).toEqual({
      username: 'ocid1.user.oc1..example',
      uid: 'u-1',
      groups: ['system:masters', 'system:authenticated'],
    });
    expect((await call(c, '/api/v1/namespaces', { token: 'webhook-token-1' })).status).toBe(200);

    // A token the hook does not know is still refused, and the built-in tokens never reach the hook.
    expect((await call(c, '/api/v1/namespaces', { token: 'webhook-token-2' })).status).toBe(401);
    expect((await call(c, '/api/v1/namespaces', { user: 'admin' })).status).toBe(200);
    expect(seen).toEqual(['webhook-token-1', 'webhook-token-1', 'webhook-token-2']);
  });

  it('authorizes hooked users through RBAC like any other user', async () => {
    c.setTokenAuthenticator((token) =>
      token === 'plain' ? { username: 'nobody-bound', groups: [] } : undefined,
    );
    const denied = await call(c, '/api/v1/namespaces', { token: 'plain' });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain('User "nobody-bound" cannot list resource "namespaces"');
  });

  it('removes the authenticator with undefined', async () => {
    c.setTokenAuthenticator((token) => (token === 'gone' ? { username: 'x', groups: [] } : undefined));
    c.setTokenAuthenticator(undefined);
    expect((await call(c, '/api/v1/namespaces', { token: 'gone' })).status).toBe(401);
  });
});
