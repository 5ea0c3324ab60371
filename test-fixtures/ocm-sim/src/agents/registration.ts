/**
 * The klusterlet's registration agent for one managed cluster (ocm pkg/registration/spoke): once the hub has
 * accepted the cluster it reports Joined, Available (its kube-apiserver's /livez), version, capacity and claims,
 * renews the cluster Lease in its hub namespace every `leaseDurationSeconds`, and turns each add-on's Lease on
 * the managed cluster into that ManagedClusterAddOn's Available condition.
 */
import type { ApiClient, K8sObject } from '../api-client.js';
import { isNotFound } from '../api-client.js';
import { Controller } from '../controller.js';
import {
  ADDON_NAMESPACE,
  CLUSTER_LEASE,
  type Condition,
  findCondition,
  paths,
  sameJson,
  setConditions,
} from '../ocm.js';
import { readClusterFacts } from './cluster-facts.js';
import type { Agent } from './klusterlet.js';
import { LeaseRenewer } from './lease.js';

/** A lease older than this many lease durations means its holder stopped (OCM's LeaseDurationTimes). */
export const LEASE_DURATION_TIMES = 5;

export interface AgentIdentity {
  /** With the agent's own hub credentials. */
  hub: ApiClient;
  /** With the agent's own credentials on its managed cluster. */
  managed: ApiClient;
}

async function availableCondition(managed: ApiClient): Promise<Condition> {
  const livez = await managed.probe('/livez');
  return livez === 200
    ? {
        type: 'ManagedClusterConditionAvailable',
        status: 'True',
        reason: 'ManagedClusterAvailable',
        message: 'Managed cluster is available',
      }
    : {
        type: 'ManagedClusterConditionAvailable',
        status: 'False',
        reason: 'ManagedClusterKubeAPIServerUnavailable',
        message: `The kube-apiserver is not ok, status code: ${livez}`,
      };
}

/** Whether an add-on's agent keeps renewing its lease (addon-framework's lease health check). */
function addonAvailable(addon: string, lease: K8sObject | undefined, graceMs: number): Condition {
  if (!lease) {
    return {
      type: 'Available',
      status: 'Unknown',
      reason: 'ManagedClusterAddOnLeaseNotFound',
      message: `The status of ${addon} add-on is unknown.`,
    };
  }
  const renewed = Date.parse(lease.spec?.renewTime ?? '');
  return Date.now() < renewed + graceMs
    ? {
        type: 'Available',
        status: 'True',
        reason: 'ManagedClusterAddOnLeaseUpdated',
        message: `${addon} add-on is available.`,
      }
    : {
        type: 'Available',
        status: 'False',
        reason: 'ManagedClusterAddOnLeaseUpdateStopped',
        message: `${addon} add-on is not available.`,
      };
}

export class RegistrationAgent implements Agent {
  readonly controller: Controller;
  readonly controllers: Controller[];
  private readonly lease: LeaseRenewer;

  /** `leaseClient` renews the lease; separate so its steady writes do not count as the controller's. */
  constructor(
    private readonly cluster: string,
    private readonly id: AgentIdentity,
    leaseClient: ApiClient,
    private readonly leaseDurationSeconds: number,
  ) {
    this.lease = new LeaseRenewer(leaseClient, cluster, CLUSTER_LEASE, leaseDurationSeconds, false);
    this.controller = new Controller(
      `registration-agent/${cluster}`,
      [id.hub, id.managed],
      () => this.reconcile(),
      // add-on leases are looked at again within a grace period
      { resyncMs: LEASE_DURATION_TIMES * leaseDurationSeconds * 1000 },
    )
      .watch(id.hub, paths.managedClusters(cluster))
      .watch(id.hub, paths.managedClusterAddOns(cluster))
      .watch(id.managed, paths.clusterClaims());
    this.controllers = [this.controller];
  }

  start(): void {
    this.controller.start();
    this.lease.start();
  }

  pause(): void {
    this.controller.pause();
    this.lease.stop();
  }

  resume(): void {
    this.lease.start();
    this.controller.resume();
  }

  stop(): void {
    this.controller.stop();
    this.lease.stop();
  }

  private async reconcile(): Promise<void> {
    let mc: K8sObject;
    try {
      mc = await this.id.hub.get(paths.managedClusters(this.cluster));
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (findCondition(mc, 'HubAcceptedManagedCluster')?.status !== 'True') return;
    await this.reportClusterStatus(mc);
    await this.reportAddonHealth();
  }

  private async reportClusterStatus(mc: K8sObject): Promise<void> {
    const facts = await readClusterFacts(this.id.managed);
    const conditions = setConditions(mc.status?.conditions, [
      {
        type: 'ManagedClusterJoined',
        status: 'True',
        reason: 'ManagedClusterJoined',
        message: 'Managed cluster joined',
      },
      await availableCondition(this.id.managed),
    ]);
    const status = { ...mc.status, ...facts, conditions };
    if (sameJson(status, mc.status)) return;
    await this.id.hub.replace(paths.managedClusters(this.cluster, 'status'), { ...mc, status });
  }

  private async reportAddonHealth(): Promise<void> {
    const graceMs = LEASE_DURATION_TIMES * this.leaseDurationSeconds * 1000;
    for (const mca of await this.id.hub.list(paths.managedClusterAddOns(this.cluster))) {
      const mode = mca.status?.healthCheck?.mode ?? 'Lease';
      if (mode !== 'Lease' || !mca.status?.namespace) continue;
      const addon = mca.metadata.name as string;
      const lease = await this.id.managed.find(paths.leases(mca.status.namespace ?? ADDON_NAMESPACE, addon));
      const conditions = setConditions(mca.status.conditions, [addonAvailable(addon, lease, graceMs)]);
      if (sameJson(conditions, mca.status.conditions)) continue;
      await this.id.hub.replace(paths.managedClusterAddOns(this.cluster, addon, 'status'), {
        ...mca,
        status: { ...mca.status, conditions },
      });
    }
  }
}
