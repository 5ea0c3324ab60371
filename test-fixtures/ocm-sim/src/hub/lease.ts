/**
 * The hub's lease and clock-sync controllers (ocm pkg/registration/hub/lease): a cluster whose registration
 * agent stopped renewing its Lease for 5 lease durations becomes Available=Unknown; a fresh lease means its
 * clock is in sync. And the taint controller: Unknown → `unreachable`, False → `unavailable` (NoSelect).
 */

import { LEASE_DURATION_TIMES } from '../agents/registration.js';
import type { ApiClient, K8sObject } from '../api-client.js';
import { resourcePath } from '../api-client.js';
import { Controller } from '../controller.js';
import {
  CLUSTER_LEASE,
  CLUSTER_NAME_LABEL,
  COORDINATION_V1,
  findCondition,
  paths,
  rfc3339,
  sameJson,
  setConditions,
  TAINTS,
} from '../ocm.js';

const ALL_LEASES = resourcePath(COORDINATION_V1, 'leases');

/** OCM's default spec.leaseDurationSeconds. */
const DEFAULT_LEASE_SECONDS = 60;

async function checkLease(client: ApiClient, mc: K8sObject, leases: K8sObject[]): Promise<void> {
  const name = mc.metadata.name as string;
  if (findCondition(mc, 'HubAcceptedManagedCluster')?.status !== 'True') return;
  const lease = leases.find((l) => l.metadata.namespace === name && l.metadata.name === CLUSTER_LEASE);
  if (!lease) return;
  const graceMs = LEASE_DURATION_TIMES * (mc.spec?.leaseDurationSeconds || DEFAULT_LEASE_SECONDS) * 1000;
  const fresh = Date.now() < Date.parse(lease.spec?.renewTime ?? '') + graceMs;
  const conditions = setConditions(
    mc.status?.conditions,
    fresh
      ? [
          {
            type: 'ManagedClusterConditionClockSynced',
            status: 'True',
            reason: 'ManagedClusterClockSynced',
            message: 'The clock of the managed cluster is synced with the hub.',
          },
        ]
      : [
          {
            type: 'ManagedClusterConditionAvailable',
            status: 'Unknown',
            reason: 'ManagedClusterLeaseUpdateStopped',
            message: 'Registration agent stopped updating its lease.',
          },
        ],
  );
  if (sameJson(conditions, mc.status?.conditions)) return;
  await client.replace(paths.managedClusters(name, 'status'), {
    ...mc,
    status: { ...mc.status, conditions },
  });
}

/** The NoSelect taint an Available condition calls for (none when True). */
function wantedTaint(mc: K8sObject): string | undefined {
  const available = findCondition(mc, 'ManagedClusterConditionAvailable')?.status;
  if (available === 'Unknown') return TAINTS.unreachable;
  if (available === 'False') return TAINTS.unavailable;
  return undefined;
}

async function syncTaints(client: ApiClient, mc: K8sObject): Promise<void> {
  const wanted = wantedTaint(mc);
  const ours = new Set(Object.values(TAINTS));
  const taints = ((mc.spec?.taints ?? []) as K8sObject[]).filter((t) => !ours.has(t.key) || t.key === wanted);
  if (wanted && !taints.some((t) => t.key === wanted)) {
    taints.push({ key: wanted, effect: 'NoSelect', timeAdded: rfc3339() });
  }
  if (sameJson(taints, mc.spec?.taints ?? [])) return;
  await client.replace(paths.managedClusters(mc.metadata.name), { ...mc, spec: { ...mc.spec, taints } });
}

export function leaseController(client: ApiClient, resyncMs: number): Controller {
  return new Controller(
    'hub/lease',
    [client],
    async () => {
      // one list of every cluster's lease (the hub labels them with the cluster name)
      const leases = await client.list(ALL_LEASES, CLUSTER_NAME_LABEL);
      for (const mc of await client.list(paths.managedClusters())) await checkLease(client, mc, leases);
      for (const mc of await client.list(paths.managedClusters())) await syncTaints(client, mc);
    },
    { resyncMs },
  ).watch(client, paths.managedClusters());
}
