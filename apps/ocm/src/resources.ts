import { KubeApiError, type KubeObject, kubeToolError, type ResourceType } from '@cloudmcp/kube';
import { ToolError } from '@cloudmcp/toolkit';

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

const CLUSTER_GROUP = 'cluster.open-cluster-management.io';

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
  placements: type(CLUSTER_GROUP, 'v1beta1', 'placements', 'Placement', true),
  placementDecisions: type(CLUSTER_GROUP, 'v1beta1', 'placementdecisions', 'PlacementDecision', true),
  managedClusterSetBindings: type(
    CLUSTER_GROUP,
    'v1beta2',
    'managedclustersetbindings',
    'ManagedClusterSetBinding',
    true,
  ),
  clusterManagementAddOns: type(
    'addon.open-cluster-management.io',
    'v1alpha1',
    'clustermanagementaddons',
    'ClusterManagementAddOn',
    false,
  ),
} satisfies Record<string, ResourceType>;

/** Why a hub lacks an API, for the kinds whose absence means something narrower than "no OCM". */
const MISSING_BECAUSE: Record<string, string> = {
  managedserviceaccounts: 'the managed-serviceaccount add-on is not installed on the hub',
};

/**
 * `the hub does not serve Kind (group/version): why` when the hub answered 404 for a whole API rather than
 * for one object (a missing object's 404 names it in `details`): a cluster that is no OCM hub, an older OCM,
 * or an add-on not installed. Undefined for any other error.
 */
export function notServed(error: unknown): string | undefined {
  if (!(error instanceof KubeApiError) || error.code !== 404 || error.status.details?.name) return undefined;
  const resource = error.request.resource ?? '';
  const type = Object.values(OCM_TYPES).find((t) => t.resource === resource);
  const why =
    MISSING_BECAUSE[resource] ??
    'it is not an Open Cluster Management hub, or its OCM is older than this server expects';
  const hub = error.request.described ?? 'the hub';
  return `${hub} does not serve ${type ? `${type.kind} (${type.apiVersion})` : resource}: ${why}`;
}

/**
 * A failure of a request to the hub as the OCM tools report it: an API the hub does not serve in OCM's words
 * (see notServed), anything else as every Kubernetes tool reports it.
 */
export function hubError(error: unknown, hints: { notFound?: string; next?: string } = {}): unknown {
  const missing = notServed(error);
  if (!missing || !(error instanceof KubeApiError)) return kubeToolError(error, hints);
  return new ToolError(`${missing[0]!.toUpperCase()}${missing.slice(1)}.`, {
    code: `${error.code} ${error.reason}`,
    upstreamMessage: error.message,
    next: NOT_A_HUB_NEXT,
  });
}

/** What to do when the hub refuses this server's identity (403) something OCM needs. */
export const HUB_ACCESS_NEXT =
  "Kubernetes' view and edit roles do not cover OCM's APIs: a hub admin grants this server's hub identity " +
  'the access the README lists (what the hub kubeconfig needs).';

/** What to do when the kubeconfig's context is not (or not quite) an OCM hub. */
export const NOT_A_HUB_NEXT =
  "Point the server at the hub, where OCM's cluster-manager runs (--kubeconfig / KUBECONFIG, --context), " +
  'with the add-ons this server needs (see the README).';

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
