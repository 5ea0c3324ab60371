import {
  closeNames,
  KubeApiError,
  type KubeClient,
  type KubeObject,
  type ResourceType,
} from '@cloudmcp/kube';
import { badInput, type ToolContext, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { HUB, type OcmDeps } from '../../deps.js';
import { CLUSTERSET_LABEL, type Condition, notServed, OCM_TYPES } from '../../resources.js';

export type Ctx = ToolContext<OcmDeps>;

/** The OCM kinds the fleet tools read and write on the hub (no discovery needed). */
export const OCM = {
  managedClusters: OCM_TYPES.managedClusters,
  manifestWorks: OCM_TYPES.manifestWorks,
  clusterSets: OCM_TYPES.managedClusterSets,
  clusterAddOns: OCM_TYPES.managedClusterAddOns,
  placements: OCM_TYPES.placements,
  placementDecisions: OCM_TYPES.placementDecisions,
  clusterSetBindings: OCM_TYPES.managedClusterSetBindings,
  clusterManagementAddOns: OCM_TYPES.clusterManagementAddOns,
} satisfies Record<string, ResourceType>;

/** Label a PlacementDecision carries naming its Placement; consumers list decisions by it. */
export const PLACEMENT_LABEL = 'cluster.open-cluster-management.io/placement';

export { CLUSTERSET_LABEL, type Condition };

export function conditionsOf(object: KubeObject | undefined): Condition[] {
  const status = object?.['status'] as { conditions?: unknown } | undefined;
  return Array.isArray(status?.conditions) ? (status.conditions as Condition[]) : [];
}

export function findCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** A condition's status as a column shows it: True, False, Unknown, or empty when it is not reported yet. */
export function conditionStatus(conditions: Condition[] | undefined, type: string): string {
  return findCondition(conditions, type)?.status ?? '';
}

export const conditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

/** A condition for the output: type, status, and reason and message when set. */
export function conditionOut(c: Condition): z.input<typeof conditionSchema> {
  return {
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
  };
}

export const clusterIn = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a ManagedCluster name (a DNS label)')
  .describe('Managed cluster name');

/** The hub's client. */
export function hubClient(ctx: Ctx): Promise<KubeClient> {
  return ctx.deps.kube.client(HUB, { signal: ctx.signal });
}

/**
 * Fails with `cluster` named as bad input when no ManagedCluster has that name (with close names), so a
 * typo does not look like an empty cluster.
 */
export async function assertCluster(client: KubeClient, cluster: string, signal: AbortSignal): Promise<void> {
  try {
    await client.get(OCM.managedClusters, cluster, { signal });
  } catch (error) {
    if (!(error instanceof KubeApiError) || error.code !== 404 || notServed(error)) throw error;
    const names = (await client.listAll(OCM.managedClusters, { signal, max: 5000 })).items
      .map((c) => c.metadata?.name ?? '')
      .filter(Boolean);
    const close = closeNames(cluster, names, 3);
    throw badInput(
      'cluster',
      `no managed cluster named "${cluster}"`,
      close.length
        ? `Did you mean ${close.map((c) => `"${c}"`).join(', ')}?`
        : `Managed clusters: ${names.slice(0, 20).join(', ') || 'none'}.`,
    );
  }
}

/** The refusal of a fleet tool asked to change the ManifestWork that holds this server's own access. */
export function ownAccessWork(cluster: string, name: string): ToolError {
  return new ToolError(
    `ManifestWork ${cluster}/${name} is this server's own access to the cluster (connect_cluster made it); ` +
      'the fleet tools leave it alone.',
    {
      next: 'Change its role with connect_cluster (cluster_role), or remove it with disconnect_cluster; for your own manifests pick another name.',
    },
  );
}

/** `group/version` → group (`''` for the core group). */
export function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : (apiVersion ?? '').slice(0, slash);
}
