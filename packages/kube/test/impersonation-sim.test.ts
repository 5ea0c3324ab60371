/**
 * Impersonation against kube-sim, which reads impersonation as kube-apiserver does (one group per
 * `Impersonate-Group` line, never split at commas): a caller with several groups gets what RBAC grants to
 * any one of them. The server's own identity is the sim's admin (allowed to impersonate).
 */
import type { Caller } from '@cloudmcp/toolkit';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KubeApiError } from '../src/errors.js';
import { actingAs, impersonationOf, type KubeconfigDocument, KubeTargets, TYPES } from '../src/index.js';

const RBAC = 'rbac.authorization.k8s.io';
let sim: KubeSim;
let admin: KubeTargets;
let acting: KubeTargets;

/** `view` in `namespace` for the group `group`. */
const viewFor = (group: string, namespace: string) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'RoleBinding',
  metadata: { name: `${group.replace(':', '-')}-views`, namespace },
  roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
  subjects: [{ apiGroup: RBAC, kind: 'Group', name: group }],
});

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 1 });
  const doc = () => parseYaml(sim.kubeconfig()) as KubeconfigDocument;
  admin = new KubeTargets(doc());
  acting = new KubeTargets(doc(), { impersonate: true });
  const client = await admin.client();
  await client.create(TYPES.roleBindings, viewFor('oidc:dev', 'team-a'), { namespace: 'team-a' });
  await client.create(TYPES.roleBindings, viewFor('oidc:ops', 'team-b'), { namespace: 'team-b' });
});

afterAll(async () => {
  admin?.close();
  acting?.close();
  await sim?.close();
});

const settings = { userPrefix: 'oidc:', groupPrefix: 'oidc:' };
const carol: Caller = { method: 'oauth', id: 'x', scopes: [], subject: 'carol', groups: ['dev', 'ops'] };

/** Runs `fn` with the target's client as `caller`. */
async function as<T>(caller: Caller, fn: (client: Awaited<ReturnType<KubeTargets['client']>>) => Promise<T>) {
  const client = await acting.client();
  return actingAs(impersonationOf(caller, settings), () => fn(client));
}

describe('KubeClient with impersonate, against kube-sim', () => {
  it('a caller with groups [dev, ops] gets what RBAC grants to either group', async () => {
    const teamA = await as(carol, (c) => c.list(TYPES.pods, { namespace: 'team-a' }));
    const teamB = await as(carol, (c) => c.list(TYPES.pods, { namespace: 'team-b' }));
    expect(teamA.items.length).toBeGreaterThan(0);
    expect(teamB.items.length).toBeGreaterThan(0);
    expect(teamA.items.every((p) => p.metadata?.namespace === 'team-a')).toBe(true);
  });

  it('the cluster sees each group as its own (SelfSubjectReview), and nothing more', async () => {
    const review = await as(carol, (c) =>
      c.request<{ status: { userInfo: { username: string; groups: string[] } } }>({
        method: 'POST',
        path: `/apis/authentication.k8s.io/v1/selfsubjectreviews`,
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      }),
    );
    expect(review.body.status.userInfo).toEqual({
      username: 'oidc:carol',
      groups: ['oidc:dev', 'oidc:ops', 'system:authenticated'],
    });
    const denied = await as(carol, (c) => c.list(TYPES.pods, { namespace: 'monitoring' })).catch(
      (error: unknown) => error,
    );
    expect(denied).toBeInstanceOf(KubeApiError);
    expect((denied as KubeApiError).message).toContain('User "oidc:carol" cannot list resource "pods"');
  });

  it('a caller with one of the groups gets only what that group is granted', async () => {
    const dev: Caller = { ...carol, subject: 'dan', groups: ['dev'] };
    expect((await as(dev, (c) => c.list(TYPES.pods, { namespace: 'team-a' }))).items.length).toBeGreaterThan(
      0,
    );
    await expect(as(dev, (c) => c.list(TYPES.pods, { namespace: 'team-b' }))).rejects.toThrow(
      'User "oidc:dan" cannot list resource "pods"',
    );
  });
});
