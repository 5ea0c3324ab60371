/** Per-kind rules the real registry strategies apply: defaulting, validation, immutability, generations. */
import { invalidValue, required, type StatusCause } from './errors.js';
import { deepEqual, isObj, type JsonObject } from './patch.js';
import type { ResourceType } from './resources.js';
import { matchLabels, selectorRequirements } from './selectors.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const key = (t: ResourceType) => `${t.group}/${t.kind}`;

export function validateName(t: ResourceType, name: string): StatusCause[] {
  const k = key(t);
  if (k.startsWith('rbac.authorization.k8s.io/')) {
    if (name === '.' || name === '..' || /[/%]/.test(name)) {
      return [invalidValue('metadata.name', name, `may not contain '/' or '%'`)];
    }
    return [];
  }
  if (k === '/Namespace') {
    if (!DNS1123_LABEL.test(name) || name.length > 63)
      return [invalidValue('metadata.name', name, LABEL_MSG)];
    return [];
  }
  if (k === '/Service') {
    if (!DNS1035_LABEL.test(name) || name.length > 63)
      return [invalidValue('metadata.name', name, DNS1035_MSG)];
    return [];
  }
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253)
    return [invalidValue('metadata.name', name, SUBDOMAIN_MSG)];
  return [];
}

// ---- defaults -------------------------------------------------------------------------------------------------

function imagePullPolicy(image: string): string {
  const last = image.split('/').pop() ?? '';
  if (image.includes('@')) return 'IfNotPresent';
  const tag = last.includes(':') ? last.split(':').pop() : undefined;
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: JsonObject | undefined): void {
  if (!isObj(p)) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (isObj(p.httpGet)) p.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: JsonObject): void {
  if (typeof c.image === 'string') c.imagePullPolicy ??= imagePullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of Array.isArray(c.ports) ? c.ports : []) if (isObj(p)) p.protocol ??= 'TCP';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  for (const e of Array.isArray(c.env) ? c.env : []) {
    if (isObj(e) && isObj(e.valueFrom?.fieldRef)) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
}

export function defaultPodSpec(spec: JsonObject | undefined): void {
  if (!isObj(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const list of ['containers', 'initContainers']) {
    for (const c of Array.isArray(spec[list]) ? spec[list] : []) if (isObj(c)) defaultContainer(c);
  }
  for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
    if (!isObj(v)) continue;
    if (isObj(v.configMap)) v.configMap.defaultMode ??= 420;
    if (isObj(v.secret)) v.secret.defaultMode ??= 420;
    if (isObj(v.hostPath)) v.hostPath.type ??= '';
  }
}

function defaultTemplate(spec: JsonObject | undefined): void {
  if (!isObj(spec)) return;
  if (isObj(spec.template)) {
    spec.template.metadata ??= {};
    defaultPodSpec(spec.template.spec);
  }
}

export function applyDefaults(t: ResourceType, obj: JsonObject): void {
  obj.metadata ??= {};
  switch (key(t)) {
    case '/Pod': {
      const spec = obj.spec;
      defaultPodSpec(spec);
      if (isObj(spec)) {
        spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
        spec.serviceAccount ??= spec.serviceAccountName;
        spec.enableServiceLinks ??= true;
        spec.preemptionPolicy ??= 'PreemptLowerPriority';
        spec.priority ??= 0;
        spec.tolerations ??= [
          {
            key: 'node.kubernetes.io/not-ready',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
          {
            key: 'node.kubernetes.io/unreachable',
            operator: 'Exists',
            effect: 'NoExecute',
            tolerationSeconds: 300,
          },
        ];
      }
      break;
    }
    case 'apps/Deployment': {
      const s = obj.spec;
      if (!isObj(s)) break;
      s.replicas ??= 1;
      s.strategy ??= {};
      s.strategy.type ??= 'RollingUpdate';
      if (s.strategy.type === 'RollingUpdate') {
        s.strategy.rollingUpdate ??= {};
        s.strategy.rollingUpdate.maxUnavailable ??= '25%';
        s.strategy.rollingUpdate.maxSurge ??= '25%';
      }
      s.revisionHistoryLimit ??= 10;
      s.progressDeadlineSeconds ??= 600;
      defaultTemplate(s);
      break;
    }
    case 'apps/ReplicaSet':
      if (isObj(obj.spec)) {
        obj.spec.replicas ??= 1;
        defaultTemplate(obj.spec);
      }
      break;
    case 'apps/StatefulSet': {
      const s = obj.spec;
      if (!isObj(s)) break;
      s.replicas ??= 1;
      s.podManagementPolicy ??= 'OrderedReady';
      s.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      s.revisionHistoryLimit ??= 10;
      s.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      defaultTemplate(s);
      break;
    }
    case 'apps/DaemonSet': {
      const s = obj.spec;
      if (!isObj(s)) break;
      s.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      s.revisionHistoryLimit ??= 10;
      defaultTemplate(s);
      break;
    }
    case 'batch/Job': {
      const s = obj.spec;
      if (!isObj(s)) break;
      s.parallelism ??= 1;
      s.completions ??= 1;
      s.backoffLimit ??= 6;
      s.completionMode ??= 'NonIndexed';
      s.suspend ??= false;
      s.podReplacementPolicy ??= 'TerminatingOrFailed';
      s.manualSelector ??= undefined;
      if (s.manualSelector === undefined) delete s.manualSelector;
      defaultTemplate(s);
      break;
    }
    case 'batch/CronJob': {
      const s = obj.spec;
      if (!isObj(s)) break;
      s.concurrencyPolicy ??= 'Allow';
      s.suspend ??= false;
      s.successfulJobsHistoryLimit ??= 3;
      s.failedJobsHistoryLimit ??= 1;
      if (isObj(s.jobTemplate?.spec)) defaultTemplate(s.jobTemplate.spec);
      break;
    }
    case '/Service': {
      const s = obj.spec;
      if (!isObj(s)) break;
      s.type ??= 'ClusterIP';
      s.sessionAffinity ??= 'None';
      if (s.type !== 'ExternalName') {
        s.internalTrafficPolicy ??= 'Cluster';
        s.ipFamilyPolicy ??= 'SingleStack';
        s.ipFamilies ??= ['IPv4'];
      }
      if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
      if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
      for (const p of Array.isArray(s.ports) ? s.ports : []) {
        if (!isObj(p)) continue;
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      break;
    }
    case '/Namespace':
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': obj.metadata.name,
      };
      obj.spec ??= {};
      obj.spec.finalizers ??= ['kubernetes'];
      break;
    case '/Secret': {
      obj.type ??= 'Opaque';
      if (isObj(obj.stringData)) {
        obj.data ??= {};
        for (const [k, v] of Object.entries(obj.stringData))
          obj.data[k] = Buffer.from(String(v)).toString('base64');
        delete obj.stringData;
      }
      break;
    }
    case '/PersistentVolumeClaim':
      if (isObj(obj.spec)) obj.spec.volumeMode ??= 'Filesystem';
      break;
    case '/PersistentVolume':
      if (isObj(obj.spec)) {
        obj.spec.persistentVolumeReclaimPolicy ??= 'Retain';
        obj.spec.volumeMode ??= 'Filesystem';
      }
      break;
    case 'storage.k8s.io/StorageClass':
      obj.reclaimPolicy ??= 'Delete';
      obj.volumeBindingMode ??= 'Immediate';
      break;
    case '/Event':
      obj.involvedObject ??= {};
      obj.reportingComponent ??= '';
      obj.reportingInstance ??= '';
      break;
    case 'rbac.authorization.k8s.io/ClusterRole':
    case 'rbac.authorization.k8s.io/Role':
      obj.rules ??= obj.aggregationRule ? [] : obj.rules;
      break;
  }
}

// ---- validation -------------------------------------------------------------------------------------------------

function validatePodSpec(
  spec: JsonObject | undefined,
  path: string,
  out: StatusCause[],
  restartPolicies?: string[],
): void {
  if (!isObj(spec)) {
    out.push(required(path));
    return;
  }
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    out.push(required(`${path}.containers`));
  } else {
    const seen = new Set<string>();
    containers.forEach((c, i) => {
      const p = `${path}.containers[${i}]`;
      if (!isObj(c)) return;
      if (!c.name) out.push(required(`${p}.name`));
      else if (!DNS1123_LABEL.test(c.name)) out.push(invalidValue(`${p}.name`, c.name, LABEL_MSG));
      else if (seen.has(c.name))
        out.push({
          reason: 'FieldValueDuplicate',
          message: `Duplicate value: "${c.name}"`,
          field: `${p}.name`,
        });
      seen.add(c.name);
      if (!c.image) out.push(required(`${p}.image`));
    });
  }
  const rp = spec.restartPolicy;
  if (restartPolicies && rp !== undefined && !restartPolicies.includes(rp)) {
    out.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${rp}": supported values: ${restartPolicies.map((r) => `"${r}"`).join(', ')}`,
      field: `${path}.restartPolicy`,
    });
  }
}

function validateSelectorTemplate(spec: JsonObject, out: StatusCause[]): void {
  const sel = spec.selector;
  if (
    !isObj(sel) ||
    (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)
  ) {
    out.push(required('spec.selector'));
    return;
  }
  const labels = spec.template?.metadata?.labels ?? {};
  if (!matchLabels(selectorRequirements(sel), labels)) {
    out.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
      field: 'spec.template.metadata.labels',
    });
  }
}

function goMap(m: Record<string, string>): string {
  return `map[string]string{${Object.entries(m)
    .map(([k, v]) => `"${k}":"${v}"`)
    .join(', ')}}`;
}

/** Validation of a kind's content; returns 422 causes. */
export function validateObject(t: ResourceType, obj: JsonObject, old?: JsonObject): StatusCause[] {
  const out: StatusCause[] = [];
  const spec = obj.spec;
  switch (key(t)) {
    case '/Pod':
      validatePodSpec(spec, 'spec', out);
      if (old && isObj(spec) && isObj(old.spec)) {
        const strip = (s: JsonObject) => ({
          ...s,
          containers: (s.containers ?? []).map((c: JsonObject) => ({ ...c, image: '' })),
          initContainers: (s.initContainers ?? []).map((c: JsonObject) => ({ ...c, image: '' })),
          activeDeadlineSeconds: 0,
          tolerations: [],
          terminationGracePeriodSeconds: 0,
        });
        if (!deepEqual(strip(spec), strip(old.spec))) {
          out.push({
            reason: 'FieldValueForbidden',
            message:
              'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
            field: 'spec',
          });
        }
      }
      break;
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet':
    case 'apps/DaemonSet':
      if (!isObj(spec)) {
        out.push(required('spec'));
        break;
      }
      validateSelectorTemplate(spec, out);
      validatePodSpec(spec.template?.spec, 'spec.template.spec', out, ['Always']);
      if (typeof spec.replicas === 'number' && spec.replicas < 0) {
        out.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
      }
      if (old && isObj(old.spec) && !deepEqual(old.spec.selector, spec.selector)) {
        out.push({
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(spec.selector)}: field is immutable`,
          field: 'spec.selector',
        });
      }
      break;
    case 'batch/Job':
      if (!isObj(spec)) {
        out.push(required('spec'));
        break;
      }
      validatePodSpec(spec.template?.spec, 'spec.template.spec', out, ['OnFailure', 'Never']);
      break;
    case 'batch/CronJob':
      if (!isObj(spec) || !spec.schedule) out.push(required('spec.schedule'));
      if (isObj(spec))
        validatePodSpec(spec.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec', out, [
          'OnFailure',
          'Never',
        ]);
      break;
    case '/Service': {
      if (!isObj(spec)) break;
      const type = spec.type;
      if (
        type !== 'ExternalName' &&
        spec.clusterIP !== 'None' &&
        (!Array.isArray(spec.ports) || spec.ports.length === 0)
      ) {
        out.push(required('spec.ports'));
      }
      (spec.ports ?? []).forEach((p: JsonObject, i: number) => {
        if (!isObj(p)) return;
        if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535) {
          out.push(
            invalidValue(`spec.ports[${i}].port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'),
          );
        }
      });
      if (
        old &&
        isObj(old.spec) &&
        old.spec.clusterIP &&
        spec.clusterIP &&
        old.spec.clusterIP !== spec.clusterIP
      ) {
        out.push(invalidValue('spec.clusterIPs[0]', spec.clusterIP, 'may not change once set'));
      }
      break;
    }
    case '/ConfigMap':
    case '/Secret':
      if (
        old?.immutable === true &&
        (!deepEqual(old.data, obj.data) || !deepEqual(old.binaryData, obj.binaryData))
      ) {
        out.push({
          reason: 'FieldValueForbidden',
          message: 'Forbidden: field is immutable when `immutable` is set',
          field: 'data',
        });
      }
      if (key(t) === '/Secret' && old && old.type !== obj.type) {
        out.push(invalidValue('type', obj.type, 'field is immutable'));
      }
      break;
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      if (!isObj(obj.roleRef) || !obj.roleRef.name) out.push(required('roleRef.name'));
      if (old && !deepEqual(old.roleRef, obj.roleRef)) {
        out.push(invalidValue('roleRef', obj.roleRef, 'cannot change roleRef'));
      }
      break;
    case '/PersistentVolumeClaim':
      if (!isObj(spec) || !Array.isArray(spec.accessModes) || spec.accessModes.length === 0) {
        out.push(required('spec.accessModes'));
      }
      if (!isObj(spec) || !spec.resources?.requests?.storage) out.push(required('spec.resources[storage]'));
      break;
  }
  return out;
}

/** Whether spec-like changes bump metadata.generation for this kind. */
export function tracksGeneration(t: ResourceType): boolean {
  if (!t.builtin) return true;
  return [
    'apps/Deployment',
    'apps/ReplicaSet',
    'apps/StatefulSet',
    'apps/DaemonSet',
    'batch/Job',
    'batch/CronJob',
    '/ReplicationController',
    'networking.k8s.io/Ingress',
    'networking.k8s.io/NetworkPolicy',
    'autoscaling/HorizontalPodAutoscaler',
    'policy/PodDisruptionBudget',
    'apiextensions.k8s.io/CustomResourceDefinition',
    '/Pod',
  ].includes(key(t));
}

/** The part of an object whose change bumps the generation (everything but metadata and status). */
export function generationContent(obj: JsonObject): JsonObject {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}
