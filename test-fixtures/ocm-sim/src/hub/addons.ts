/**
 * The hub's add-on manager (addon-framework registration + agentdeploy controllers, ocm addon controllers) and
 * add-on discovery: for each ManagedClusterAddOn of a known ClusterManagementAddOn it grants the agent its hub
 * permissions, deploys the agent to the cluster through a ManifestWork `addon-<name>-deploy-0` (the work agent
 * applies it), and fills in the status; the cluster gets `feature.open-cluster-management.io/addon-<name>`.
 */

import { addonAgentDeployment, addonHubRules } from '../agents/addon-manifests.js';
import type { ApiClient, K8sObject } from '../api-client.js';
import { isNotFound } from '../api-client.js';
import { Controller } from '../controller.js';
import { agentIdentity } from '../install.js';
import {
  ADDON_NAMESPACE,
  ADDON_V1ALPHA1,
  AGENT_IDENTITY_NAMESPACE,
  findCondition,
  LABELS,
  paths,
  sameJson,
  setConditions,
  WORK_V1,
} from '../ocm.js';
import { ensureRbac, role, roleBinding, serviceAccount } from '../rbac.js';

const deployWorkName = (addon: string) => `addon-${addon}-deploy-0`;

function ownerRef(obj: K8sObject, apiVersion: string, kind: string, controller = false): K8sObject {
  return {
    apiVersion,
    kind,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    ...(controller ? { controller: true, blockOwnerDeletion: true } : {}),
  };
}

/** The agent's hub permissions in its cluster namespace, bound to its identity. */
async function grantHubAccess(client: ApiClient, cluster: string, addon: string): Promise<void> {
  const rules = addonHubRules(addon);
  if (rules.length === 0) return;
  const name = `open-cluster-management:${addon}:addon-agent`;
  await ensureRbac(client, [
    role(cluster, name, rules),
    roleBinding(cluster, name, { kind: 'Role', name }, [
      serviceAccount(AGENT_IDENTITY_NAMESPACE, agentIdentity(cluster, `addon-${addon}`)),
    ]),
  ]);
}

/** The deploy ManifestWork, owned by the ManagedClusterAddOn so it goes when the add-on is disabled. */
async function deploy(client: ApiClient, mca: K8sObject, installNamespace: string): Promise<K8sObject> {
  const cluster = mca.metadata.namespace as string;
  const addon = mca.metadata.name as string;
  const path = paths.manifestWorks(cluster, deployWorkName(addon));
  const existing = await client.find(path);
  if (existing) return existing;
  return client.create(paths.manifestWorks(cluster), {
    apiVersion: WORK_V1,
    kind: 'ManifestWork',
    metadata: {
      name: deployWorkName(addon),
      namespace: cluster,
      labels: { 'open-cluster-management.io/addon-name': addon },
      ownerReferences: [ownerRef(mca, ADDON_V1ALPHA1, 'ManagedClusterAddOn', true)],
    },
    spec: { workload: { manifests: addonAgentDeployment(addon, installNamespace) } },
  });
}

function addonStatus(mca: K8sObject, cma: K8sObject, installNamespace: string, work: K8sObject): K8sObject {
  const cluster = mca.metadata.namespace as string;
  const addon = mca.metadata.name as string;
  const applied = findCondition(work, 'Applied');
  return {
    ...mca.status,
    namespace: installNamespace,
    addOnMeta: {
      displayName: cma.spec?.addOnMeta?.displayName ?? addon,
      description: cma.spec?.addOnMeta?.description ?? addon,
    },
    healthCheck: { mode: 'Lease' },
    registrations: [
      {
        signerName: 'kubernetes.io/kube-apiserver-client',
        subject: {
          user: `system:open-cluster-management:cluster:${cluster}:addon:${addon}:agent:addon-agent`,
          groups: [
            `system:open-cluster-management:cluster:${cluster}:addon:${addon}`,
            `system:open-cluster-management:addon:${addon}`,
            'system:authenticated',
          ],
        },
      },
    ],
    relatedObjects: [
      { group: 'addon.open-cluster-management.io', resource: 'clustermanagementaddons', name: addon },
    ],
    conditions: setConditions(mca.status?.conditions, [
      {
        type: 'RegistrationApplied',
        status: 'True',
        reason: 'SetPermissionApplied',
        message: 'Registration of the addon agent is configured',
      },
      applied?.status === 'True'
        ? {
            type: 'ManifestApplied',
            status: 'True',
            reason: 'AddonManifestApplied',
            message: 'manifests of addon are applied successfully',
          }
        : {
            type: 'ManifestApplied',
            status: 'False',
            reason: 'ManifestWorkApplyFailed',
            message: `Work ${deployWorkName(addon)} is not applied yet`,
          },
      applied?.status === 'True'
        ? { type: 'Progressing', status: 'False', reason: 'Completed', message: 'completed with no errors.' }
        : {
            type: 'Progressing',
            status: 'True',
            reason: 'Progressing',
            message: 'progressing... work is not ready',
          },
    ]),
  };
}

async function reconcileAddon(client: ApiClient, mca: K8sObject): Promise<void> {
  if (mca.metadata.deletionTimestamp) return;
  const cluster = mca.metadata.namespace as string;
  const addon = mca.metadata.name as string;
  const cma = await client.find(paths.clusterManagementAddOns(addon));
  if (!cma || !(await client.find(paths.managedClusters(cluster)))) return;
  if (!(mca.metadata.ownerReferences ?? []).some((o: K8sObject) => o.uid === cma.metadata.uid)) {
    mca = await client.replace(paths.managedClusterAddOns(cluster, addon), {
      ...mca,
      metadata: {
        ...mca.metadata,
        ownerReferences: [ownerRef(cma, ADDON_V1ALPHA1, 'ClusterManagementAddOn')],
      },
    });
  }
  const installNamespace = mca.spec?.installNamespace || ADDON_NAMESPACE;
  await grantHubAccess(client, cluster, addon);
  const work = await deploy(client, mca, installNamespace);
  const status = addonStatus(mca, cma, installNamespace, work);
  if (sameJson(status, mca.status)) return;
  await client.replace(paths.managedClusterAddOns(cluster, addon, 'status'), { ...mca, status });
}

/** available | unhealthy | unreachable from the add-on's Available condition, as the discovery controller does. */
function featureValue(mca: K8sObject): string {
  const s = findCondition(mca, 'Available')?.status;
  return s === 'True' ? 'available' : s === 'False' ? 'unhealthy' : 'unreachable';
}

async function syncFeatureLabels(client: ApiClient, addons: K8sObject[]): Promise<void> {
  for (const mc of await client.list(paths.managedClusters())) {
    const name = mc.metadata.name as string;
    const labels: Record<string, string> = { ...(mc.metadata.labels ?? {}) };
    for (const key of Object.keys(labels)) if (key.startsWith(LABELS.addonFeature(''))) delete labels[key];
    for (const mca of addons.filter((a) => a.metadata.namespace === name && !a.metadata.deletionTimestamp)) {
      labels[LABELS.addonFeature(mca.metadata.name)] = featureValue(mca);
    }
    if (sameJson(labels, mc.metadata.labels ?? {})) continue;
    try {
      await client.replace(paths.managedClusters(name), { ...mc, metadata: { ...mc.metadata, labels } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

export function addonController(client: ApiClient): Controller {
  return new Controller('hub/addon-manager', [client], async () => {
    for (const mca of await client.list(paths.managedClusterAddOns())) await reconcileAddon(client, mca);
    await syncFeatureLabels(client, await client.list(paths.managedClusterAddOns()));
  })
    .watch(client, paths.managedClusterAddOns())
    .watch(client, paths.manifestWorks());
}
