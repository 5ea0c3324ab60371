/**
 * The hub's ManagedCluster controller (ocm pkg/registration/hub/managedcluster): RBAC for each cluster's agents,
 * and on `spec.hubAcceptsClient` the cluster namespace, the agents' RoleBindings, the lease, and
 * HubAcceptedManagedCluster; when the hub admin takes acceptance back, HubAcceptedManagedCluster=False.
 */
import type { ApiClient, K8sObject } from '../api-client.js';
import { Controller } from '../controller.js';
import { agentIdentity, REGISTRATION_ROLE, WORK_ROLE } from '../install.js';
import {
  AGENT_IDENTITY_NAMESPACE,
  CLUSTER_LEASE,
  CLUSTER_NAME_LABEL,
  COORDINATION_V1,
  findCondition,
  microTime,
  paths,
  rfc3339,
  sameJson,
  setCondition,
} from '../ocm.js';
import {
  clusterRole,
  clusterRoleBinding,
  ensure,
  ensureNamespace,
  ensureRbac,
  roleBinding,
  serviceAccount,
} from '../rbac.js';

const ACCEPTED = 'HubAcceptedManagedCluster';

/** What a cluster's registration agent may do with its own ManagedCluster (step 5 of the join process). */
function clusterRbac(name: string): K8sObject[] {
  const roleName = `open-cluster-management:managedcluster:${name}`;
  return [
    clusterRole(roleName, [
      {
        apiGroups: ['cluster.open-cluster-management.io'],
        resources: ['managedclusters'],
        resourceNames: [name],
        verbs: ['get', 'list', 'watch', 'update', 'patch'],
      },
      {
        apiGroups: ['cluster.open-cluster-management.io'],
        resources: ['managedclusters/status'],
        resourceNames: [name],
        verbs: ['patch', 'update'],
      },
    ]),
    clusterRoleBinding(roleName, roleName, [
      serviceAccount(AGENT_IDENTITY_NAMESPACE, agentIdentity(name, 'registration')),
    ]),
  ];
}

/** The agents' access to their cluster namespace (step 9, and the work agent's twin). */
function namespaceRbac(name: string): K8sObject[] {
  const prefix = `open-cluster-management:managedcluster:${name}`;
  return [
    roleBinding(name, `${prefix}:registration`, { kind: 'ClusterRole', name: REGISTRATION_ROLE }, [
      serviceAccount(AGENT_IDENTITY_NAMESPACE, agentIdentity(name, 'registration')),
    ]),
    roleBinding(name, `${prefix}:work`, { kind: 'ClusterRole', name: WORK_ROLE }, [
      serviceAccount(AGENT_IDENTITY_NAMESPACE, agentIdentity(name, 'work')),
    ]),
  ];
}

async function accept(client: ApiClient, mc: K8sObject): Promise<void> {
  const name = mc.metadata.name as string;
  await ensureNamespace(client, name, { [CLUSTER_NAME_LABEL]: name });
  await ensureRbac(client, namespaceRbac(name));
  await ensure(client, paths.leases(name), {
    apiVersion: COORDINATION_V1,
    kind: 'Lease',
    metadata: {
      name: CLUSTER_LEASE,
      namespace: name,
      labels: { 'open-cluster-management.io/cluster-name': name },
    },
    spec: { renewTime: microTime() },
  });
}

async function reconcileCluster(client: ApiClient, mc: K8sObject): Promise<void> {
  const name = mc.metadata.name as string;
  await ensureRbac(client, clusterRbac(name));
  const accepted = mc.spec?.hubAcceptsClient === true;
  const was = findCondition(mc, ACCEPTED);
  if (accepted) await accept(client, mc);
  else if (was?.status !== 'True') return; // never accepted: nothing to take back
  const conditions = setCondition(
    mc.status?.conditions,
    accepted
      ? {
          type: ACCEPTED,
          status: 'True',
          reason: 'HubClusterAdminAccepted',
          message: 'Accepted by hub cluster admin',
        }
      : {
          type: ACCEPTED,
          status: 'False',
          reason: 'HubClusterAdminDenied',
          message: 'Denied by hub cluster admin',
        },
    rfc3339(),
  );
  if (sameJson(conditions, mc.status?.conditions)) return;
  await client.replace(paths.managedClusters(name, 'status'), {
    ...mc,
    status: { ...mc.status, conditions },
  });
}

export function registrationController(client: ApiClient): Controller {
  return new Controller('hub/managedcluster', [client], async () => {
    for (const mc of await client.list(paths.managedClusters())) await reconcileCluster(client, mc);
  }).watch(client, paths.managedClusters());
}
