import { simulated } from '../sims.mjs';
import { connect, rowsOf, step } from './session.mjs';

export const title =
  'Oracle Kubernetes Engine — oke-mcp against oci-sim (signed OCI API, clusters on kube-sim)';

/** Clusters of two compartments, what is not ready in all of them, its events, a node pool scaled up. */
export async function okeScene() {
  const { env, args, compartment, close } = await simulated.oke({ clusters: 2, workRequestStepMs: 300 });
  const client = await connect('apps/oke/dist/cli.js', env, args);
  try {
    await step(client, 'cluster_list', {});
    await step(client, 'cluster_list', { compartment: compartment('development') });
    await step(client, 'node_pool_list', { cluster: 'oke-prod' });
    const notReady = await step(client, 'pods_not_ready', { cluster: '*' });
    const [pod] = rowsOf(notReady);
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
    await close();
  }
}
