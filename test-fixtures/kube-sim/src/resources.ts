import { createHash } from 'node:crypto';

/** One served subresource as it appears in discovery (`pods/log`, `deployments/scale` …). */
export interface SubresourceDef {
  name: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

export interface ScaleDef {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** A resource type served by a cluster: a built-in one or a version of a CRD. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceDef[];
  /** Storage shared by every version of a resource (and core/v1 + events.k8s.io/v1 Events). */
  storage: string;
  hasStatus: boolean;
  scale?: ScaleDef;
  builtin: boolean;
  /** CRD-only: the version's openAPIV3Schema, printer columns and whether it is the storage version. */
  crdSchema?: Record<string, unknown>;
  printerColumns?: PrinterColumn[];
  /** Read-only virtual resources (metrics) and create-only reviews are not stored. */
  virtual?: 'metrics' | 'review';
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GPU = ['get', 'patch', 'update'];

export function gvString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256')
    .update(`${group}/${version}/${kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

interface Def {
  kind: string;
  plural?: string;
  ns?: boolean;
  short?: string[];
  cat?: string[];
  verbs?: string[];
  status?: boolean;
  scale?: ScaleDef;
  sub?: SubresourceDef[];
  virtual?: 'metrics' | 'review';
  storage?: string;
}

const REPLICAS_SCALE: ScaleDef = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.status.selector',
};

const GROUPS: { group: string; version: string; defs: Def[] }[] = [
  {
    group: '',
    version: 'v1',
    defs: [
      { kind: 'Binding', ns: true, verbs: ['create'] },
      {
        kind: 'ComponentStatus',
        plural: 'componentstatuses',
        ns: false,
        short: ['cs'],
        verbs: ['get', 'list'],
      },
      { kind: 'ConfigMap', short: ['cm'] },
      { kind: 'Endpoints', plural: 'endpoints', short: ['ep'] },
      { kind: 'Event', short: ['ev'], storage: 'events' },
      { kind: 'LimitRange', short: ['limits'] },
      {
        kind: 'Namespace',
        ns: false,
        short: ['ns'],
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        status: true,
        sub: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
      },
      {
        kind: 'Node',
        ns: false,
        short: ['no'],
        status: true,
        sub: [
          { name: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
        ],
      },
      { kind: 'PersistentVolumeClaim', short: ['pvc'], status: true },
      { kind: 'PersistentVolume', ns: false, short: ['pv'], status: true },
      {
        kind: 'Pod',
        short: ['po'],
        cat: ['all'],
        status: true,
        sub: [
          { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
          { name: 'binding', kind: 'Binding', verbs: ['create'] },
          { name: 'ephemeralcontainers', kind: 'Pod', verbs: GPU },
          { name: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
          { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
          { name: 'log', kind: 'Pod', verbs: ['get'] },
          { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
          { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
          { name: 'resize', kind: 'Pod', verbs: GPU },
        ],
      },
      { kind: 'PodTemplate' },
      {
        kind: 'ReplicationController',
        short: ['rc'],
        cat: ['all'],
        status: true,
        scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
      },
      { kind: 'ResourceQuota', short: ['quota'], status: true },
      { kind: 'Secret' },
      {
        kind: 'ServiceAccount',
        short: ['sa'],
        sub: [
          {
            name: 'token',
            kind: 'TokenRequest',
            verbs: ['create'],
            group: 'authentication.k8s.io',
            version: 'v1',
          },
        ],
      },
      {
        kind: 'Service',
        short: ['svc'],
        cat: ['all'],
        status: true,
        sub: [
          {
            name: 'proxy',
            kind: 'ServiceProxyOptions',
            verbs: ['create', 'delete', 'get', 'patch', 'update'],
          },
        ],
      },
    ],
  },
  {
    group: 'apps',
    version: 'v1',
    defs: [
      { kind: 'ControllerRevision' },
      { kind: 'DaemonSet', short: ['ds'], cat: ['all'], status: true },
      { kind: 'Deployment', short: ['deploy'], cat: ['all'], status: true, scale: REPLICAS_SCALE },
      { kind: 'ReplicaSet', short: ['rs'], cat: ['all'], status: true, scale: REPLICAS_SCALE },
      { kind: 'StatefulSet', short: ['sts'], cat: ['all'], status: true, scale: REPLICAS_SCALE },
    ],
  },
  {
    group: 'batch',
    version: 'v1',
    defs: [
      { kind: 'CronJob', short: ['cj'], cat: ['all'], status: true },
      { kind: 'Job', cat: ['all'], status: true },
    ],
  },
  {
    group: 'autoscaling',
    version: 'v2',
    defs: [{ kind: 'HorizontalPodAutoscaler', short: ['hpa'], cat: ['all'], status: true }],
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    defs: [
      { kind: 'IngressClass', ns: false },
      { kind: 'Ingress', short: ['ing'], status: true },
      { kind: 'NetworkPolicy', plural: 'networkpolicies', short: ['netpol'] },
    ],
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    defs: [
      { kind: 'CSIDriver', ns: false },
      { kind: 'CSINode', ns: false },
      { kind: 'CSIStorageCapacity', plural: 'csistoragecapacities' },
      { kind: 'StorageClass', plural: 'storageclasses', ns: false, short: ['sc'] },
      { kind: 'VolumeAttachment', ns: false, status: true },
    ],
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    defs: [
      { kind: 'ClusterRoleBinding', ns: false },
      { kind: 'ClusterRole', ns: false },
      { kind: 'RoleBinding' },
      { kind: 'Role' },
    ],
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    defs: [
      {
        kind: 'CustomResourceDefinition',
        ns: false,
        short: ['crd', 'crds'],
        cat: ['api-extensions'],
        status: true,
      },
    ],
  },
  {
    group: 'apiregistration.k8s.io',
    version: 'v1',
    defs: [{ kind: 'APIService', ns: false, cat: ['api-extensions'], status: true }],
  },
  {
    group: 'authentication.k8s.io',
    version: 'v1',
    defs: [
      { kind: 'SelfSubjectReview', ns: false, verbs: ['create'], virtual: 'review' },
      { kind: 'TokenReview', ns: false, verbs: ['create'], virtual: 'review' },
    ],
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    defs: [
      { kind: 'LocalSubjectAccessReview', verbs: ['create'], virtual: 'review' },
      { kind: 'SelfSubjectAccessReview', ns: false, verbs: ['create'], virtual: 'review' },
      { kind: 'SelfSubjectRulesReview', ns: false, verbs: ['create'], virtual: 'review' },
      { kind: 'SubjectAccessReview', ns: false, verbs: ['create'], virtual: 'review' },
    ],
  },
  {
    group: 'certificates.k8s.io',
    version: 'v1',
    defs: [
      {
        kind: 'CertificateSigningRequest',
        ns: false,
        short: ['csr'],
        status: true,
        sub: [{ name: 'approval', kind: 'CertificateSigningRequest', verbs: GPU }],
      },
    ],
  },
  { group: 'coordination.k8s.io', version: 'v1', defs: [{ kind: 'Lease' }] },
  { group: 'discovery.k8s.io', version: 'v1', defs: [{ kind: 'EndpointSlice' }] },
  { group: 'events.k8s.io', version: 'v1', defs: [{ kind: 'Event', short: ['ev'], storage: 'events' }] },
  { group: 'node.k8s.io', version: 'v1', defs: [{ kind: 'RuntimeClass', ns: false }] },
  {
    group: 'policy',
    version: 'v1',
    defs: [{ kind: 'PodDisruptionBudget', short: ['pdb'], status: true }],
  },
  { group: 'scheduling.k8s.io', version: 'v1', defs: [{ kind: 'PriorityClass', ns: false, short: ['pc'] }] },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    defs: [
      { kind: 'MutatingWebhookConfiguration', ns: false, cat: ['api-extensions'] },
      { kind: 'ValidatingWebhookConfiguration', ns: false, cat: ['api-extensions'] },
    ],
  },
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    defs: [
      { kind: 'NodeMetrics', plural: 'nodes', ns: false, verbs: ['get', 'list'], virtual: 'metrics' },
      { kind: 'PodMetrics', plural: 'pods', verbs: ['get', 'list'], virtual: 'metrics' },
    ],
  },
];

function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

function toType(group: string, version: string, d: Def): ResourceType {
  const p = d.plural ?? plural(d.kind);
  const subs: SubresourceDef[] = [...(d.sub ?? [])];
  if (d.scale) subs.push({ name: 'scale', kind: 'Scale', verbs: GPU, group: 'autoscaling', version: 'v1' });
  if (d.status) subs.push({ name: 'status', kind: d.kind, verbs: GPU });
  subs.sort((a, b) => a.name.localeCompare(b.name));
  const t: ResourceType = {
    group,
    version,
    kind: d.kind,
    listKind: `${d.kind}List`,
    plural: p,
    singular: d.kind.toLowerCase(),
    namespaced: d.ns ?? true,
    shortNames: d.short ?? [],
    categories: d.cat ?? [],
    verbs: d.verbs ?? ALL_VERBS,
    subresources: subs,
    storage: d.storage ?? (group ? `${group}/${p}` : p),
    hasStatus: d.status ?? false,
    builtin: true,
  };
  if (d.scale) t.scale = d.scale;
  if (d.virtual) t.virtual = d.virtual;
  return t;
}

export const BUILTIN_TYPES: ResourceType[] = GROUPS.flatMap((g) =>
  g.defs.map((d) => toType(g.group, g.version, d)),
);

/** Group order as the real /apis lists them (core first, then registration order). */
export const BUILTIN_GROUP_ORDER = GROUPS.map((g) => g.group).filter((g) => g !== '');
