/** RBAC objects and identities the installers and the hub controllers create, all through the API. */
import type { ApiClient, K8sObject } from './api-client.js';
import { isAlreadyExists, resourcePath } from './api-client.js';
import { paths, RBAC_V1 } from './ocm.js';

export interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: 'ServiceAccount';
  name: string;
  namespace: string;
}

export const serviceAccount = (namespace: string, name: string): Subject => ({
  kind: 'ServiceAccount',
  name,
  namespace,
});

/** Creates an object unless one of that name exists (installers and controllers are idempotent). */
export async function ensure(client: ApiClient, collection: string, obj: K8sObject): Promise<void> {
  try {
    await client.create(collection, obj);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

export const ensureNamespace = (client: ApiClient, name: string, labels?: Record<string, string>) =>
  ensure(client, paths.namespaces(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

export const ensureServiceAccount = (client: ApiClient, namespace: string, name: string) =>
  ensure(client, paths.serviceAccounts(namespace), {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace },
  });

export function clusterRole(name: string, rules: Rule[]): K8sObject {
  return { apiVersion: RBAC_V1, kind: 'ClusterRole', metadata: { name }, rules };
}

export function role(namespace: string, name: string, rules: Rule[]): K8sObject {
  return { apiVersion: RBAC_V1, kind: 'Role', metadata: { name, namespace }, rules };
}

export function clusterRoleBinding(name: string, clusterRoleName: string, subjects: Subject[]): K8sObject {
  return {
    apiVersion: RBAC_V1,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
    subjects,
  };
}

export function roleBinding(
  namespace: string,
  name: string,
  roleRef: { kind: 'Role' | 'ClusterRole'; name: string },
  subjects: Subject[],
): K8sObject {
  return {
    apiVersion: RBAC_V1,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  };
}

const collection: Record<string, (ns?: string) => string> = {
  ClusterRole: () => resourcePath(RBAC_V1, 'clusterroles'),
  ClusterRoleBinding: () => resourcePath(RBAC_V1, 'clusterrolebindings'),
  Role: (ns) => resourcePath(RBAC_V1, 'roles', ns),
  RoleBinding: (ns) => resourcePath(RBAC_V1, 'rolebindings', ns),
};

/** Creates RBAC objects, leaving existing ones as they are. */
export async function ensureRbac(client: ApiClient, objects: K8sObject[]): Promise<void> {
  for (const o of objects) await ensure(client, collection[o.kind]!(o.metadata.namespace), o);
}

/** A bound token for a ServiceAccount (created when missing), valid for `seconds`. */
export async function mintToken(
  client: ApiClient,
  namespace: string,
  name: string,
  seconds: number,
): Promise<string> {
  await ensureServiceAccount(client, namespace, name);
  const r = await client.create(paths.serviceAccounts(namespace, name, 'token'), {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: seconds },
  });
  return r.status.token as string;
}
