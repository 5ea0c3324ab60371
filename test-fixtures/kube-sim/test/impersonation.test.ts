import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, type SimCluster, startKubeSim, type UserRole } from '../src/index.js';
import { BinaryEnv, call, type Json, KUBECTL, missingBinary } from './helpers.js';

let sim: KubeSim;
const c = (): SimCluster => sim.clusters[0]!;
const RBAC = 'rbac.authorization.k8s.io';

/** One HTTPS call with headers as given: an array value goes as one header line per element. */
function as(
  path: string,
  headers: Record<string, string | string[]>,
  o: { user?: UserRole; method?: string; body?: unknown } = {},
): Promise<{ status: number; body: Json }> {
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, c().url),
      {
        method: o.method ?? 'GET',
        ca: c().caPem,
        headers: {
          authorization: `Bearer ${c().tokens[o.user ?? 'view']}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function create(path: string, body: unknown): Promise<void> {
  const r = await call(c(), path, { method: 'POST', body });
  expect(r.status, r.text).toBe(201);
}

const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, role: string, subject: Json) => ({
  apiVersion: `${RBAC}/v1`,
  kind,
  metadata: { name },
  roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
  subjects: [{ apiGroup: RBAC, ...subject }],
});

beforeAll(async () => {
  sim = await startKubeSim();
  // `viewer` may impersonate any user and group; `editor` may impersonate only the user oidc:alice
  await create(`/apis/${RBAC}/v1/clusterroles`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'impersonator' },
    rules: [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }],
  });
  await create(`/apis/${RBAC}/v1/clusterroles`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'alice-only' },
    rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['oidc:alice'] }],
  });
  await create(
    `/apis/${RBAC}/v1/clusterrolebindings`,
    binding('ClusterRoleBinding', 'viewer-impersonates', 'impersonator', { kind: 'User', name: 'viewer' }),
  );
  await create(
    `/apis/${RBAC}/v1/clusterrolebindings`,
    binding('ClusterRoleBinding', 'editor-alice', 'alice-only', { kind: 'User', name: 'editor' }),
  );
  await create(
    `/apis/${RBAC}/v1/namespaces/team-a/rolebindings`,
    binding('RoleBinding', 'alice-views', 'view', { kind: 'User', name: 'oidc:alice' }),
  );
  await create(
    `/apis/${RBAC}/v1/namespaces/team-b/rolebindings`,
    binding('RoleBinding', 'ops-views', 'view', { kind: 'Group', name: 'oidc:ops' }),
  );
});

afterAll(async () => {
  await sim?.close();
});

describe('impersonation', () => {
  it('runs the request as the impersonated user: RBAC and 403s name that user', async () => {
    const ok = await as('/api/v1/namespaces/team-a/pods', { 'Impersonate-User': 'oidc:alice' });
    expect(ok.status).toBe(200);
    expect(ok.body.kind).toBe('PodList');
    const no = await as('/api/v1/namespaces/team-b/pods', { 'Impersonate-User': 'oidc:alice' });
    expect(no.status).toBe(403);
    expect(no.body.message).toBe(
      'pods is forbidden: User "oidc:alice" cannot list resource "pods" in API group "" in the namespace "team-b"',
    );
    // viewer itself may list team-b: the impersonated identity is the whole identity
    expect((await as('/api/v1/namespaces/team-b/pods', {})).status).toBe(200);
    const entry = [...c().log]
      .reverse()
      .find((e) => e.path === '/api/v1/namespaces/team-b/pods' && e.status === 403);
    expect(entry).toMatchObject({ user: 'viewer', impersonatedUser: 'oidc:alice' });
  });

  it('takes one group per Impersonate-Group line, never splitting a line at commas', async () => {
    const path = '/api/v1/namespaces/team-b/pods';
    const lines = await as(path, {
      'Impersonate-User': 'oidc:bob',
      'Impersonate-Group': ['oidc:dev', 'oidc:ops'],
    });
    expect(lines.status).toBe(200);
    const joined = await as(path, {
      'Impersonate-User': 'oidc:bob',
      'Impersonate-Group': 'oidc:dev, oidc:ops',
    });
    expect(joined.status).toBe(403);
    expect(joined.body.message).toContain('User "oidc:bob" cannot list');
  });

  it('shows the impersonated user, its groups and system:authenticated in a SelfSubjectReview', async () => {
    const r = await as(
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { 'Impersonate-User': 'oidc:alice', 'Impersonate-Group': ['oidc:dev'] },
      { method: 'POST', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
    );
    expect(r.status).toBe(201);
    expect(r.body.status.userInfo).toMatchObject({
      username: 'oidc:alice',
      groups: ['oidc:dev', 'system:authenticated'],
    });
  });

  it("refuses without the impersonate verb, with the apiserver's message naming the real user", async () => {
    const user = await as(
      '/api/v1/namespaces/team-a/pods',
      { 'Impersonate-User': 'oidc:carol' },
      { user: 'edit' },
    );
    expect(user.status).toBe(403);
    expect(user.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      details: { name: 'oidc:carol', kind: 'users' },
      message:
        'users "oidc:carol" is forbidden: User "editor" cannot impersonate resource "users" in API group "" at the cluster scope',
    });
    // editor may impersonate oidc:alice (resourceNames), but not a group
    expect(
      (await as('/api/v1/namespaces/team-a/pods', { 'Impersonate-User': 'oidc:alice' }, { user: 'edit' }))
        .status,
    ).toBe(200);
    const group = await as(
      '/api/v1/namespaces/team-a/pods',
      { 'Impersonate-User': 'oidc:alice', 'Impersonate-Group': 'oidc:ops' },
      { user: 'edit' },
    );
    expect(group.body.message).toBe(
      'groups "oidc:ops" is forbidden: User "editor" cannot impersonate resource "groups" in API group "" at the cluster scope',
    );
  });

  it('asks for serviceaccounts in their namespace when the user is a service account', async () => {
    const r = await as(
      '/api/v1/namespaces/team-a/pods',
      { 'Impersonate-User': 'system:serviceaccount:team-a:builder' },
      { user: 'view' },
    );
    expect(r.body.message).toBe(
      'serviceaccounts "builder" is forbidden: User "viewer" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team-a"',
    );
  });

  it('answers 500 for groups without a user, as the apiserver does', async () => {
    const r = await as('/api/v1/namespaces/team-a/pods', { 'Impersonate-Group': 'oidc:ops' });
    expect(r.status).toBe(500);
    expect(r.body.reason).toBe('InternalError');
  });
});

const missing = missingBinary(KUBECTL);
describe.skipIf(!!missing)(
  missing ? `kubectl --as (skipped: ${missing})` : 'kubectl --as against kube-sim',
  () => {
    it('runs as the user kubectl names with --as/--as-group', async () => {
      const env = new BinaryEnv(sim);
      try {
        const whoami = await env.kubectl(
          ['auth', 'whoami', '-o', 'json', '--as=oidc:alice', '--as-group=oidc:dev'],
          {
            user: 'view',
          },
        );
        expect(whoami.code, whoami.stderr).toBe(0);
        expect(JSON.parse(whoami.stdout).status.userInfo).toMatchObject({
          username: 'oidc:alice',
          groups: ['oidc:dev', 'system:authenticated'],
        });
        const denied = await env.kubectl(['get', 'pods', '-n', 'team-b', '--as=oidc:alice'], {
          user: 'view',
        });
        expect(denied.code).not.toBe(0);
        expect(denied.stderr).toContain('User "oidc:alice" cannot list resource "pods"');
      } finally {
        env.cleanup();
      }
    });
  },
);
