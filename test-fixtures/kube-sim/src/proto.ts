/**
 * Decoding of Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`): the "k8s\0"
 * envelope (runtime.Unknown) and the generated.proto messages of the kinds client-go's typed clients send
 * (kubectl create/auth/drain/token, helm's release Secrets): see PROTOBUF_KINDS. Fields outside the
 * modelled subset are dropped.
 * Responses are always JSON, which client-go accepts whatever it asked for.
 */
import { badRequest, unsupportedMediaType } from './errors.js';
import type { JsonObject } from './patch.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  num: number;
  wire: number;
  /** varint value (as bigint-safe number) or bytes */
  value: number | Buffer;
}

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  let p = pos;
  for (;;) {
    if (p >= buf.length) throw badRequest('protobuf: truncated varint');
    const b = buf[p++]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  return [result, p];
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let p = 0;
  while (p < buf.length) {
    const [tag, p1] = readVarint(buf, p);
    p = p1;
    const num = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      const [v, p2] = readVarint(buf, p);
      p = p2;
      out.push({ num, wire, value: v });
    } else if (wire === 2) {
      const [len, p2] = readVarint(buf, p);
      out.push({ num, wire, value: buf.subarray(p2, p2 + len) });
      p = p2 + len;
    } else if (wire === 1) {
      out.push({ num, wire, value: buf.subarray(p, p + 8) });
      p += 8;
    } else if (wire === 5) {
      out.push({ num, wire, value: buf.subarray(p, p + 4) });
      p += 4;
    } else throw badRequest(`protobuf: unsupported wire type ${wire}`);
  }
  return out;
}

type Scalar = 'string' | 'bytes' | 'int' | 'int!' | 'bool' | 'bool!' | 'time' | 'intstr' | 'quantity';
/**
 * How a field decodes. Non-pointer scalars ('string', 'int', 'bool') are always on the wire, so their zero
 * values are dropped (as `omitempty` JSON would); pointer fields ('int!', 'bool!') keep an explicit zero.
 * `inline` merges an embedded struct into its parent (LocalObjectReference, VolumeSource, ProbeHandler).
 */
type Kind = Scalar | Spec | ['map', Scalar] | ['list', Kind] | ['inline', Spec];

interface Spec {
  [num: number]: [name: string, kind: Kind];
}

const TIME: Spec = { 1: ['seconds', 'int'], 2: ['nanos', 'int'] };

const list = (k: Kind): Kind => ['list', k];
const map = (k: Scalar = 'string'): Kind => ['map', k];
const inline = (s: Spec): Kind => ['inline', s];

const OWNER_REF: Spec = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool!'],
  7: ['blockOwnerDeletion', 'bool!'],
};

const MANAGED: Spec = {
  1: ['manager', 'string'],
  2: ['operation', 'string'],
  3: ['apiVersion', 'string'],
  4: ['time', 'time'],
  6: ['fieldsType', 'string'],
  7: ['fieldsV1', { 1: ['Raw', 'bytes'] }],
  8: ['subresource', 'string'],
};

const OBJECT_META: Spec = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  4: ['selfLink', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int'],
  8: ['creationTimestamp', 'time'],
  9: ['deletionTimestamp', 'time'],
  10: ['deletionGracePeriodSeconds', 'int!'],
  11: ['labels', map()],
  12: ['annotations', map()],
  13: ['ownerReferences', list(OWNER_REF)],
  14: ['finalizers', list('string')],
  17: ['managedFields', list(MANAGED)],
};

const LABEL_SELECTOR: Spec = {
  1: ['matchLabels', map()],
  2: [
    'matchExpressions',
    list({ 1: ['key', 'string'], 2: ['operator', 'string'], 3: ['values', list('string')] }),
  ],
};

// ---- core/v1 pod templates ----------------------------------------------------------------------------------

const LOCAL_REF: Spec = { 1: ['name', 'string'] };
const KEY_SELECTOR: Spec = { 1: ['ref', inline(LOCAL_REF)], 2: ['key', 'string'], 3: ['optional', 'bool!'] };
const ENV_VAR: Spec = {
  1: ['name', 'string'],
  2: ['value', 'string'],
  3: [
    'valueFrom',
    {
      1: ['fieldRef', { 1: ['apiVersion', 'string'], 2: ['fieldPath', 'string'] }],
      2: [
        'resourceFieldRef',
        { 1: ['containerName', 'string'], 2: ['resource', 'string'], 3: ['divisor', 'quantity'] },
      ],
      3: ['configMapKeyRef', KEY_SELECTOR],
      4: ['secretKeyRef', KEY_SELECTOR],
    },
  ],
};
const ENV_FROM: Spec = {
  1: ['prefix', 'string'],
  2: ['configMapRef', { 1: ['ref', inline(LOCAL_REF)], 2: ['optional', 'bool!'] }],
  3: ['secretRef', { 1: ['ref', inline(LOCAL_REF)], 2: ['optional', 'bool!'] }],
};
const RESOURCES: Spec = { 1: ['limits', map('quantity')], 2: ['requests', map('quantity')] };
const PROBE_HANDLER: Spec = {
  1: ['exec', { 1: ['command', list('string')] }],
  2: [
    'httpGet',
    {
      1: ['path', 'string'],
      2: ['port', 'intstr'],
      3: ['host', 'string'],
      4: ['scheme', 'string'],
      5: ['httpHeaders', list({ 1: ['name', 'string'], 2: ['value', 'string'] })],
    },
  ],
  3: ['tcpSocket', { 1: ['port', 'intstr'], 2: ['host', 'string'] }],
  4: ['grpc', { 1: ['port', 'int'], 2: ['service', 'string'] }],
};
const PROBE: Spec = {
  1: ['handler', inline(PROBE_HANDLER)],
  2: ['initialDelaySeconds', 'int'],
  3: ['timeoutSeconds', 'int'],
  4: ['periodSeconds', 'int'],
  5: ['successThreshold', 'int'],
  6: ['failureThreshold', 'int'],
  7: ['terminationGracePeriodSeconds', 'int!'],
};
const SECURITY_CONTEXT: Spec = {
  1: ['capabilities', { 1: ['add', list('string')], 2: ['drop', list('string')] }],
  2: ['privileged', 'bool!'],
  4: ['runAsUser', 'int!'],
  5: ['runAsNonRoot', 'bool!'],
  6: ['readOnlyRootFilesystem', 'bool!'],
  7: ['allowPrivilegeEscalation', 'bool!'],
  8: ['runAsGroup', 'int!'],
  9: ['procMount', 'string'],
  11: ['seccompProfile', { 1: ['type', 'string'], 2: ['localhostProfile', 'string'] }],
};
const CONTAINER: Spec = {
  1: ['name', 'string'],
  2: ['image', 'string'],
  3: ['command', list('string')],
  4: ['args', list('string')],
  5: ['workingDir', 'string'],
  6: [
    'ports',
    list({
      1: ['name', 'string'],
      2: ['hostPort', 'int'],
      3: ['containerPort', 'int'],
      4: ['protocol', 'string'],
      5: ['hostIP', 'string'],
    }),
  ],
  7: ['env', list(ENV_VAR)],
  8: ['resources', RESOURCES],
  9: [
    'volumeMounts',
    list({
      1: ['name', 'string'],
      2: ['readOnly', 'bool'],
      3: ['mountPath', 'string'],
      4: ['subPath', 'string'],
      5: ['mountPropagation', 'string'],
      6: ['subPathExpr', 'string'],
    }),
  ],
  10: ['livenessProbe', PROBE],
  11: ['readinessProbe', PROBE],
  12: ['lifecycle', { 1: ['postStart', PROBE_HANDLER], 2: ['preStop', PROBE_HANDLER] }],
  13: ['terminationMessagePath', 'string'],
  14: ['imagePullPolicy', 'string'],
  15: ['securityContext', SECURITY_CONTEXT],
  16: ['stdin', 'bool'],
  17: ['stdinOnce', 'bool'],
  18: ['tty', 'bool'],
  19: ['envFrom', list(ENV_FROM)],
  20: ['terminationMessagePolicy', 'string'],
  22: ['startupProbe', PROBE],
  24: ['restartPolicy', 'string'],
};
const KEY_TO_PATH: Spec = { 1: ['key', 'string'], 2: ['path', 'string'], 3: ['mode', 'int!'] };
const VOLUME_SOURCE: Spec = {
  1: ['hostPath', { 1: ['path', 'string'], 2: ['type', 'string'] }],
  2: ['emptyDir', { 1: ['medium', 'string'], 2: ['sizeLimit', 'quantity'] }],
  6: [
    'secret',
    {
      1: ['secretName', 'string'],
      2: ['items', list(KEY_TO_PATH)],
      3: ['defaultMode', 'int!'],
      4: ['optional', 'bool!'],
    },
  ],
  7: ['nfs', { 1: ['server', 'string'], 2: ['path', 'string'], 3: ['readOnly', 'bool'] }],
  10: ['persistentVolumeClaim', { 1: ['claimName', 'string'], 2: ['readOnly', 'bool'] }],
  19: [
    'configMap',
    {
      1: ['ref', inline(LOCAL_REF)],
      2: ['items', list(KEY_TO_PATH)],
      3: ['defaultMode', 'int!'],
      4: ['optional', 'bool!'],
    },
  ],
};
const TOLERATION: Spec = {
  1: ['key', 'string'],
  2: ['operator', 'string'],
  3: ['value', 'string'],
  4: ['effect', 'string'],
  5: ['tolerationSeconds', 'int!'],
};
const POD_SPEC: Spec = {
  1: ['volumes', list({ 1: ['name', 'string'], 2: ['source', inline(VOLUME_SOURCE)] })],
  2: ['containers', list(CONTAINER)],
  3: ['restartPolicy', 'string'],
  4: ['terminationGracePeriodSeconds', 'int!'],
  5: ['activeDeadlineSeconds', 'int!'],
  6: ['dnsPolicy', 'string'],
  7: ['nodeSelector', map()],
  8: ['serviceAccountName', 'string'],
  9: ['serviceAccount', 'string'],
  10: ['nodeName', 'string'],
  11: ['hostNetwork', 'bool'],
  12: ['hostPID', 'bool'],
  13: ['hostIPC', 'bool'],
  14: [
    'securityContext',
    {
      2: ['runAsUser', 'int!'],
      3: ['runAsNonRoot', 'bool!'],
      4: ['supplementalGroups', list('int')],
      5: ['fsGroup', 'int!'],
      6: ['runAsGroup', 'int!'],
      9: ['fsGroupChangePolicy', 'string'],
      10: ['seccompProfile', { 1: ['type', 'string'], 2: ['localhostProfile', 'string'] }],
    },
  ],
  15: ['imagePullSecrets', list(LOCAL_REF)],
  16: ['hostname', 'string'],
  17: ['subdomain', 'string'],
  19: ['schedulerName', 'string'],
  20: ['initContainers', list(CONTAINER)],
  21: ['automountServiceAccountToken', 'bool!'],
  22: ['tolerations', list(TOLERATION)],
  24: ['priorityClassName', 'string'],
  25: ['priority', 'int!'],
  27: ['shareProcessNamespace', 'bool!'],
  29: ['runtimeClassName', 'string'],
  30: ['enableServiceLinks', 'bool!'],
  31: ['preemptionPolicy', 'string'],
};
const POD_TEMPLATE: Spec = { 1: ['metadata', OBJECT_META], 2: ['spec', POD_SPEC] };
const JOB_SPEC: Spec = {
  1: ['parallelism', 'int!'],
  2: ['completions', 'int!'],
  3: ['activeDeadlineSeconds', 'int!'],
  4: ['selector', LABEL_SELECTOR],
  5: ['manualSelector', 'bool!'],
  6: ['template', POD_TEMPLATE],
  7: ['backoffLimit', 'int!'],
  8: ['ttlSecondsAfterFinished', 'int!'],
  9: ['completionMode', 'string'],
  10: ['suspend', 'bool!'],
};

// ---- other kinds -----------------------------------------------------------------------------------------------

const RESOURCE_ATTRIBUTES: Spec = {
  1: ['namespace', 'string'],
  2: ['verb', 'string'],
  3: ['group', 'string'],
  4: ['version', 'string'],
  5: ['resource', 'string'],
  6: ['subresource', 'string'],
  7: ['name', 'string'],
};
const NON_RESOURCE_ATTRIBUTES: Spec = { 1: ['path', 'string'], 2: ['verb', 'string'] };
const SAR_SPEC: Spec = {
  1: ['resourceAttributes', RESOURCE_ATTRIBUTES],
  2: ['nonResourceAttributes', NON_RESOURCE_ATTRIBUTES],
  3: ['user', 'string'],
  4: ['groups', list('string')],
  6: ['uid', 'string'],
};
const POLICY_RULE: Spec = {
  1: ['verbs', list('string')],
  2: ['apiGroups', list('string')],
  3: ['resources', list('string')],
  4: ['resourceNames', list('string')],
  5: ['nonResourceURLs', list('string')],
};
const BINDING: Spec = {
  1: ['metadata', OBJECT_META],
  2: [
    'subjects',
    list({
      1: ['kind', 'string'],
      2: ['apiGroup', 'string'],
      3: ['name', 'string'],
      4: ['namespace', 'string'],
    }),
  ],
  3: ['roleRef', { 1: ['apiGroup', 'string'], 2: ['kind', 'string'], 3: ['name', 'string'] }],
};
const DELETE_OPTIONS: Spec = {
  1: ['gracePeriodSeconds', 'int!'],
  2: ['preconditions', { 1: ['uid', 'string'], 2: ['resourceVersion', 'string'] }],
  3: ['orphanDependents', 'bool!'],
  4: ['propagationPolicy', 'string'],
  5: ['dryRun', list('string')],
};

const SPECS: Record<string, Spec> = {
  'v1/Secret': {
    1: ['metadata', OBJECT_META],
    2: ['data', map('bytes')],
    3: ['type', 'string'],
    4: ['stringData', map()],
    5: ['immutable', 'bool!'],
  },
  'v1/ConfigMap': {
    1: ['metadata', OBJECT_META],
    2: ['data', map()],
    3: ['binaryData', map('bytes')],
    4: ['immutable', 'bool!'],
  },
  'v1/Namespace': { 1: ['metadata', OBJECT_META], 2: ['spec', { 1: ['finalizers', list('string')] }] },
  'v1/ServiceAccount': {
    1: ['metadata', OBJECT_META],
    2: [
      'secrets',
      list({
        1: ['kind', 'string'],
        2: ['namespace', 'string'],
        3: ['name', 'string'],
        4: ['uid', 'string'],
        5: ['apiVersion', 'string'],
      }),
    ],
    3: ['imagePullSecrets', list(LOCAL_REF)],
    4: ['automountServiceAccountToken', 'bool!'],
  },
  'v1/Pod': { 1: ['metadata', OBJECT_META], 2: ['spec', POD_SPEC] },
  'v1/Service': {
    1: ['metadata', OBJECT_META],
    2: [
      'spec',
      {
        1: [
          'ports',
          list({
            1: ['name', 'string'],
            2: ['protocol', 'string'],
            3: ['port', 'int'],
            4: ['targetPort', 'intstr'],
            5: ['nodePort', 'int'],
            6: ['appProtocol', 'string'],
          }),
        ],
        2: ['selector', map()],
        3: ['clusterIP', 'string'],
        4: ['type', 'string'],
        5: ['externalIPs', list('string')],
        7: ['sessionAffinity', 'string'],
        8: ['loadBalancerIP', 'string'],
        9: ['loadBalancerSourceRanges', list('string')],
        10: ['externalName', 'string'],
        11: ['externalTrafficPolicy', 'string'],
        13: ['publishNotReadyAddresses', 'bool'],
        17: ['ipFamilyPolicy', 'string'],
        18: ['clusterIPs', list('string')],
        19: ['ipFamilies', list('string')],
        20: ['allocateLoadBalancerNodePorts', 'bool!'],
        21: ['loadBalancerClass', 'string'],
        22: ['internalTrafficPolicy', 'string'],
      },
    ],
  },
  'apps/v1/Deployment': {
    1: ['metadata', OBJECT_META],
    2: [
      'spec',
      {
        1: ['replicas', 'int!'],
        2: ['selector', LABEL_SELECTOR],
        3: ['template', POD_TEMPLATE],
        4: [
          'strategy',
          {
            1: ['type', 'string'],
            2: ['rollingUpdate', { 1: ['maxUnavailable', 'intstr'], 2: ['maxSurge', 'intstr'] }],
          },
        ],
        5: ['minReadySeconds', 'int'],
        6: ['revisionHistoryLimit', 'int!'],
        7: ['paused', 'bool'],
        9: ['progressDeadlineSeconds', 'int!'],
      },
    ],
  },
  'batch/v1/Job': { 1: ['metadata', OBJECT_META], 2: ['spec', JOB_SPEC] },
  'batch/v1/CronJob': {
    1: ['metadata', OBJECT_META],
    2: [
      'spec',
      {
        1: ['schedule', 'string'],
        2: ['startingDeadlineSeconds', 'int!'],
        3: ['concurrencyPolicy', 'string'],
        4: ['suspend', 'bool!'],
        5: ['jobTemplate', { 1: ['metadata', OBJECT_META], 2: ['spec', JOB_SPEC] }],
        6: ['successfulJobsHistoryLimit', 'int!'],
        7: ['failedJobsHistoryLimit', 'int!'],
        8: ['timeZone', 'string'],
      },
    ],
  },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': { 1: ['metadata', OBJECT_META], 2: ['spec', SAR_SPEC] },
  'authorization.k8s.io/v1/SubjectAccessReview': { 1: ['metadata', OBJECT_META], 2: ['spec', SAR_SPEC] },
  'authorization.k8s.io/v1/LocalSubjectAccessReview': { 1: ['metadata', OBJECT_META], 2: ['spec', SAR_SPEC] },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': {
    1: ['metadata', OBJECT_META],
    2: ['spec', { 1: ['namespace', 'string'] }],
  },
  'authentication.k8s.io/v1/SelfSubjectReview': { 1: ['metadata', OBJECT_META] },
  'authentication.k8s.io/v1/TokenReview': {
    1: ['metadata', OBJECT_META],
    2: ['spec', { 1: ['token', 'string'], 2: ['audiences', list('string')] }],
  },
  'authentication.k8s.io/v1/TokenRequest': {
    1: ['metadata', OBJECT_META],
    2: [
      'spec',
      {
        1: ['audiences', list('string')],
        3: [
          'boundObjectRef',
          { 1: ['kind', 'string'], 2: ['apiVersion', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'] },
        ],
        4: ['expirationSeconds', 'int!'],
      },
    ],
  },
  'policy/v1/Eviction': { 1: ['metadata', OBJECT_META], 2: ['deleteOptions', DELETE_OPTIONS] },
  'autoscaling/v1/Scale': {
    1: ['metadata', OBJECT_META],
    2: ['spec', { 1: ['replicas', 'int!'] }],
    3: ['status', { 1: ['replicas', 'int!'], 2: ['selector', 'string'] }],
  },
  'rbac.authorization.k8s.io/v1/Role': { 1: ['metadata', OBJECT_META], 2: ['rules', list(POLICY_RULE)] },
  'rbac.authorization.k8s.io/v1/ClusterRole': {
    1: ['metadata', OBJECT_META],
    2: ['rules', list(POLICY_RULE)],
    3: ['aggregationRule', { 1: ['clusterRoleSelectors', list(LABEL_SELECTOR)] }],
  },
  'rbac.authorization.k8s.io/v1/RoleBinding': BINDING,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': BINDING,
  'v1/DeleteOptions': DELETE_OPTIONS,
  'meta.k8s.io/v1/DeleteOptions': DELETE_OPTIONS,
};

/** The kinds whose protobuf encoding kube-sim decodes. */
export const PROTOBUF_KINDS = Object.keys(SPECS);

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === '' ||
  v === 0 ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

function scalar(kind: Scalar | Spec, f: Field): unknown {
  switch (kind) {
    case 'string':
      return (f.value as Buffer).toString('utf8');
    case 'bytes':
      return (f.value as Buffer).toString('base64');
    case 'int':
    case 'int!':
      return f.value as number;
    case 'bool':
    case 'bool!':
      return f.value !== 0;
    case 'time': {
      const t = message(f.value as Buffer, TIME);
      const secs = Number(t.seconds ?? 0);
      return secs === 0 ? '' : `${new Date(secs * 1000).toISOString().slice(0, 19)}Z`;
    }
    case 'quantity':
      return message(f.value as Buffer, { 1: ['string', 'string'] }).string ?? '0';
    case 'intstr': {
      const v = message(f.value as Buffer, {
        1: ['type', 'int!'],
        2: ['intVal', 'int!'],
        3: ['strVal', 'string'],
      });
      return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    }
    default:
      return message(f.value as Buffer, kind);
  }
}

function keepZero(kind: Kind): boolean {
  return kind === 'int!' || kind === 'bool!' || kind === 'intstr';
}

function message(buf: Buffer, spec: Spec): JsonObject {
  const out: JsonObject = {};
  for (const f of fields(buf)) {
    const def = spec[f.num];
    if (!def) continue;
    const [name, kind] = def;
    if (Array.isArray(kind) && kind[0] === 'map') {
      const entry = fields(f.value as Buffer);
      const k = entry.find((e) => e.num === 1);
      const v = entry.find((e) => e.num === 2);
      out[name] ??= {};
      out[name][k ? (k.value as Buffer).toString('utf8') : ''] = v ? scalar(kind[1], v) : '';
    } else if (Array.isArray(kind) && kind[0] === 'list') {
      out[name] ??= [];
      const item = kind[1];
      out[name].push(Array.isArray(item) ? undefined : scalar(item, f));
    } else if (Array.isArray(kind) && kind[0] === 'inline') {
      Object.assign(out, message(f.value as Buffer, kind[1]));
    } else {
      const v = scalar(kind, f);
      if (!keepZero(kind) && isEmpty(v)) continue;
      out[name] = v;
    }
  }
  if (out.fieldsV1?.Raw !== undefined) {
    try {
      out.fieldsV1 = JSON.parse(Buffer.from(out.fieldsV1.Raw, 'base64').toString('utf8'));
    } catch {
      out.fieldsV1 = {};
    }
  }
  return out;
}

export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim() === 'application/vnd.kubernetes.protobuf';
}

/** Decodes a protobuf request body into the JSON object it stands for. */
export function decodeProtobuf(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw badRequest('protobuf: missing k8s envelope');
  const unknown = fields(body.subarray(4));
  const tm = unknown.find((f) => f.num === 1);
  const raw = unknown.find((f) => f.num === 2);
  const typeMeta = tm
    ? message(tm.value as Buffer, { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] })
    : {};
  const key = `${typeMeta.apiVersion ?? ''}/${typeMeta.kind ?? ''}`;
  const spec = SPECS[key];
  if (!spec) {
    throw unsupportedMediaType(
      'application/json, application/yaml (kube-sim decodes protobuf only for the kinds listed in its README)',
    );
  }
  const obj = raw ? message(raw.value as Buffer, spec) : {};
  if (typeMeta.kind !== 'DeleteOptions') {
    obj.apiVersion = typeMeta.apiVersion;
    obj.kind = typeMeta.kind;
  }
  return obj;
}
