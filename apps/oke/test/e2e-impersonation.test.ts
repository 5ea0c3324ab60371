import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KubeTargets, TYPES } from '@cloudmcp/kube';
import { buildKubeconfig, type SimCluster } from 'kube-sim';
import type { OciSim } from 'oci-sim';
import { type OidcIssuer, startOidcIssuer } from 'sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  BIN_CACHE,
  CLI,
  clusterNamed,
  type OkeHttpClient,
  type OkeHttpServer,
  startOkeHttp,
  startSim,
} from './harness.js';

// --impersonate-caller over real HTTP on an OKE cluster: OAuth JWTs from sim-kit's issuer, the cluster's
// kube-sim enforcing impersonation. The server reaches the cluster with OKE cluster tokens of its OCI
// identity (the tenancy admin, cluster-admin there, so allowed to impersonate); RBAC lets `oidc:alice` list
// pods in team-a, the group `oidc:ops` in team-b and the group `oidc:dev` in monitoring. Every 403 below is
// one the server's own identity would not have had: the cluster decided as the caller.

const AUDIENCE = 'https://oke-mcp.example/mcp';
const RBAC = 'rbac.authorization.k8s.io';
const KUBECTL_MISSING = existsSync(join(BIN_CACHE, 'kubectl')) ? undefined : `no kubectl in ${BIN_CACHE}`;
let sim: OciSim;
let issuer: OidcIssuer;
let http: OkeHttpServer;
let cluster: SimCluster;
const clients: OkeHttpClient[] = [];

/** `view` in `namespace` for one RBAC subject. */
const viewFor = (namespace: string, kind: 'User' | 'Group', name: string) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'RoleBinding',
  metadata: { name: `${name.replace(':', '-')}-views`, namespace },
  roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
  subjects: [{ apiGroup: RBAC, kind, name }],
});

beforeAll(async () => {
  [sim, issuer] = await Promise.all([startSim(), startOidcIssuer()]);
  cluster = clusterNamed(sim, 'oke-prod').kube;
  // the cluster's own admin writes the RBAC, as an operator would with kubectl
  const admin = new KubeTargets(parseYaml(buildKubeconfig([cluster])));
  const client = await admin.client();
  for (const [namespace, kind, name] of [
    ['team-a', 'User', 'oidc:alice'],
    ['team-b', 'Group', 'oidc:ops'],
    ['monitoring', 'Group', 'oidc:dev'],
  ] as const) {
    await client.create(TYPES.roleBindings, viewFor(namespace, kind, name), { namespace });
  }
  admin.close();
  http = await startOkeHttp(sim, {
    env: {
      CLOUDMCP_OAUTH_ISSUER: issuer.url,
      CLOUDMCP_OAUTH_AUDIENCE: AUDIENCE,
      CLOUDMCP_IMPERSONATE_CALLER: '1',
    },
    args: ['--cli-dirs', BIN_CACHE],
  });
});

afterAll(async () => {
  while (clients.length) await clients.pop()!.close();
  await http?.close();
  await Promise.all([sim?.close(), issuer?.close()]);
});

async function as(claims: Record<string, unknown>): Promise<OkeHttpClient> {
  const token = issuer.mint({ aud: AUDIENCE, client_id: 'e2e', scope: 'mcp:read mcp:write', ...claims });
  const client = await http.connect({ headers: { authorization: `Bearer ${token}` } });
  clients.push(client);
  return client;
}

/** The last request the cluster saw for `path`'s end. */
const lastRequest = (pathEnd: string) => [...cluster.log].reverse().find((e) => e.path.endsWith(pathEnd));

describe('oke-mcp --impersonate-caller', () => {
  it('lists what RBAC grants the caller, and answers the 403 naming the user the cluster saw', async () => {
    const alice = await as({ sub: 'alice' });
    const granted = await alice.ok('pod_list', { cluster: 'oke-prod', namespace: 'team-a' });
    expect(granted.text).toContain('postgres-0');
    expect(lastRequest('/namespaces/team-a/pods')).toMatchObject({ impersonatedUser: 'oidc:alice' });
    const denied = await alice.call('pod_list', { cluster: 'oke-prod', namespace: 'team-b' });
    expect(denied.isError).toBe(true);
    expect(denied.text).toContain('User "oidc:alice" cannot list resource "pods"');
  });

  it('sends every group: [dev, ops] lists what either group is granted, and no more', async () => {
    const carol = await as({ sub: 'carol', groups: ['dev', 'ops'] });
    expect((await carol.ok('pod_list', { cluster: 'oke-prod', namespace: 'team-b' })).text).toContain(
      'NAMESPACE: team-b',
    );
    expect((await carol.ok('pod_list', { cluster: 'oke-prod', namespace: 'monitoring' })).text).toContain(
      'prometheus',
    );
    const denied = await carol.call('pod_list', { cluster: 'oke-prod', namespace: 'team-a' });
    expect(denied.text).toContain('User "oidc:carol" cannot list resource "pods"');
  });

  it.skipIf(!!KUBECTL_MISSING)(
    KUBECTL_MISSING ?? 'runs kubectl as the caller (--as from the token)',
    async () => {
      const carol = await as({ sub: 'carol', groups: ['dev', 'ops'] });
      const whoami = await carol.ok('kubectl', { cluster: 'oke-prod', command: 'auth whoami -o json' });
      const stdout = (whoami.structured as { stdout: string }).stdout;
      expect(JSON.parse(stdout).status.userInfo).toMatchObject({
        username: 'oidc:carol',
        groups: ['oidc:dev', 'oidc:ops', 'system:authenticated'],
      });
    },
  );
});

describe('oke-mcp --impersonate-caller configuration', () => {
  const start = (args: string[]) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } },
        (error, _out, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
    });

  it('is a configuration error without --http and --oauth-issuer, naming the flag', async () => {
    for (const args of [
      ['--impersonate-caller'],
      ['--impersonate-caller', '--http', '127.0.0.1:0', '--http-token', 'a-static-token-0123456789'],
    ]) {
      const { code, stderr } = await start(args);
      expect(code).toBe(2);
      expect(stderr).toContain('--impersonate-caller (CLOUDMCP_IMPERSONATE_CALLER)');
      expect(stderr).toContain('add --http and --oauth-issuer');
    }
  });
});
