import type { KubeObject, ResourceType } from '@cloudmcp/kube';

/** An API type known in advance, so no discovery round trip is needed to reach it. */
function type(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
): ResourceType {
  return {
    group,
    version,
    apiVersion: `${group}/${version}`,
    resource,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    verbs: [],
    shortNames: [],
    categories: [],
  };
}

/** The OCM kinds on the hub, at the versions the CRDs store (see the shared OCM notes). */
export const OCM_TYPES = {
  managedClusters: type(
    'cluster.open-cluster-management.io',
    'v1',
    'managedclusters',
    'ManagedCluster',
    false,
  ),
  managedClusterSets: type(
    'cluster.open-cluster-management.io',
    'v1beta2',
    'managedclustersets',
    'ManagedClusterSet',
    false,
  ),
  managedClusterAddOns: type(
    'addon.open-cluster-management.io',
    'v1alpha1',
    'managedclusteraddons',
    'ManagedClusterAddOn',
    true,
  ),
  managedServiceAccounts: type(
    'authentication.open-cluster-management.io',
    'v1beta1',
    'managedserviceaccounts',
    'ManagedServiceAccount',
    true,
  ),
  manifestWorks: type('work.open-cluster-management.io', 'v1', 'manifestworks', 'ManifestWork', true),
} satisfies Record<string, ResourceType>;

/** The add-on that projects service-account tokens from managed clusters onto the hub. */
export const MSA_ADDON = 'managed-serviceaccount';

const MANAGED_BY_KEY = 'app.kubernetes.io/managed-by';
const MANAGED_BY_VALUE = 'cloudmcp-ocm';

/** The label on every object this server applies to the hub, so an operator can find them. */
export const MANAGED_BY = { [MANAGED_BY_KEY]: MANAGED_BY_VALUE };
/** That label as `key=value`, for messages. */
export const MANAGED_BY_LABEL = `${MANAGED_BY_KEY}=${MANAGED_BY_VALUE}`;

/** Whether an object on the hub carries this server's label: this server (or one like it) made it. */
export function isOurs(object: KubeObject): boolean {
  return object.metadata?.labels?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE;
}

/** The label an OCM ManagedCluster carries its ManagedClusterSet in. */
export const CLUSTERSET_LABEL = 'cluster.open-cluster-management.io/clusterset';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

/** The condition of `type` in an object's `status.conditions`, if it has one. */
export function conditionOf(object: KubeObject | undefined, type: string): Condition | undefined {
  const conditions = (object?.['status'] as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((c): c is Condition => typeof c === 'object' && c !== null && c.type === type);
}

/** `reason: message` of a condition, for errors and tables (its status when it says nothing else). */
export function describeCondition(condition: Condition | undefined): string {
  if (!condition) return 'not reported yet';
  const words = [condition.reason, condition.message].filter((w) => w !== undefined && w !== '');
  return words.length ? words.join(': ') : `status ${condition.status}`;
}
