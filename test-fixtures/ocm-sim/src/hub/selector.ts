/** metav1.LabelSelector matching (matchLabels + matchExpressions), for labels and for cluster claims. */
import type { K8sObject } from '../api-client.js';

function expression(values: Record<string, string>, e: K8sObject): boolean {
  const has = Object.hasOwn(values, e.key);
  const list = (e.values ?? []) as string[];
  switch (e.operator) {
    case 'In':
      return has && list.includes(values[e.key]!);
    case 'NotIn':
      return !has || !list.includes(values[e.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** Whether `values` match a selector; an empty or missing selector matches everything. */
export function matchesSelector(values: Record<string, string>, selector: K8sObject | undefined): boolean {
  if (!selector) return true;
  const labelsOk = Object.entries((selector.matchLabels ?? {}) as Record<string, string>).every(
    ([k, v]) => values[k] === v,
  );
  return labelsOk && ((selector.matchExpressions ?? []) as K8sObject[]).every((e) => expression(values, e));
}

/** A ManagedCluster's claims as a map, for claimSelector. */
export function claimsOf(mc: K8sObject): Record<string, string> {
  return Object.fromEntries(
    ((mc.status?.clusterClaims ?? []) as K8sObject[]).map((c) => [c.name as string, String(c.value ?? '')]),
  );
}

/** The clusters a ManagedClusterSet holds (ExclusiveClusterSetLabel by default, or LabelSelector). */
export function setMembers(set: K8sObject, clusters: K8sObject[]): K8sObject[] {
  const sel = set.spec?.clusterSelector ?? {};
  if (sel.selectorType === 'LabelSelector') {
    return clusters.filter((c) => matchesSelector(c.metadata.labels ?? {}, sel.labelSelector ?? {}));
  }
  const name = set.metadata.name as string;
  return clusters.filter(
    (c) => c.metadata.labels?.['cluster.open-cluster-management.io/clusterset'] === name,
  );
}
