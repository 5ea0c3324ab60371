/**
 * Structural schemas: what the simulator knows about the shape of built-in kinds (and, converted, of CRDs).
 * One model drives strict field validation, strategic merge patch (merge keys), server-side apply
 * (list types and map keys) and the generated /openapi/v3 documents. Parts of built-in types the
 * simulator does not model are `open` (accept anything, like x-kubernetes-preserve-unknown-fields).
 */

export type ScalarType = 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string' | 'quantity' | 'any';

export interface Schema {
  type: 'object' | 'array' | ScalarType;
  /** object: known fields. */
  props?: Record<string, Schema>;
  /** object used as a map: the value schema. */
  additional?: Schema;
  /** object: unknown fields allowed and kept. */
  open?: boolean;
  /** object: owned and replaced as a whole (x-kubernetes-map-type: atomic). */
  atomic?: boolean;
  required?: string[];
  /** array */
  items?: Schema;
  listType?: 'atomic' | 'set' | 'map';
  keys?: string[];
  /** strategic merge patch metadata (x-kubernetes-patch-merge-key / -strategy). */
  mergeKey?: string;
  patchStrategy?: string;
  enum?: string[];
  format?: string;
  /** default value (used for list-map keys the client omitted, like `protocol: TCP`) */
  default?: unknown;
  nullable?: boolean;
  description?: string;
  /** name of the shared definition (for the OpenAPI components). */
  ref?: string;
}

const s = (type: ScalarType, extra: Partial<Schema> = {}): Schema => ({ type, ...extra });
export const str = (extra: Partial<Schema> = {}) => s('string', extra);
export const int = () => s('integer', { format: 'int32' });
export const i64 = () => s('integer', { format: 'int64' });
export const num = () => s('number', { format: 'double' });
export const bool = () => s('boolean');
export const ios = () => s('int-or-string');
export const qty = () => s('quantity');
export const any = () => s('any');
export const obj = (props: Record<string, Schema>, extra: Partial<Schema> = {}): Schema => ({
  type: 'object',
  props,
  ...extra,
});
export const open = (props: Record<string, Schema> = {}): Schema => ({ type: 'object', props, open: true });
export const map = (values: Schema = str()): Schema => ({ type: 'object', additional: values });
export const atomicObj = (props: Record<string, Schema>): Schema => ({ type: 'object', props, atomic: true });
export const atomicList = (items: Schema): Schema => ({ type: 'array', items, listType: 'atomic' });
export const setList = (items: Schema = str(), smpMerge = false): Schema => ({
  type: 'array',
  items,
  listType: 'set',
  ...(smpMerge ? { patchStrategy: 'merge' } : {}),
});
/** An associative list: SSA keys, and the SMP merge key (first key unless given). */
export const mapList = (
  items: Schema,
  keys: string[],
  mergeKey?: string,
  patchStrategy = 'merge',
): Schema => ({
  type: 'array',
  items,
  listType: 'map',
  keys,
  mergeKey: mergeKey ?? keys[0]!,
  patchStrategy,
});
const named = (ref: string, sc: Schema): Schema => ({ ...sc, ref });

// ---- meta -------------------------------------------------------------------------------------------------

const ownerReference = obj(
  {
    apiVersion: str(),
    kind: str(),
    name: str(),
    uid: str(),
    controller: bool(),
    blockOwnerDeletion: bool(),
  },
  { required: ['apiVersion', 'kind', 'name', 'uid'], atomic: true },
);

const managedFieldsEntry = obj({
  manager: str(),
  operation: str(),
  apiVersion: str(),
  time: str({ format: 'date-time' }),
  fieldsType: str(),
  fieldsV1: open(),
  subresource: str(),
});

export const OBJECT_META = named(
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  obj({
    name: str(),
    generateName: str(),
    namespace: str(),
    selfLink: str(),
    uid: str(),
    resourceVersion: str(),
    generation: i64(),
    creationTimestamp: str({ format: 'date-time' }),
    deletionTimestamp: str({ format: 'date-time' }),
    deletionGracePeriodSeconds: i64(),
    labels: map(),
    annotations: map(),
    ownerReferences: mapList(ownerReference, ['uid']),
    finalizers: setList(str(), true),
    managedFields: atomicList(managedFieldsEntry),
  }),
);

const labelSelectorRequirement = obj(
  { key: str(), operator: str(), values: atomicList(str()) },
  { required: ['key', 'operator'] },
);
export const LABEL_SELECTOR = named(
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  atomicObj({ matchLabels: map(), matchExpressions: atomicList(labelSelectorRequirement) }),
);

const condition = obj({
  type: str(),
  status: str(),
  observedGeneration: i64(),
  lastTransitionTime: str({ format: 'date-time' }),
  lastUpdateTime: str({ format: 'date-time' }),
  lastProbeTime: str({ format: 'date-time', nullable: true }),
  lastHeartbeatTime: str({ format: 'date-time' }),
  reason: str(),
  message: str(),
});
const conditions = () => mapList(condition, ['type']);

// ---- core/v1 pods -------------------------------------------------------------------------------------------

const keySelector = obj({ key: str(), name: str(), optional: bool() });
const fieldRef = obj({ apiVersion: str(), fieldPath: str() });
const resourceFieldRef = obj({ containerName: str(), resource: str(), divisor: qty() });
const envVar = obj(
  {
    name: str(),
    value: str(),
    valueFrom: obj({
      fieldRef,
      resourceFieldRef,
      configMapKeyRef: keySelector,
      secretKeyRef: keySelector,
      fileKeyRef: open(),
    }),
  },
  { required: ['name'] },
);
const envFrom = obj({
  prefix: str(),
  configMapRef: obj({ name: str(), optional: bool() }),
  secretRef: obj({ name: str(), optional: bool() }),
});
const resources = named(
  'io.k8s.api.core.v1.ResourceRequirements',
  obj({ limits: map(qty()), requests: map(qty()), claims: mapList(open({ name: str() }), ['name']) }),
);
const probeHandler = {
  exec: obj({ command: atomicList(str()) }),
  httpGet: obj({
    path: str(),
    port: ios(),
    host: str(),
    scheme: str(),
    httpHeaders: atomicList(obj({ name: str(), value: str() })),
  }),
  tcpSocket: obj({ port: ios(), host: str() }),
  grpc: obj({ port: int(), service: str() }),
};
const probe = named(
  'io.k8s.api.core.v1.Probe',
  obj({
    ...probeHandler,
    initialDelaySeconds: int(),
    timeoutSeconds: int(),
    periodSeconds: int(),
    successThreshold: int(),
    failureThreshold: int(),
    terminationGracePeriodSeconds: i64(),
  }),
);
const lifecycleHandler = obj({ ...probeHandler, sleep: obj({ seconds: i64() }) });
const capabilities = obj({ add: atomicList(str()), drop: atomicList(str()) });
const seLinux = obj({ user: str(), role: str(), type: str(), level: str() });
const seccomp = obj({ type: str(), localhostProfile: str() });
const containerSecurityContext = named(
  'io.k8s.api.core.v1.SecurityContext',
  obj({
    capabilities,
    privileged: bool(),
    seLinuxOptions: seLinux,
    windowsOptions: open(),
    runAsUser: i64(),
    runAsGroup: i64(),
    runAsNonRoot: bool(),
    readOnlyRootFilesystem: bool(),
    allowPrivilegeEscalation: bool(),
    procMount: str(),
    seccompProfile: seccomp,
    appArmorProfile: open(),
  }),
);
const containerPort = obj(
  { name: str(), hostPort: int(), containerPort: int(), protocol: str({ default: 'TCP' }), hostIP: str() },
  { required: ['containerPort'] },
);
const volumeMount = obj(
  {
    name: str(),
    readOnly: bool(),
    recursiveReadOnly: str(),
    mountPath: str(),
    subPath: str(),
    mountPropagation: str(),
    subPathExpr: str(),
  },
  { required: ['name', 'mountPath'] },
);
export const CONTAINER = named(
  'io.k8s.api.core.v1.Container',
  obj(
    {
      name: str(),
      image: str(),
      command: atomicList(str()),
      args: atomicList(str()),
      workingDir: str(),
      ports: mapList(containerPort, ['containerPort', 'protocol']),
      envFrom: atomicList(envFrom),
      env: mapList(envVar, ['name']),
      resources,
      resizePolicy: atomicList(obj({ resourceName: str(), restartPolicy: str() })),
      restartPolicy: str(),
      restartPolicyRules: atomicList(open()),
      volumeMounts: mapList(volumeMount, ['mountPath']),
      volumeDevices: mapList(obj({ name: str(), devicePath: str() }), ['devicePath']),
      livenessProbe: probe,
      readinessProbe: probe,
      startupProbe: probe,
      lifecycle: obj({ postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: str() }),
      terminationMessagePath: str(),
      terminationMessagePolicy: str(),
      imagePullPolicy: str({ enum: ['Always', 'IfNotPresent', 'Never'] }),
      securityContext: containerSecurityContext,
      stdin: bool(),
      stdinOnce: bool(),
      tty: bool(),
      targetContainerName: str(),
    },
    { required: ['name'] },
  ),
);

const keyToPath = atomicList(obj({ key: str(), path: str(), mode: int() }));
const volume = obj(
  {
    name: str(),
    hostPath: obj({ path: str(), type: str() }, { required: ['path'] }),
    emptyDir: obj({ medium: str(), sizeLimit: qty() }),
    secret: obj({ secretName: str(), items: keyToPath, defaultMode: int(), optional: bool() }),
    configMap: obj({ name: str(), items: keyToPath, defaultMode: int(), optional: bool() }),
    persistentVolumeClaim: obj({ claimName: str(), readOnly: bool() }),
    projected: open(),
    downwardAPI: open(),
    csi: open(),
    nfs: obj({ server: str(), path: str(), readOnly: bool() }),
    ephemeral: open(),
    image: obj({ reference: str(), pullPolicy: str() }),
    awsElasticBlockStore: open(),
    azureDisk: open(),
    azureFile: open(),
    cephfs: open(),
    cinder: open(),
    fc: open(),
    flexVolume: open(),
    flocker: open(),
    gcePersistentDisk: open(),
    gitRepo: open(),
    glusterfs: open(),
    iscsi: open(),
    photonPersistentDisk: open(),
    portworxVolume: open(),
    quobyte: open(),
    rbd: open(),
    scaleIO: open(),
    storageos: open(),
    vsphereVolume: open(),
  },
  { required: ['name'] },
);
const toleration = obj({
  key: str(),
  operator: str(),
  value: str(),
  effect: str(),
  tolerationSeconds: i64(),
});
const podSecurityContext = obj({
  seLinuxOptions: seLinux,
  windowsOptions: open(),
  runAsUser: i64(),
  runAsGroup: i64(),
  runAsNonRoot: bool(),
  supplementalGroups: atomicList(i64()),
  supplementalGroupsPolicy: str(),
  fsGroup: i64(),
  sysctls: atomicList(obj({ name: str(), value: str() })),
  fsGroupChangePolicy: str(),
  seccompProfile: seccomp,
  appArmorProfile: open(),
  seLinuxChangePolicy: str(),
});
export const POD_SPEC = named(
  'io.k8s.api.core.v1.PodSpec',
  obj(
    {
      volumes: mapList(volume, ['name'], 'name', 'merge,retainKeys'),
      initContainers: mapList(CONTAINER, ['name']),
      containers: mapList(CONTAINER, ['name']),
      ephemeralContainers: mapList(open({ name: str() }), ['name']),
      restartPolicy: str({ enum: ['Always', 'OnFailure', 'Never'] }),
      terminationGracePeriodSeconds: i64(),
      activeDeadlineSeconds: i64(),
      dnsPolicy: str(),
      nodeSelector: { ...map(), atomic: true },
      serviceAccountName: str(),
      serviceAccount: str(),
      automountServiceAccountToken: bool(),
      nodeName: str(),
      hostNetwork: bool(),
      hostPID: bool(),
      hostIPC: bool(),
      shareProcessNamespace: bool(),
      securityContext: podSecurityContext,
      imagePullSecrets: mapList(obj({ name: str() }), ['name']),
      hostname: str(),
      subdomain: str(),
      affinity: open(),
      schedulerName: str(),
      tolerations: atomicList(toleration),
      hostAliases: mapList(obj({ ip: str(), hostnames: atomicList(str()) }), ['ip']),
      priorityClassName: str(),
      priority: int(),
      dnsConfig: open(),
      readinessGates: atomicList(obj({ conditionType: str() })),
      runtimeClassName: str(),
      enableServiceLinks: bool(),
      preemptionPolicy: str(),
      overhead: map(qty()),
      topologySpreadConstraints: mapList(open({ topologyKey: str(), whenUnsatisfiable: str() }), [
        'topologyKey',
        'whenUnsatisfiable',
      ]),
      setHostnameAsFQDN: bool(),
      os: obj({ name: str() }),
      hostUsers: bool(),
      schedulingGates: mapList(obj({ name: str() }), ['name']),
      resourceClaims: mapList(open({ name: str() }), ['name']),
      resources,
      hostnameOverride: str(),
    },
    { required: ['containers'] },
  ),
);
const containerState = obj({
  waiting: obj({ reason: str(), message: str() }),
  running: obj({ startedAt: str({ format: 'date-time' }) }),
  terminated: open({ exitCode: int(), reason: str(), message: str() }),
});
const containerStatus = open({
  name: str(),
  state: containerState,
  lastState: containerState,
  ready: bool(),
  restartCount: int(),
  image: str(),
  imageID: str(),
  containerID: str(),
  started: bool(),
});
const POD_STATUS = open({
  phase: str(),
  conditions: conditions(),
  message: str(),
  reason: str(),
  hostIP: str(),
  podIP: str(),
  startTime: str({ format: 'date-time' }),
  containerStatuses: atomicList(containerStatus),
  initContainerStatuses: atomicList(containerStatus),
  qosClass: str(),
});
export const POD_TEMPLATE_SPEC = named(
  'io.k8s.api.core.v1.PodTemplateSpec',
  obj({ metadata: OBJECT_META, spec: POD_SPEC }),
);

// ---- workloads -----------------------------------------------------------------------------------------------

const rollingUpdate = obj({ maxUnavailable: ios(), maxSurge: ios(), partition: int() });
const workloadStatus = open({ conditions: conditions() });

const DEPLOYMENT_SPEC = obj(
  {
    replicas: int(),
    selector: LABEL_SELECTOR,
    template: POD_TEMPLATE_SPEC,
    strategy: obj({ type: str(), rollingUpdate }, { patchStrategy: 'retainKeys' }),
    minReadySeconds: int(),
    revisionHistoryLimit: int(),
    paused: bool(),
    progressDeadlineSeconds: int(),
  },
  { required: ['selector', 'template'] },
);
const REPLICASET_SPEC = obj(
  { replicas: int(), minReadySeconds: int(), selector: LABEL_SELECTOR, template: POD_TEMPLATE_SPEC },
  { required: ['selector'] },
);
const STATEFULSET_SPEC = obj({
  replicas: int(),
  selector: LABEL_SELECTOR,
  template: POD_TEMPLATE_SPEC,
  volumeClaimTemplates: atomicList(open()),
  serviceName: str(),
  podManagementPolicy: str(),
  updateStrategy: obj({ type: str(), rollingUpdate }),
  revisionHistoryLimit: int(),
  minReadySeconds: int(),
  persistentVolumeClaimRetentionPolicy: obj({ whenDeleted: str(), whenScaled: str() }),
  ordinals: obj({ start: int() }),
});
const DAEMONSET_SPEC = obj({
  selector: LABEL_SELECTOR,
  template: POD_TEMPLATE_SPEC,
  updateStrategy: obj({ type: str(), rollingUpdate }),
  minReadySeconds: int(),
  revisionHistoryLimit: int(),
});
const JOB_SPEC = obj({
  parallelism: int(),
  completions: int(),
  activeDeadlineSeconds: i64(),
  podFailurePolicy: open(),
  successPolicy: open(),
  backoffLimit: int(),
  backoffLimitPerIndex: int(),
  maxFailedIndexes: int(),
  selector: LABEL_SELECTOR,
  manualSelector: bool(),
  template: POD_TEMPLATE_SPEC,
  ttlSecondsAfterFinished: int(),
  completionMode: str(),
  suspend: bool(),
  podReplacementPolicy: str(),
  managedBy: str(),
});
const CRONJOB_SPEC = obj({
  schedule: str(),
  timeZone: str(),
  startingDeadlineSeconds: i64(),
  concurrencyPolicy: str(),
  suspend: bool(),
  jobTemplate: obj({ metadata: OBJECT_META, spec: JOB_SPEC }),
  successfulJobsHistoryLimit: int(),
  failedJobsHistoryLimit: int(),
});

// ---- services and networking ---------------------------------------------------------------------------------

const servicePort = obj({
  name: str(),
  protocol: str({ default: 'TCP' }),
  appProtocol: str(),
  port: int(),
  targetPort: ios(),
  nodePort: int(),
});
const SERVICE_SPEC = obj({
  ports: mapList(servicePort, ['port', 'protocol'], 'port'),
  selector: { ...map(), atomic: true },
  clusterIP: str(),
  clusterIPs: atomicList(str()),
  type: str({ enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] }),
  externalIPs: atomicList(str()),
  sessionAffinity: str(),
  loadBalancerIP: str(),
  loadBalancerSourceRanges: atomicList(str()),
  externalName: str(),
  externalTrafficPolicy: str(),
  healthCheckNodePort: int(),
  publishNotReadyAddresses: bool(),
  sessionAffinityConfig: open(),
  ipFamilies: atomicList(str()),
  ipFamilyPolicy: str(),
  allocateLoadBalancerNodePorts: bool(),
  loadBalancerClass: str(),
  internalTrafficPolicy: str(),
  trafficDistribution: str(),
});
const ingressBackend = obj({
  service: obj({ name: str(), port: obj({ name: str(), number: int() }) }),
  resource: obj({ apiGroup: str(), kind: str(), name: str() }),
});
const INGRESS_SPEC = obj({
  ingressClassName: str(),
  defaultBackend: ingressBackend,
  tls: atomicList(obj({ hosts: atomicList(str()), secretName: str() })),
  rules: atomicList(
    obj({
      host: str(),
      http: obj({
        paths: atomicList(obj({ path: str(), pathType: str(), backend: ingressBackend })),
      }),
    }),
  ),
});

// ---- rbac ----------------------------------------------------------------------------------------------------

const policyRule = obj({
  verbs: atomicList(str()),
  apiGroups: atomicList(str()),
  resources: atomicList(str()),
  resourceNames: atomicList(str()),
  nonResourceURLs: atomicList(str()),
});
const subject = obj({ kind: str(), apiGroup: str(), name: str(), namespace: str() }, { atomic: true });
const roleRef = obj({ apiGroup: str(), kind: str(), name: str() }, { atomic: true });

// ---- kinds ----------------------------------------------------------------------------------------------------

const top = (props: Record<string, Schema>, required: string[] = []): Schema =>
  obj(
    { apiVersion: str(), kind: str(), metadata: OBJECT_META, ...props },
    required.length ? { required } : {},
  );

const objectReference = obj({
  kind: str(),
  namespace: str(),
  name: str(),
  uid: str(),
  apiVersion: str(),
  resourceVersion: str(),
  fieldPath: str(),
});

export const BUILTIN_SCHEMAS: Record<string, Schema> = {
  '/v1/Pod': top({ spec: POD_SPEC, status: POD_STATUS }),
  '/v1/PodTemplate': top({ template: POD_TEMPLATE_SPEC }),
  '/v1/ConfigMap': top({ data: map(), binaryData: map(), immutable: bool() }),
  '/v1/Secret': top({ data: map(), stringData: map(), type: str(), immutable: bool() }),
  '/v1/Namespace': top({ spec: obj({ finalizers: atomicList(str()) }), status: open() }),
  '/v1/ServiceAccount': top({
    secrets: mapList(objectReference, ['name']),
    imagePullSecrets: atomicList(obj({ name: str() })),
    automountServiceAccountToken: bool(),
  }),
  '/v1/Service': top({ spec: SERVICE_SPEC, status: open() }),
  '/v1/Endpoints': top({ subsets: atomicList(open()) }),
  '/v1/Event': top({
    involvedObject: objectReference,
    reason: str(),
    message: str(),
    source: obj({ component: str(), host: str() }),
    firstTimestamp: str({ format: 'date-time' }),
    lastTimestamp: str({ format: 'date-time' }),
    count: int(),
    type: str(),
    eventTime: str({ format: 'date-time', nullable: true }),
    series: open(),
    action: str(),
    related: objectReference,
    reportingComponent: str(),
    reportingInstance: str(),
  }),
  '/v1/PersistentVolumeClaim': top({
    spec: obj({
      accessModes: atomicList(str()),
      selector: LABEL_SELECTOR,
      resources: obj({ limits: map(qty()), requests: map(qty()) }),
      volumeName: str(),
      storageClassName: str(),
      volumeMode: str(),
      dataSource: open(),
      dataSourceRef: open(),
      volumeAttributesClassName: str(),
    }),
    status: open(),
  }),
  '/v1/PersistentVolume': top({ spec: open(), status: open() }),
  '/v1/Node': top({
    spec: obj({
      podCIDR: str(),
      podCIDRs: setList(),
      providerID: str(),
      unschedulable: bool(),
      taints: atomicList(obj({ key: str(), value: str(), effect: str(), timeAdded: str() })),
      configSource: open(),
      externalID: str(),
    }),
    status: open({ conditions: conditions() }),
  }),
  '/v1/LimitRange': top({ spec: open() }),
  '/v1/ResourceQuota': top({ spec: open(), status: open() }),
  '/v1/ReplicationController': top({ spec: open(), status: open() }),
  'apps/v1/Deployment': top({ spec: DEPLOYMENT_SPEC, status: workloadStatus }),
  'apps/v1/ReplicaSet': top({ spec: REPLICASET_SPEC, status: workloadStatus }),
  'apps/v1/StatefulSet': top({ spec: STATEFULSET_SPEC, status: workloadStatus }),
  'apps/v1/DaemonSet': top({ spec: DAEMONSET_SPEC, status: workloadStatus }),
  'apps/v1/ControllerRevision': top({ data: open(), revision: i64() }),
  'batch/v1/Job': top({ spec: JOB_SPEC, status: workloadStatus }),
  'batch/v1/CronJob': top({ spec: CRONJOB_SPEC, status: open() }),
  'networking.k8s.io/v1/Ingress': top({ spec: INGRESS_SPEC, status: open() }),
  'networking.k8s.io/v1/IngressClass': top({ spec: open() }),
  'networking.k8s.io/v1/NetworkPolicy': top({ spec: open() }),
  'discovery.k8s.io/v1/EndpointSlice': top({
    addressType: str(),
    endpoints: atomicList(open()),
    ports: atomicList(open()),
  }),
  'rbac.authorization.k8s.io/v1/Role': top({ rules: atomicList(policyRule) }),
  'rbac.authorization.k8s.io/v1/ClusterRole': top({
    rules: atomicList(policyRule),
    aggregationRule: obj({ clusterRoleSelectors: atomicList(LABEL_SELECTOR) }),
  }),
  'rbac.authorization.k8s.io/v1/RoleBinding': top({ subjects: atomicList(subject), roleRef }, ['roleRef']),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': top({ subjects: atomicList(subject), roleRef }, [
    'roleRef',
  ]),
  'storage.k8s.io/v1/StorageClass': top({
    provisioner: str(),
    parameters: map(),
    reclaimPolicy: str(),
    mountOptions: atomicList(str()),
    allowVolumeExpansion: bool(),
    volumeBindingMode: str(),
    allowedTopologies: atomicList(open()),
  }),
  'apiextensions.k8s.io/v1/CustomResourceDefinition': top({ spec: open(), status: open() }),
  'coordination.k8s.io/v1/Lease': top({ spec: open() }),
  'scheduling.k8s.io/v1/PriorityClass': top({
    value: int(),
    globalDefault: bool(),
    description: str(),
    preemptionPolicy: str(),
  }),
  'policy/v1/PodDisruptionBudget': top({
    spec: obj({
      minAvailable: ios(),
      maxUnavailable: ios(),
      selector: LABEL_SELECTOR,
      unhealthyPodEvictionPolicy: str(),
    }),
    status: open(),
  }),
  'autoscaling/v2/HorizontalPodAutoscaler': top({ spec: open(), status: open() }),
};

export const OPEN_OBJECT = top({}, []);
OPEN_OBJECT.open = true;

export function builtinSchema(group: string, version: string, kind: string): Schema {
  return BUILTIN_SCHEMAS[`${group}/${version}/${kind}`] ?? OPEN_OBJECT;
}

// ---- CRD schemas -----------------------------------------------------------------------------------------------

/** Converts a CRD's openAPIV3Schema (JSONSchemaProps) to the structural model. CRD lists default to atomic. */
export function fromOpenAPI(js: Record<string, unknown> | undefined, root = true): Schema {
  if (!js) return { type: 'object', open: true, props: {} };
  const ext = (k: string) => js[`x-kubernetes-${k}`];
  if (ext('int-or-string') === true) return ios();
  const type = js.type as string | undefined;
  if (type === 'array') {
    const items = fromOpenAPI(js.items as Record<string, unknown> | undefined, false);
    const lt = (ext('list-type') as Schema['listType']) ?? 'atomic';
    const out: Schema = { type: 'array', items, listType: lt };
    if (js.default !== undefined) out.default = js.default;
    if (lt === 'map') out.keys = (ext('list-map-keys') as string[]) ?? [];
    return out;
  }
  if (type === 'object' || js.properties || js.additionalProperties) {
    const props: Record<string, Schema> = {};
    for (const [k, v] of Object.entries((js.properties as Record<string, Record<string, unknown>>) ?? {})) {
      props[k] = fromOpenAPI(v, false);
    }
    if (root) {
      props.apiVersion ??= str();
      props.kind ??= str();
      props.metadata = OBJECT_META;
    }
    const out: Schema = { type: 'object', props };
    if (ext('preserve-unknown-fields') === true) out.open = true;
    if (ext('embedded-resource') === true) out.open = true;
    if (ext('map-type') === 'atomic') out.atomic = true;
    const ap = js.additionalProperties;
    if (ap && typeof ap === 'object') out.additional = fromOpenAPI(ap as Record<string, unknown>, false);
    else if (ap === true) out.additional = any();
    if (Array.isArray(js.required)) out.required = js.required as string[];
    if (js.default !== undefined) out.default = js.default;
    if (type === undefined && !js.properties && !ap) out.open = true;
    return out;
  }
  if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') {
    const out: Schema = { type };
    if (js.default !== undefined) out.default = js.default;
    if (Array.isArray(js.enum)) out.enum = (js.enum as unknown[]).map(String);
    if (typeof js.format === 'string') out.format = js.format;
    if (js.nullable === true) out.nullable = true;
    return out;
  }
  if (ext('preserve-unknown-fields') === true) return { type: 'object', open: true, props: {} };
  return any();
}

// ---- helpers used by patch/apply/validation ---------------------------------------------------------------------

export function child(sc: Schema | undefined, field: string): Schema | undefined {
  if (!sc) return undefined;
  if (sc.type === 'any') return sc;
  if (sc.type !== 'object') return undefined;
  const p = sc.props?.[field];
  if (p) return p;
  if (sc.additional) return sc.additional;
  if (sc.open) return any();
  return undefined;
}

export function isObjectLike(sc: Schema | undefined): boolean {
  return sc?.type === 'object' || sc?.type === 'any';
}
