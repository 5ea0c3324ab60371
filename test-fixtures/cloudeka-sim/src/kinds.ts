import type { KubeObject, KubeStore } from './kube-store.js';

export interface KindDef {
  /** Plural resource name, the store key. */
  resource: string;
  singular: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
  shortNames: string[];
}

const k = (
  resource: string,
  kind: string,
  apiVersion: string,
  namespaced: boolean,
  shortNames: string[] = [],
): KindDef => ({ resource, singular: kind.toLowerCase(), kind, apiVersion, namespaced, shortNames });

/** What a vcluster serves besides CRD-defined kinds (also the answer of get_custom_resources). */
export const BUILTIN_KINDS: readonly KindDef[] = [
  k('pods', 'Pod', 'v1', true, ['po']),
  k('services', 'Service', 'v1', true, ['svc']),
  k('configmaps', 'ConfigMap', 'v1', true, ['cm']),
  k('secrets', 'Secret', 'v1', true),
  k('persistentvolumeclaims', 'PersistentVolumeClaim', 'v1', true, ['pvc']),
  k('persistentvolumes', 'PersistentVolume', 'v1', false, ['pv']),
  k('namespaces', 'Namespace', 'v1', false, ['ns']),
  k('serviceaccounts', 'ServiceAccount', 'v1', true, ['sa']),
  k('events', 'Event', 'v1', true, ['ev']),
  k('deployments', 'Deployment', 'apps/v1', true, ['deploy']),
  k('statefulsets', 'StatefulSet', 'apps/v1', true, ['sts']),
  k('daemonsets', 'DaemonSet', 'apps/v1', true, ['ds']),
  k('replicasets', 'ReplicaSet', 'apps/v1', true, ['rs']),
  k('jobs', 'Job', 'batch/v1', true),
  k('cronjobs', 'CronJob', 'batch/v1', true, ['cj']),
  k('ingresses', 'Ingress', 'networking.k8s.io/v1', true, ['ing']),
  k('networkpolicies', 'NetworkPolicy', 'networking.k8s.io/v1', true, ['netpol']),
  k('datavolumes', 'DataVolume', 'cdi.kubevirt.io/v1beta1', true, ['dv']),
  k('customresourcedefinitions', 'CustomResourceDefinition', 'apiextensions.k8s.io/v1', false, [
    'crd',
    'crds',
  ]),
];

export const CRD_KIND = BUILTIN_KINDS.find((d) => d.resource === 'customresourcedefinitions')!;

export function builtinKind(resource: string): KindDef {
  const def = BUILTIN_KINDS.find((d) => d.resource === resource);
  if (!def) throw new Error(`no built-in kind ${resource}`);
  return def;
}

/** The kind a CustomResourceDefinition object defines. */
export function crdKind(crd: KubeObject): KindDef {
  const spec = (crd.spec ?? {}) as {
    group?: string;
    scope?: string;
    names?: { plural?: string; singular?: string; kind?: string; shortNames?: string[] };
    versions?: Array<{ name?: string; storage?: boolean }>;
  };
  const version = spec.versions?.find((v) => v.storage)?.name ?? spec.versions?.[0]?.name ?? 'v1';
  return {
    resource: spec.names?.plural ?? '',
    singular: spec.names?.singular ?? spec.names?.kind?.toLowerCase() ?? '',
    kind: spec.names?.kind ?? '',
    apiVersion: `${spec.group}/${version}`,
    namespaced: spec.scope !== 'Cluster',
    shortNames: spec.names?.shortNames ?? [],
  };
}

/** Every kind the project's vcluster serves: built-ins plus its CRDs. */
export function kindsOf(store: KubeStore | undefined): KindDef[] {
  return [...BUILTIN_KINDS, ...(store?.list(CRD_KIND.resource).map(crdKind) ?? [])];
}
