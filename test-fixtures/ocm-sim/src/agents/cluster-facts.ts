/** What the registration agent reads on its managed cluster for the ManagedCluster's status. */
import type { ApiClient, K8sObject } from '../api-client.js';
import { paths } from '../ocm.js';
import { sumResources } from '../quantity.js';

/** api cluster/v1alpha1 ReservedClusterClaimNames, reported first and in this order. */
const RESERVED_CLAIMS = [
  'id.k8s.io',
  'kubeversion.open-cluster-management.io',
  'platform.open-cluster-management.io',
  'product.open-cluster-management.io',
];
/** The agent's default --max-custom-cluster-claims. */
const MAX_CUSTOM_CLAIMS = 20;
const RESOURCES = ['cpu', 'ephemeral-storage', 'memory', 'pods'];

export interface ClusterFacts {
  version: { kubernetes: string };
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  clusterClaims: { name: string; value: string }[];
}

export async function readClusterFacts(managed: ApiClient): Promise<ClusterFacts> {
  const [version, nodes, claims] = await Promise.all([
    managed.get('/version'),
    managed.list(paths.nodes()),
    managed.list(paths.clusterClaims()),
  ]);
  const byName = new Map(
    claims.map((c: K8sObject) => [c.metadata.name as string, String(c.spec?.value ?? '')]),
  );
  const reserved = RESERVED_CLAIMS.filter((n) => byName.has(n));
  const custom = [...byName.keys()]
    .filter((n) => !RESERVED_CLAIMS.includes(n))
    .sort()
    .slice(0, MAX_CUSTOM_CLAIMS);
  return {
    version: { kubernetes: version.gitVersion },
    capacity: sumResources(
      nodes.map((n) => n.status?.capacity ?? {}),
      RESOURCES,
    ),
    allocatable: sumResources(
      nodes.map((n) => n.status?.allocatable ?? {}),
      RESOURCES,
    ),
    clusterClaims: [...reserved, ...custom].map((name) => ({ name, value: byName.get(name)! })),
  };
}
