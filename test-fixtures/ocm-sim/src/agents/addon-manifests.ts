/**
 * What an add-on agent is given: its permissions on the hub (in its cluster namespace) and the manifests that
 * deploy it on the managed cluster (namespace, service account, role, deployment), as an add-on's
 * registration and agent templates describe them.
 */
import type { K8sObject } from '../api-client.js';
import { MSA_ADDON, RBAC_V1 } from '../ocm.js';
import type { Rule } from '../rbac.js';

/** The label on an add-on agent's Deployment that the sim's kubelet stand-in looks for. */
export const ADDON_NAME_LABEL = 'open-cluster-management.io/addon-name';

export const addonAgentName = (addon: string) => `${addon}-addon-agent`;

const LEASE_RULES: Rule = {
  apiGroups: ['coordination.k8s.io'],
  resources: ['leases'],
  verbs: ['get', 'list', 'watch', 'create', 'update'],
};

/** The managed-serviceaccount agent reads ManagedServiceAccounts and writes their Secrets and status. */
export function addonHubRules(addon: string): Rule[] {
  if (addon !== MSA_ADDON) return [];
  return [
    {
      apiGroups: ['authentication.open-cluster-management.io'],
      resources: ['managedserviceaccounts'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['authentication.open-cluster-management.io'],
      resources: ['managedserviceaccounts/status'],
      verbs: ['get', 'update', 'patch'],
    },
    {
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    },
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  ];
}

function managedRules(addon: string): Rule[] {
  if (addon !== MSA_ADDON) return [LEASE_RULES];
  return [
    LEASE_RULES,
    {
      apiGroups: [''],
      resources: ['serviceaccounts'],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    },
    { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  ];
}

export function addonAgentDeployment(addon: string, namespace: string): K8sObject[] {
  const name = addonAgentName(addon);
  const labels = { [ADDON_NAME_LABEL]: addon };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } },
    { apiVersion: RBAC_V1, kind: 'Role', metadata: { name, namespace, labels }, rules: managedRules(addon) },
    {
      apiVersion: RBAC_V1,
      kind: 'RoleBinding',
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            containers: [
              {
                name: 'addon-agent',
                image: `quay.io/open-cluster-management/${addon}:latest`,
                args: ['agent', `--cluster-name=$(CLUSTER_NAME)`, `--addon-name=${addon}`],
              },
            ],
          },
        },
      },
    },
  ];
}
