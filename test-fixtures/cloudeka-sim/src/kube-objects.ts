import type { Ctx } from './context.js';
import { badRequest } from './errors.js';
import type { KindDef } from './kinds.js';
import type { KubeObject, KubeStore, ObjectMeta } from './kube-store.js';

type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A copy of the manifest in `<field>.manifest`, the one place a `*_data` object carries it. */
export function manifestOf(c: Ctx, field: string): Obj {
  const manifest = c.data(field).manifest;
  if (manifest === undefined || manifest === null || manifest === '') {
    throw badRequest(`${field}.manifest is required`);
  }
  if (!isObject(manifest)) throw badRequest(`${field}.manifest must be an object`);
  return structuredClone(manifest);
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Obj = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function invalid(kind: string, name: string, detail: string): Error {
  return badRequest(`${kind} "${name}" is invalid: ${detail}`);
}

const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), o);

function requireContainers(def: KindDef, name: string, containers: unknown, at: string): void {
  if (!Array.isArray(containers) || containers.length === 0)
    throw invalid(def.kind, name, `${at}: Required value`);
  containers.forEach((c, i) => {
    if (!isObject(c) || typeof c.name !== 'string' || c.name === '') {
      throw invalid(def.kind, name, `${at}[${i}].name: Required value`);
    }
    if (typeof c.image !== 'string' || c.image === '') {
      throw invalid(def.kind, name, `${at}[${i}].image: Required value`);
    }
  });
}

/** The API server's validation for the fields the simulator relies on, with its messages. */
function validate(def: KindDef, obj: KubeObject): void {
  const name = obj.metadata.name;
  if (!name) throw invalid(def.kind, '', 'metadata.name: Required value: name or generateName is required');
  if (name.length > 253 || !DNS1123.test(name)) {
    throw invalid(
      def.kind,
      name,
      `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case ` +
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
  const spec = obj.spec;
  switch (def.kind) {
    case 'Pod':
      requireContainers(def, name, get(spec, 'containers'), 'spec.containers');
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      if (!isObject(get(spec, 'selector'))) throw invalid(def.kind, name, 'spec.selector: Required value');
      requireContainers(
        def,
        name,
        get(spec, 'template', 'spec', 'containers'),
        'spec.template.spec.containers',
      );
      break;
    case 'Job':
      requireContainers(
        def,
        name,
        get(spec, 'template', 'spec', 'containers'),
        'spec.template.spec.containers',
      );
      break;
    case 'Service': {
      const type = get(spec, 'type') ?? 'ClusterIP';
      const ports = get(spec, 'ports');
      if (type !== 'ExternalName' && (!Array.isArray(ports) || ports.length === 0)) {
        throw invalid(def.kind, name, 'spec.ports: Required value');
      }
      break;
    }
    case 'PersistentVolumeClaim':
      if (get(spec, 'resources', 'requests', 'storage') === undefined) {
        throw invalid(def.kind, name, 'spec.resources[storage]: Required value');
      }
      break;
    case 'CustomResourceDefinition': {
      const group = get(spec, 'group');
      const plural = get(spec, 'names', 'plural');
      if (typeof group !== 'string' || !group) throw invalid(def.kind, name, 'spec.group: Required value');
      if (typeof plural !== 'string' || !plural)
        throw invalid(def.kind, name, 'spec.names.plural: Required value');
      if (typeof get(spec, 'names', 'kind') !== 'string')
        throw invalid(def.kind, name, 'spec.names.kind: Required value');
      if (name !== `${plural}.${group}`) {
        throw invalid(
          def.kind,
          name,
          `metadata.name: Invalid value: "${name}": must be spec.names.plural+"."+spec.group`,
        );
      }
      break;
    }
  }
}

function replicas(spec: unknown): number {
  const n = get(spec, 'replicas');
  return typeof n === 'number' && n >= 0 ? n : 1;
}

/** The status the controllers would converge to, so a created object reads as healthy. */
function statusFor(
  def: KindDef,
  obj: KubeObject,
  store: KubeStore,
  now: string,
  previous?: KubeObject,
): unknown {
  const spec = (obj.spec ?? {}) as Obj;
  const gen = obj.metadata.generation ?? 1;
  switch (def.kind) {
    case 'Pod': {
      const containers = (spec.containers as Array<{ name: string; image: string }>) ?? [];
      return {
        phase: 'Running',
        conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
          type,
          status: 'True',
          lastTransitionTime: now,
        })),
        hostIP: (get(previous, 'status', 'hostIP') as string) ?? store.ip('10.10'),
        podIP: (get(previous, 'status', 'podIP') as string) ?? store.ip('10.244'),
        startTime: now,
        qosClass: 'BestEffort',
        containerStatuses: containers.map((c) => ({
          name: c.name,
          image: c.image,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: now } },
        })),
      };
    }
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet': {
      const n = replicas(spec);
      const base = { observedGeneration: gen, replicas: n, readyReplicas: n, availableReplicas: n };
      if (def.kind === 'StatefulSet') return { ...base, currentReplicas: n, updatedReplicas: n };
      if (def.kind === 'Deployment') {
        return {
          ...base,
          updatedReplicas: n,
          conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
        };
      }
      return base;
    }
    case 'DaemonSet':
      return {
        observedGeneration: gen,
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 3,
        numberAvailable: 3,
        updatedNumberScheduled: 3,
        numberMisscheduled: 0,
      };
    case 'Service': {
      obj.spec = spec;
      spec.type ??= 'ClusterIP';
      if (spec.type !== 'ExternalName') {
        spec.clusterIP ??= (get(previous, 'spec', 'clusterIP') as string) ?? store.ip('10.96');
        spec.clusterIPs = [spec.clusterIP];
      }
      if (spec.type === 'LoadBalancer') {
        const ip =
          (get(previous, 'status', 'loadBalancer', 'ingress', '0', 'ip') as string) ?? store.ip('103.190');
        return { loadBalancer: { ingress: [{ ip }] } };
      }
      return { loadBalancer: {} };
    }
    case 'PersistentVolumeClaim':
      obj.spec = spec;
      spec.volumeName ??= (get(previous, 'spec', 'volumeName') as string) ?? `pvc-${obj.metadata.uid}`;
      spec.storageClassName ??= 'ceph-ssd';
      return {
        phase: 'Bound',
        accessModes: spec.accessModes ?? ['ReadWriteOnce'],
        capacity: { storage: get(spec, 'resources', 'requests', 'storage') },
      };
    case 'PersistentVolume':
      return { phase: spec.claimRef ? 'Bound' : 'Available' };
    case 'Namespace':
      obj.spec = { finalizers: ['kubernetes'] };
      return { phase: 'Active' };
    case 'DataVolume':
      return { phase: 'Succeeded', progress: '100.0%' };
    case 'Job':
      return { startTime: now, completionTime: now, succeeded: 1 };
    case 'Ingress':
      return { loadBalancer: { ingress: [{ ip: store.ip('103.190') }] } };
    case 'CustomResourceDefinition':
      return {
        acceptedNames: spec.names,
        conditions: [
          { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
          { type: 'Established', status: 'True', reason: 'InitialNamesAccepted' },
        ],
        storedVersions: ((spec.versions as Array<{ name: string }>) ?? []).map((v) => v.name),
      };
    default:
      return obj.status ?? {};
  }
}

/**
 * Turns a manifest into a stored object: server-set metadata, defaults and status. `previous` is the object
 * being replaced (uid and creation time survive, generation goes up).
 */
export function materialize(
  def: KindDef,
  manifest: Obj,
  store: KubeStore,
  namespace: string | undefined,
  previous?: KubeObject,
): KubeObject {
  const now = new Date().toISOString();
  const given = isObject(manifest.metadata) ? manifest.metadata : {};
  const metadata: ObjectMeta = {
    name: typeof given.name === 'string' ? given.name : '',
    ...(def.namespaced ? { namespace } : {}),
    uid: previous?.metadata.uid ?? store.uid(),
    resourceVersion: store.nextVersion(),
    generation: (previous?.metadata.generation ?? 0) + 1,
    creationTimestamp: previous?.metadata.creationTimestamp ?? now,
  };
  for (const key of ['labels', 'annotations', 'ownerReferences'] as const) {
    if (given[key] !== undefined) (metadata as unknown as Obj)[key] = structuredClone(given[key]);
  }
  const { apiVersion, kind, metadata: _m, status, ...rest } = manifest;
  const obj: KubeObject = {
    apiVersion: typeof apiVersion === 'string' ? apiVersion : def.apiVersion,
    kind: def.kind,
    metadata,
    ...rest,
  };
  if (typeof kind === 'string' && kind !== def.kind) {
    throw badRequest(
      `${def.kind} "${metadata.name}" is invalid: kind: Invalid value: "${kind}": must be ${def.kind}`,
    );
  }
  if (def.kind === 'Secret' && isObject(obj.stringData)) {
    const data = isObject(obj.data) ? obj.data : {};
    for (const [key, value] of Object.entries(obj.stringData))
      data[key] = Buffer.from(String(value)).toString('base64');
    obj.data = data;
    delete obj.stringData;
  }
  validate(def, obj);
  if (status !== undefined) obj.status = status;
  obj.status = statusFor(def, obj, store, now, previous);
  return obj;
}
