import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// oci-sim is not a dependency of the repository root, so it is imported from its build.
import { startOciSim } from 'oci-sim';
import { connect, heading, root, step } from './session.mjs';

/** Clusters of two compartments, what is not ready in all of them, its events, a node pool scaled up. */
export async function okeScene() {
  heading('Oracle Kubernetes Engine — oke-mcp against oci-sim (signed OCI API, clusters on kube-sim)');
  const sim = await startOciSim({ clusters: 2, workRequestStepMs: 300 });
  const dir = mkdtempSync(join(tmpdir(), 'cloudmcp-demo-'));
  const { configFile } = sim.writeConfig(dir, { auth: 'api_key', user: 'admin' });
  const compartment = (name) => sim.compartments.find((c) => c.name === name).id;
  const client = await connect(
    'apps/oke/dist/cli.js',
    {
      OCI_CONFIG_FILE: configFile,
      OCI_ENDPOINT: sim.url,
      OKE_COMPARTMENT_ID: compartment('production'),
      HOME: dir,
      CLOUDMCP_CLI_DIRS: join(root, '.bin-cache'),
    },
    ['--work-request-poll-ms', '200'],
  );
  try {
    await step(client, 'cluster_list', {});
    await step(client, 'cluster_list', { compartment: compartment('development') });
    await step(client, 'node_pool_list', { cluster: 'oke-prod' });
    const notReady = await step(client, 'pods_not_ready', { cluster: '*' });
    const pod = notReady.items?.[0];
    if (pod) {
      await step(client, 'event_list', {
        cluster: pod.cluster,
        namespace: pod.namespace,
        kind: 'Pod',
        name: pod.pod ?? pod.name,
      });
    }
    await step(client, 'node_pool_scale', { cluster: 'oke-prod', node_pool: 'pool1', size: 3 });
    await step(client, 'environment_get', {});
  } finally {
    await client.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
