/**
 * `--in-cluster`: the pod's service account as the server's one context. A temporary root stands in for
 * /var/run/secrets/kubernetes.io/serviceaccount; kube-sim mints the service-account tokens, and the token
 * file is rotated mid-session as the kubelet does. The typed tools and kubectl both follow the rotation.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeTargets, SERVICE_ACCOUNT_DIR } from '@cloudmcp/kube';
import { createLogger } from '@cloudmcp/toolkit';
import type { KubeSim } from 'kube-sim';
import { connectInProcess } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubernetesConfigSchema } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { createServer } from '../src/index.js';
import { BIN_CACHE, KUBECTL_MISSING, simTokens, startSim } from './harness.js';

const logger = createLogger({ name: 'test', level: 'error', write: () => {} });

let sim: KubeSim;
let root: string;
const tokens = { 'reader-a': '', 'reader-b': '' };

beforeAll(async () => {
  sim = await startSim();
  const admin = await new KubeTargets(sim.kubeconfig(), { retries: 0 }).client();
  for (const name of Object.keys(tokens) as Array<keyof typeof tokens>) {
    await admin.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/serviceaccounts',
      body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } },
    });
    await admin.request({
      method: 'POST',
      path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `${name}-view` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name, namespace: 'default' }],
      },
    });
    const { body } = await admin.request<{ status: { token: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/default/serviceaccounts/${name}/token`,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    });
    tokens[name] = body.status.token;
  }
  admin.close();
  root = mkdtempSync(join(tmpdir(), 'k8s-in-cluster-'));
  const dir = join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.crt'), sim.clusters[0]!.caPem);
  writeFileSync(join(dir, 'namespace'), 'team-a');
  writeFileSync(join(dir, 'token'), tokens['reader-a']);
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await sim?.close();
});

const podEnv = () => ({
  KUBERNETES_SERVICE_HOST: '127.0.0.1',
  KUBERNETES_SERVICE_PORT: String(sim.clusters[0]!.port),
});

const config = (values: Record<string, unknown>) =>
  kubernetesConfigSchema.parse({ inCluster: true, ...values });

describe('--in-cluster', () => {
  it("serves the pod's service account as the one context, and follows a rotated token", async () => {
    let now = 0;
    const deps = createDeps(config({ cliDirs: [BIN_CACHE] }), logger, {
      root,
      env: podEnv(),
      now: () => now,
    });
    expect(deps.kube.names()).toEqual(['in-cluster']);
    expect(deps.kube.list()).toEqual([
      {
        name: 'in-cluster',
        context: 'in-cluster',
        cluster: 'in-cluster',
        user: 'in-cluster',
        server: `https://127.0.0.1:${sim.clusters[0]!.port}`,
        namespace: 'team-a',
        default: true,
      },
    ]);
    const { client, close } = await connectInProcess(createServer(deps, { logger }));
    const texts: string[] = [];
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const result = (await client.callTool({ name, arguments: args })) as {
        content: Array<{ text?: string }>;
        isError?: boolean;
      };
      const text = result.content.map((c) => c.text ?? '').join('\n');
      texts.push(text);
      expect(result.isError, text).not.toBe(true);
      return text;
    };
    let before = sim.clusters[0]!.log.length;
    const users = () => sim.clusters[0]!.log.slice(before).map((e) => e.user);
    expect(await call('namespace_list')).toMatch(/^kube-system\s+Active/m);
    expect(new Set(users())).toEqual(new Set(['system:serviceaccount:default:reader-a']));
    if (!KUBECTL_MISSING) {
      expect(await call('kubectl', { command: 'auth whoami' })).toMatch(
        /Username\s+system:serviceaccount:default:reader-a/,
      );
    }

    writeFileSync(join(root, SERVICE_ACCOUNT_DIR, 'token'), tokens['reader-b']); // the kubelet rotates it
    now += 5_000;
    before = sim.clusters[0]!.log.length;
    expect(await call('namespace_list')).toMatch(/^default\s+Active/m);
    expect(new Set(users())).toEqual(new Set(['system:serviceaccount:default:reader-b']));
    if (!KUBECTL_MISSING) {
      expect(await call('kubectl', { command: 'auth whoami' })).toMatch(
        /Username\s+system:serviceaccount:default:reader-b/,
      );
    }
    await close();
    deps.kube.close();
    for (const text of texts) {
      for (const token of [...Object.values(tokens), ...simTokens(sim)]) expect(text).not.toContain(token);
    }
  });

  it('gives the CLI tools a kubeconfig with the token valid at that moment', async () => {
    let now = 0;
    const deps = createDeps(config({}), logger, { root, env: podEnv(), now: () => now });
    expect(deps.kubeconfigs?.names()).toEqual(['in-cluster']);
    expect(deps.kubeconfigs?.defaultTarget()).toBe('in-cluster');
    const first = await deps.kubeconfigs!.forTarget('in-cluster');
    expect(first?.users).toEqual([{ name: 'in-cluster', user: { token: tokens['reader-b'] } }]);
    writeFileSync(join(root, SERVICE_ACCOUNT_DIR, 'token'), tokens['reader-a']);
    now += 5_000;
    const second = await deps.kubeconfigs!.forTarget('in-cluster');
    expect(second?.users).toEqual([{ name: 'in-cluster', user: { token: tokens['reader-a'] } }]);
    expect(await deps.kubeconfigs!.forTarget('elsewhere')).toBeUndefined();
  });

  it('takes --context in-cluster, and refuses another context, --kubeconfig, or no pod', () => {
    const inPod = { root, env: podEnv() };
    expect(createDeps(config({ context: 'in-cluster' }), logger, inPod).kube.defaultTarget).toBe(
      'in-cluster',
    );
    expect(() => createDeps(config({ context: 'prod' }), logger, inPod)).toThrow(
      /^--context \(KUBE_CONTEXT\): no context "prod" in the kubeconfig; contexts: in-cluster$/,
    );
    expect(() => createDeps(config({ kubeconfig: '/home/me/.kube/config' }), logger, inPod)).toThrow(
      /^--in-cluster \(KUBERNETES_IN_CLUSTER\) and --kubeconfig \(KUBECONFIG\) exclude each other: use the pod's service account or a kubeconfig, not both$/,
    );
    expect(() => createDeps(config({}), logger, { root, env: {} })).toThrow(
      /^--in-cluster \(KUBERNETES_IN_CLUSTER\): not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set$/,
    );
    expect(() => createDeps(config({}), logger, { root: join(root, 'elsewhere'), env: podEnv() })).toThrow(
      /^--in-cluster \(KUBERNETES_IN_CLUSTER\): no service-account token: \S+\/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/token does not exist/,
    );
  });
});
