import { execFile } from 'node:child_process';
import { request } from 'node:https';
import { createServer } from 'node:net';
import type { KubeSim, SimCluster } from 'kube-sim';
import { type OidcIssuer, startOidcIssuer } from 'sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BIN_CACHE,
  CLI,
  fakeCli,
  type HttpServer,
  KUBECTL_MISSING,
  type Started,
  seen,
  simTokens,
  startHttpServer,
  startSim,
  tempDir,
  writeKubeconfig,
} from './harness.js';

// --impersonate-caller over real HTTP: OAuth JWTs from sim-kit's issuer, kube-sim enforcing impersonation.
// The server's own kubeconfig is kube-sim's `viewer` (who may list pods everywhere), granted `impersonate`
// on users and groups here; RBAC lets `oidc:alice` list pods in team-a, the group `oidc:ops` in team-b and the
// group `oidc:dev` in monitoring.
// What the cluster decided is asserted on its own answers (403 messages naming the user, whoami).

const RBAC = 'rbac.authorization.k8s.io';
let sim: KubeSim;
let issuer: OidcIssuer;
let server: HttpServer;
let url: string;
const clients: Started[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Creates an RBAC object in the cluster as its admin. */
function create(c: SimCluster, path: string, body: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, c.url),
      {
        method: 'POST',
        ca: c.caPem,
        headers: { authorization: `Bearer ${c.tokens.admin}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`${path}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const binding = (kind: string, name: string, role: string, subject: Record<string, string>) => ({
  apiVersion: `${RBAC}/v1`,
  kind,
  metadata: { name },
  roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
  subjects: [{ apiGroup: RBAC, ...subject }],
});

/** A token of the issuer for this server (`aud`), with the claims given. */
function token(claims: Record<string, unknown>): string {
  return issuer.mint({ aud: url, client_id: 'e2e', scope: 'mcp:read mcp:write', ...claims });
}

async function as(claims: Record<string, unknown>): Promise<Started> {
  const client = await server.connect({ authorization: `Bearer ${token(claims)}` });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  [sim, issuer] = await Promise.all([startSim(), startOidcIssuer()]);
  const c = sim.clusters[0]!;
  await create(c, `/apis/${RBAC}/v1/clusterroles`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'mcp-impersonator' },
    rules: [{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }],
  });
  await create(
    c,
    `/apis/${RBAC}/v1/clusterrolebindings`,
    binding('ClusterRoleBinding', 'mcp-impersonator', 'mcp-impersonator', { kind: 'User', name: 'viewer' }),
  );
  await create(
    c,
    `/apis/${RBAC}/v1/namespaces/team-a/rolebindings`,
    binding('RoleBinding', 'alice-views', 'view', { kind: 'User', name: 'oidc:alice' }),
  );
  await create(
    c,
    `/apis/${RBAC}/v1/namespaces/team-b/rolebindings`,
    binding('RoleBinding', 'ops-views', 'view', { kind: 'Group', name: 'oidc:ops' }),
  );
  await create(
    c,
    `/apis/${RBAC}/v1/namespaces/monitoring/rolebindings`,
    binding('RoleBinding', 'dev-views', 'view', { kind: 'Group', name: 'oidc:dev' }),
  );
  const port = await freePort();
  url = `http://127.0.0.1:${port}/mcp`;
  // a stand-in istioctl, so the tool is there to be refused (it would print "fake istioctl" if run)
  const fakes = tempDir('k8s-imp-bin-');
  fakeCli(fakes, 'istioctl');
  server = await startHttpServer({
    kubeconfig: writeKubeconfig(sim, 'view'),
    env: {
      CLOUDMCP_OAUTH_ISSUER: issuer.url,
      CLOUDMCP_OAUTH_AUDIENCE: url,
      CLOUDMCP_IMPERSONATE_CALLER: '1',
    },
    args: ['--http', `127.0.0.1:${port}`, '--cli-dirs', `${BIN_CACHE},${fakes}`, '--context', 'sim-1'],
  });
});

afterAll(async () => {
  while (clients.length) await clients.pop()!.close();
  await server?.close();
  const tokens = simTokens(sim);
  for (const text of seen) for (const t of tokens) expect(text).not.toContain(t);
  await Promise.all([sim?.close(), issuer?.close()]);
});

describe('kubernetes-mcp --impersonate-caller', () => {
  it('lists what RBAC lets the caller see, and answers 403 naming the user the cluster saw', async () => {
    const alice = await as({ sub: 'alice', groups: ['dev'] });
    expect((await alice.ok('pod_list', { namespace: 'team-a' })).text).toContain('postgres-0');
    const theirs = await alice.call('pod_list', { namespace: 'team-b' });
    expect(theirs.isError).toBe(true);
    expect(theirs.text).toContain('User "oidc:alice" cannot list resource "pods"');
    // the server's own identity (viewer) could: it is not what the cluster saw
    expect(theirs.text).not.toContain('viewer');
  });

  it('gives another caller its own view, through its group', async () => {
    const bob = await as({ sub: 'bob', groups: ['ops'] });
    expect((await bob.ok('pod_list', { namespace: 'team-b' })).text).toMatch(
      /NAMESPACE: team-b\n.*\n.*Running/,
    );
    const denied = await bob.call('pod_list', { namespace: 'team-a' });
    expect(denied.text).toContain('User "oidc:bob" cannot list resource "pods"');
  });

  it('sends every group of a caller: [dev, ops] lists what either group is granted, and no more', async () => {
    const carol = await as({ sub: 'carol', groups: ['dev', 'ops'] });
    expect((await carol.ok('pod_list', { namespace: 'team-b' })).text).toContain('NAMESPACE: team-b');
    expect((await carol.ok('pod_list', { namespace: 'monitoring' })).text).toContain('prometheus');
    const denied = await carol.call('pod_list', { namespace: 'team-a' });
    expect(denied.isError).toBe(true);
    expect(denied.text).toContain('User "oidc:carol" cannot list resource "pods"');
  });

  it('refuses a token without sub at the door (401), before any tool runs', async () => {
    const before = sim.clusters[0]!.log.length;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${issuer.mint({ aud: url, client_id: 'e2e', scope: 'mcp:read' })}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
    expect(sim.clusters[0]!.log.length).toBe(before);
  });

  it('refuses hostile claims with nothing sent: a line break in sub, 1000 groups', async () => {
    const c = sim.clusters[0]!;
    for (const claims of [
      { sub: 'alice\r\nImpersonate-Group: system:masters', groups: ['dev'] },
      { sub: 'alice', groups: Array.from({ length: 1000 }, (_, i) => `g${i}`) },
    ]) {
      const hostile = await as(claims);
      const before = c.log.length;
      const result = await hostile.call('pod_list', { namespace: 'team-a' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/acts as its caller.*nothing was sent/i);
      expect(result.text).not.toContain('\n\r');
      expect(c.log.length).toBe(before);
    }
  });

  it('drops a 10 KB group (the token verifier bounds claims) and still acts as the caller', async () => {
    const big = await as({ sub: 'alice', groups: ['g'.repeat(10_000)] });
    expect((await big.ok('pod_list', { namespace: 'team-a' })).text).toContain('postgres-0');
    const entry = [...sim.clusters[0]!.log].reverse().find((e) => e.path.endsWith('/team-a/pods'));
    expect(entry).toMatchObject({ user: 'viewer', impersonatedUser: 'oidc:alice' });
  });

  describe.skipIf(!!KUBECTL_MISSING)(KUBECTL_MISSING ?? 'the kubectl tool', () => {
    it('runs kubectl as the caller (--as from the token, never from the model)', async () => {
      const alice = await as({ sub: 'alice', groups: ['dev'] });
      const whoami = await alice.ok('kubectl', { command: 'auth whoami -o json' });
      const stdout = (whoami.structured as { stdout: string }).stdout;
      expect(JSON.parse(stdout).status.userInfo).toMatchObject({
        username: 'oidc:alice',
        groups: ['oidc:dev', 'system:authenticated'],
      });
      const denied = await alice.call('kubectl', { command: 'get pods -n team-b' });
      expect(denied.isError).toBe(true);
      expect(denied.text).toContain('User "oidc:alice" cannot list resource "pods"');
      const forged = await alice.call('kubectl', { command: 'get pods -n team-b --as=oidc:admin' });
      expect(forged.isError).toBe(true);
      expect(forged.text).toContain('impersonates another user');
    });

    it('refuses istioctl, which cannot impersonate, saying why', async () => {
      const alice = await as({ sub: 'alice' });
      const result = await alice.call('istioctl', { command: 'version --remote=false' });
      expect(result.isError).toBe(true);
      expect(result.text).toContain('istioctl has no option to act as another user');
      expect(result.text).not.toContain('fake istioctl');
    });

    it('gives a read-scope caller the reading kubectl: get works, delete is refused', async () => {
      const reader = await as({ sub: 'alice', groups: ['dev'], scope: 'mcp:read' });
      const listed = (await reader.client.listTools()).tools.map((t) => t.name);
      expect(listed).toContain('kubectl');
      const got = await reader.ok('kubectl', { command: 'get pods -n team-a -o name' });
      expect((got.structured as { stdout: string }).stdout).toMatch(/^pod\//m);
      const deleting = await reader.call('kubectl', { command: 'delete pod x -n team-a' });
      expect(deleting.isError).toBe(true);
      expect(deleting.text).toMatch(/read-only/i);
    });
  });
});

describe('kubernetes-mcp --impersonate-caller configuration', () => {
  const start = (args: string[]) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        { env: { PATH: process.env.PATH ?? '' } },
        (error, _o, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
    });

  it('is a configuration error on stdio and with only --http-token, naming the flag', async () => {
    const stdio = await start(['--impersonate-caller']);
    expect(stdio.code).toBe(2);
    expect(stdio.stderr).toContain('--impersonate-caller (CLOUDMCP_IMPERSONATE_CALLER)');
    expect(stdio.stderr).toContain('add --http and --oauth-issuer');
    const token = await start([
      '--impersonate-caller',
      '--http',
      '127.0.0.1:0',
      '--http-token',
      'a-static-token-0123456789',
    ]);
    expect(token.code).toBe(2);
    expect(token.stderr).toContain('--impersonate-caller');
  });

  it('refuses a prefix in the system: space', async () => {
    const bad = await start(['--impersonate-caller', '--impersonate-user-prefix', 'system:x:']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('impersonate-user-prefix');
  });
});
