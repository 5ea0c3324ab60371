/**
 * `--in-cluster` (`OKE_IN_CLUSTER=1`): in a pod on OKE the pod's service account reaches the cluster it runs
 * in, as the target `in-cluster`, beside the OCI tools and the other clusters. A temporary root stands in for
 * /var/run/secrets/kubernetes.io/serviceaccount, holding a token of that cluster's kube-sim.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_ACCOUNT_DIR } from '@cloudmcp/kube';
import { createLogger } from '@cloudmcp/toolkit';
import { connectInProcess, tableRows } from 'mcp-test-kit';
import type { OciSim } from 'oci-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { okeConfigSchema } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { createServer } from '../src/index.js';
import { compartmentNamed, startSim, tempDir } from './harness.js';

const logger = createLogger({ name: 'test', level: 'error', write: () => {} });

let sim: OciSim;
let root: string;

beforeAll(async () => {
  sim = await startSim();
  root = mkdtempSync(join(tmpdir(), 'oke-in-cluster-'));
  const dir = join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(dir, { recursive: true });
  const own = sim.clusters.find((c) => c.name === 'oke-dev')!.kube;
  writeFileSync(join(dir, 'ca.crt'), own.caPem);
  writeFileSync(join(dir, 'namespace'), 'default');
  writeFileSync(join(dir, 'token'), own.tokens.view);
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await sim?.close();
});

it("reaches the pod's own cluster as `in-cluster`, the default target, beside OCI's clusters", async () => {
  const own = sim.clusters.find((c) => c.name === 'oke-dev')!.kube;
  const config = sim.writeConfig(tempDir('oke-oci-'), { auth: 'api_key' });
  const deps = createDeps(
    okeConfigSchema.parse({
      inCluster: true,
      ociConfig: config.configFile,
      ociEndpoint: sim.url,
      compartment: compartmentNamed(sim, 'production'),
    }),
    logger,
    { root, env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(own.port) } },
  );
  expect(deps.kube.defaultTarget).toBe('in-cluster');
  const { client, close } = await connectInProcess(createServer(deps, { logger }));
  try {
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const result = (await client.callTool({ name, arguments: args })) as {
        content: Array<{ text?: string }>;
        isError?: boolean;
        structuredContent?: unknown;
      };
      expect(result.isError, result.content[0]?.text).not.toBe(true);
      return tableRows(result.structuredContent);
    };
    const before = own.log.length;
    const namespaces = await call('namespace_list');
    expect(namespaces.map((n) => n['name'])).toContain('kube-system');
    expect(new Set(own.log.slice(before).map((e) => e.user))).toEqual(new Set([own.users.view]));
    const pods = await call('pod_list', { cluster: 'in-cluster', namespace: 'kube-system' });
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((p) => String(p['node']).startsWith(`${own.name}-`))).toBe(true);

    // OCI's clusters are still there, by name, with their own cluster tokens
    await call('cluster_list');
    const prodKube = sim.clusters.find((c) => c.name === 'oke-prod')!.kube;
    const prod = await call('node_list', { cluster: 'oke-prod' });
    expect(prod.map((n) => n['name'])).toContain(`${prodKube.name}-control-plane`);
    const everywhere = await call('pods_not_ready', { cluster: '*' });
    expect(new Set(everywhere.map((r) => r['cluster']))).toEqual(new Set(['in-cluster', 'oke-prod']));
  } finally {
    await close();
    deps.kube.close();
  }
});
