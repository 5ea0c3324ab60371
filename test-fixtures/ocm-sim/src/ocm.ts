/** OCM's API paths, names and condition helpers (strings as in shared/upstream/ocm/NOTES.md). */
import type { K8sObject } from './api-client.js';
import { resourcePath } from './api-client.js';

export const CLUSTER_V1 = 'cluster.open-cluster-management.io/v1';
export const CLUSTER_V1BETA1 = 'cluster.open-cluster-management.io/v1beta1';
export const CLUSTER_V1BETA2 = 'cluster.open-cluster-management.io/v1beta2';
export const CLUSTER_V1ALPHA1 = 'cluster.open-cluster-management.io/v1alpha1';
export const WORK_V1 = 'work.open-cluster-management.io/v1';
export const ADDON_V1ALPHA1 = 'addon.open-cluster-management.io/v1alpha1';
export const MSA_V1BETA1 = 'authentication.open-cluster-management.io/v1beta1';
export const COORDINATION_V1 = 'coordination.k8s.io/v1';
export const RBAC_V1 = 'rbac.authorization.k8s.io/v1';

export const paths = {
  managedClusters: (name?: string, sub?: string) =>
    resourcePath(CLUSTER_V1, 'managedclusters', undefined, name, sub),
  clusterSets: (name?: string, sub?: string) =>
    resourcePath(CLUSTER_V1BETA2, 'managedclustersets', undefined, name, sub),
  clusterSetBindings: (ns?: string, name?: string, sub?: string) =>
    resourcePath(CLUSTER_V1BETA2, 'managedclustersetbindings', ns, name, sub),
  placements: (ns?: string, name?: string, sub?: string) =>
    resourcePath(CLUSTER_V1BETA1, 'placements', ns, name, sub),
  placementDecisions: (ns?: string, name?: string, sub?: string) =>
    resourcePath(CLUSTER_V1BETA1, 'placementdecisions', ns, name, sub),
  clusterClaims: (name?: string) => resourcePath(CLUSTER_V1ALPHA1, 'clusterclaims', undefined, name),
  manifestWorks: (ns?: string, name?: string, sub?: string) =>
    resourcePath(WORK_V1, 'manifestworks', ns, name, sub),
  appliedManifestWorks: (name?: string, sub?: string) =>
    resourcePath(WORK_V1, 'appliedmanifestworks', undefined, name, sub),
  clusterManagementAddOns: (name?: string) =>
    resourcePath(ADDON_V1ALPHA1, 'clustermanagementaddons', undefined, name),
  managedClusterAddOns: (ns?: string, name?: string, sub?: string) =>
    resourcePath(ADDON_V1ALPHA1, 'managedclusteraddons', ns, name, sub),
  managedServiceAccounts: (ns?: string, name?: string, sub?: string) =>
    resourcePath(MSA_V1BETA1, 'managedserviceaccounts', ns, name, sub),
  leases: (ns: string, name?: string) => resourcePath(COORDINATION_V1, 'leases', ns, name),
  namespaces: (name?: string) => resourcePath('v1', 'namespaces', undefined, name),
  serviceAccounts: (ns: string, name?: string, sub?: string) =>
    resourcePath('v1', 'serviceaccounts', ns, name, sub),
  secrets: (ns: string, name?: string) => resourcePath('v1', 'secrets', ns, name),
  nodes: () => resourcePath('v1', 'nodes'),
};

export const LABELS = {
  clusterSet: 'cluster.open-cluster-management.io/clusterset',
  placement: 'cluster.open-cluster-management.io/placement',
  decisionGroupIndex: 'cluster.open-cluster-management.io/decision-group-index',
  decisionGroupName: 'cluster.open-cluster-management.io/decision-group-name',
  addonFeature: (addon: string) => `feature.open-cluster-management.io/addon-${addon}`,
  managedServiceAccount: 'authentication.open-cluster-management.io/is-managed-serviceaccount',
};

export const TAINTS = {
  unreachable: 'cluster.open-cluster-management.io/unreachable',
  unavailable: 'cluster.open-cluster-management.io/unavailable',
};

/** Where add-on agents run on a managed cluster (ManagedClusterAddOn `status.namespace`). */
export const ADDON_NAMESPACE = 'open-cluster-management-agent-addon';
/** Where the klusterlet's agents run on a managed cluster. */
export const AGENT_NAMESPACE = 'open-cluster-management-agent';
/** The hub namespace of the cluster-manager's controllers. */
export const HUB_NAMESPACE = 'open-cluster-management-hub';
/** The hub namespace holding each agent's hub identity (real agents get client certificates through CSRs). */
export const AGENT_IDENTITY_NAMESPACE = 'ocm-sim-agents';
export const MSA_ADDON = 'managed-serviceaccount';
export const CLUSTER_LEASE = 'managed-cluster-lease';
/** The label the hub puts on a cluster's namespace and lease. */
export const CLUSTER_NAME_LABEL = 'open-cluster-management.io/cluster-name';
export const WORK_FINALIZER = 'cluster.open-cluster-management.io/manifest-work-cleanup';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
}

export const rfc3339 = (d = new Date()): string => `${d.toISOString().slice(0, 19)}Z`;
/** A Lease's MicroTime. */
export const microTime = (d = new Date()): string => d.toISOString().replace('Z', '000Z');

/**
 * `conditions` with `c` set (meta.SetStatusCondition): lastTransitionTime changes only when the status does.
 */
export function setCondition(
  conditions: K8sObject[] | undefined,
  c: Condition,
  now = rfc3339(),
): K8sObject[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next = {
    type: c.type,
    status: c.status,
    ...(c.observedGeneration !== undefined ? { observedGeneration: c.observedGeneration } : {}),
    lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now,
    reason: c.reason,
    message: c.message,
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export function setConditions(conditions: K8sObject[] | undefined, cs: Condition[]): K8sObject[] {
  const now = rfc3339();
  return cs.reduce((list, c) => setCondition(list, c, now), conditions ?? []);
}

export const findCondition = (obj: K8sObject | undefined, type: string): K8sObject | undefined =>
  (obj?.status?.conditions as K8sObject[] | undefined)?.find((c) => c.type === type);

/** Deep equality of JSON values (object key order ignored), to skip writes that would change nothing. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as K8sObject)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as K8sObject)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as K8sObject)[k], (b as K8sObject)[k]));
}
