import { simulated } from '../sims.mjs';
import { connect, step } from './session.mjs';

export const title =
  'Open Cluster Management — ocm-mcp against ocm-sim (a hub and three managed clusters on kube-sim)';

/**
 * A fleet through its hub: the managed clusters, a least-privilege connection to one, what is not ready
 * across the connected clusters, a kubectl command there, the ManifestWork that granted it, a Prometheus
 * question, and the disconnect that takes the access away again.
 */
export async function ocmScene() {
  const { env, args, close } = await simulated.ocm({ managed: 3 });
  const client = await connect('apps/ocm/dist/cli.js', env, args);
  try {
    await step(client, 'clusters', {});
    await step(client, 'connect_cluster', { cluster: 'cluster1' });
    await step(client, 'pods_not_ready', { cluster: '*' });
    await step(client, 'kubectl', { command: 'get deployments -n team-a', cluster: 'cluster1' });
    await step(client, 'manifestwork_list', { cluster: 'cluster1' });
    await step(client, 'prometheus', {
      cluster: 'cluster1',
      ql: 'sum(container_memory_working_set_bytes{namespace!=""}) by (namespace)',
      group_by: 'namespace',
    });
    await step(client, 'disconnect_cluster', { cluster: 'cluster1' });
  } finally {
    await client.close();
    await close();
  }
}
