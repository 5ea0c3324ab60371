/**
 * What the cluster-manager and klusterlet operators (and `clusteradm join`/`accept`/`addon enable`) set up,
 * done once through the API with each cluster's admin token. Everything after this is the agents' and hub
 * controllers' own doing, under their own identities.
 */
import type { ApiClient, K8sObject } from './api-client.js';
import { installCrds } from './crds.js';
import {
  ADDON_V1ALPHA1,
  AGENT_IDENTITY_NAMESPACE,
  AGENT_NAMESPACE,
  CLUSTER_V1,
  CLUSTER_V1ALPHA1,
  CLUSTER_V1BETA2,
  HUB_NAMESPACE,
  LABELS,
  MSA_ADDON,
  paths,
} from './ocm.js';
import type { ManagedClusterSpec, SimSettings } from './options.js';
import {
  clusterRole,
  clusterRoleBinding,
  ensure,
  ensureNamespace,
  ensureRbac,
  mintToken,
  serviceAccount,
} from './rbac.js';

/** Agents' credentials last a year; nothing in the sim rotates them. */
const AGENT_TOKEN_SECONDS = 365 * 24 * 3600;

export const HUB_CONTROLLERS = [
  'registration-controller-sa',
  'placement-controller-sa',
  'addon-manager-controller-sa',
] as const;
export type HubControllerIdentity = (typeof HUB_CONTROLLERS)[number];

/** The hub identity of one agent of one managed cluster (a ServiceAccount in `ocm-sim-agents`). */
export const agentIdentity = (cluster: string, agent: string) => `${cluster}-${agent}`;

export const REGISTRATION_ROLE = 'open-cluster-management:managedcluster:registration';
export const WORK_ROLE = 'open-cluster-management:managedcluster:work';

/** The hub: CRDs, the controllers' identities, the agents' shared roles, the add-on and the cluster sets. */
export async function installHub(
  admin: ApiClient,
  crds: K8sObject[],
  settings: SimSettings,
): Promise<Record<HubControllerIdentity, string>> {
  await installCrds(admin, crds);
  await ensureNamespace(admin, HUB_NAMESPACE);
  await ensureNamespace(admin, AGENT_IDENTITY_NAMESPACE);
  // The real controllers get cluster-manager's ClusterRoles; in the sim they may do anything on the hub.
  await ensureRbac(admin, [
    clusterRoleBinding(
      'open-cluster-management:ocm-sim:hub-controllers',
      'cluster-admin',
      HUB_CONTROLLERS.map((sa) => serviceAccount(HUB_NAMESPACE, sa)),
    ),
    clusterRole(REGISTRATION_ROLE, [
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'list', 'watch', 'update'],
      },
      {
        apiGroups: ['addon.open-cluster-management.io'],
        resources: ['managedclusteraddons'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['addon.open-cluster-management.io'],
        resources: ['managedclusteraddons/status'],
        verbs: ['patch', 'update'],
      },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ]),
    clusterRole(WORK_ROLE, [
      {
        apiGroups: ['work.open-cluster-management.io'],
        resources: ['manifestworks'],
        verbs: ['get', 'list', 'watch', 'update', 'patch'],
      },
      {
        apiGroups: ['work.open-cluster-management.io'],
        resources: ['manifestworks/status'],
        verbs: ['patch', 'update'],
      },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ]),
  ]);
  const addons = new Set([MSA_ADDON, ...settings.managed.flatMap((m) => m.addons)]);
  for (const addon of addons) {
    await ensure(admin, paths.clusterManagementAddOns(), {
      apiVersion: ADDON_V1ALPHA1,
      kind: 'ClusterManagementAddOn',
      metadata: { name: addon },
      spec: {
        addOnMeta: { displayName: addon, description: addon },
        installStrategy: { type: 'Manual' },
      },
    });
  }
  const sets = new Set(['default', ...settings.clusterSets, ...settings.managed.map((m) => m.clusterSet)]);
  for (const set of sets) {
    await ensure(admin, paths.clusterSets(), {
      apiVersion: CLUSTER_V1BETA2,
      kind: 'ManagedClusterSet',
      metadata: { name: set },
      spec: { clusterSelector: { selectorType: 'ExclusiveClusterSetLabel' } },
    });
  }
  const tokens = {} as Record<HubControllerIdentity, string>;
  for (const sa of HUB_CONTROLLERS)
    tokens[sa] = await mintToken(admin, HUB_NAMESPACE, sa, AGENT_TOKEN_SECONDS);
  return tokens;
}

export interface KlusterletTokens {
  /** On the hub. */
  hub: { registration: string; work: string };
  /** On the managed cluster. */
  managed: { registration: string; work: string };
}

/**
 * A managed cluster joins: the klusterlet's CRDs, namespace, service accounts and roles on it, its ClusterClaims,
 * the agents' hub identities, and the ManagedCluster it registers (`clusteradm join`; `accept` when the spec
 * says so).
 */
export async function installKlusterlet(
  hubAdmin: ApiClient,
  managedAdmin: ApiClient,
  crds: K8sObject[],
  spec: ManagedClusterSpec,
  managed: { url: string; caPem: string },
  settings: SimSettings,
): Promise<KlusterletTokens> {
  await installCrds(managedAdmin, crds);
  await ensureNamespace(managedAdmin, AGENT_NAMESPACE);
  const registrationSa = serviceAccount(AGENT_NAMESPACE, 'klusterlet-registration-sa');
  const workSa = serviceAccount(AGENT_NAMESPACE, 'klusterlet-work-sa');
  await ensureRbac(managedAdmin, [
    clusterRole('open-cluster-management:klusterlet-registration:agent', [
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: ['cluster.open-cluster-management.io'],
        resources: ['clusterclaims'],
        verbs: ['get', 'list', 'watch'],
      },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch'] },
    ]),
    clusterRoleBinding(
      'open-cluster-management:klusterlet-registration:agent',
      'open-cluster-management:klusterlet-registration:agent',
      [registrationSa],
    ),
    // Real: the execution role (admin aggregated, plus bind/escalate on RBAC); the sim grants cluster-admin.
    clusterRoleBinding('open-cluster-management:klusterlet-work:execution', 'cluster-admin', [workSa]),
  ]);
  const version = (await managedAdmin.get('/version')).gitVersion as string;
  for (const [name, value] of Object.entries(clusterClaims(spec, version))) {
    await ensure(managedAdmin, paths.clusterClaims(), {
      apiVersion: CLUSTER_V1ALPHA1,
      kind: 'ClusterClaim',
      metadata: { name, labels: { 'open-cluster-management.io/hub-managed': '' } },
      spec: { value },
    });
  }

  await ensure(hubAdmin, paths.managedClusters(), managedCluster(spec, managed, settings));
  const mint = (client: ApiClient, ns: string, sa: string) => mintToken(client, ns, sa, AGENT_TOKEN_SECONDS);
  return {
    hub: {
      registration: await mint(hubAdmin, AGENT_IDENTITY_NAMESPACE, agentIdentity(spec.name, 'registration')),
      work: await mint(hubAdmin, AGENT_IDENTITY_NAMESPACE, agentIdentity(spec.name, 'work')),
    },
    managed: {
      registration: await mint(managedAdmin, AGENT_NAMESPACE, registrationSa.name),
      work: await mint(managedAdmin, AGENT_NAMESPACE, workSa.name),
    },
  };
}

/**
 * The reserved claims (api cluster/v1alpha1 ReservedClusterClaimNames) as the platform reports them, then the
 * spec's own (which may override them).
 */
function clusterClaims(spec: ManagedClusterSpec, kubeVersion: string): Record<string, string> {
  const openshift = spec.prometheus === 'route';
  return {
    'id.k8s.io': spec.name,
    'kubeversion.open-cluster-management.io': kubeVersion,
    'platform.open-cluster-management.io': 'Other',
    'product.open-cluster-management.io': openshift ? 'OpenShift' : 'Other',
    ...spec.claims,
  };
}

function managedCluster(
  spec: ManagedClusterSpec,
  managed: { url: string; caPem: string },
  s: SimSettings,
): K8sObject {
  return {
    apiVersion: CLUSTER_V1,
    kind: 'ManagedCluster',
    metadata: {
      name: spec.name,
      labels: { ...spec.labels, name: spec.name, [LABELS.clusterSet]: spec.clusterSet },
    },
    spec: {
      hubAcceptsClient: spec.accepted,
      leaseDurationSeconds: s.leaseDurationSeconds,
      managedClusterClientConfigs: [
        { url: managed.url, caBundle: Buffer.from(managed.caPem).toString('base64') },
      ],
    },
  };
}

/** `clusteradm addon enable`: a ManagedClusterAddOn per add-on in the (accepted) cluster's hub namespace. */
export async function enableAddons(hubAdmin: ApiClient, spec: ManagedClusterSpec): Promise<void> {
  for (const addon of spec.addons) {
    await ensure(hubAdmin, paths.managedClusterAddOns(spec.name), {
      apiVersion: ADDON_V1ALPHA1,
      kind: 'ManagedClusterAddOn',
      metadata: { name: addon, namespace: spec.name },
      spec: {},
    });
  }
}
