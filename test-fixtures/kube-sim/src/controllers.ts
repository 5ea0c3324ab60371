/**
 * In-process controllers: scheduler, "kubelet", deployment, replicaset, statefulset, daemonset, job,
 * endpoints/endpointslices, garbage collector and namespace deletion. They react to store events, work
 * through a queue on later ticks, and write through the API layer like the real controller-manager.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Api, randomSuffix, rfc3339, type WriteOptions } from './api.js';
import { ApiError } from './errors.js';
import { clone, deepEqual, isObj, type JsonObject } from './patch.js';
import type { Registry } from './registry.js';
import type { ResourceType } from './resources.js';
import { matchLabels, selectorRequirements, selectorString } from './selectors.js';
import type { Store, StoreEvent } from './store.js';

const SYSTEM_USER = { username: 'system:kube-controller-manager', groups: ['system:authenticated'] };
const CM: WriteOptions = {
  user: SYSTEM_USER,
  fieldManager: 'kube-controller-manager',
  fieldValidation: 'Ignore',
};

/** Pod annotation that changes how the simulated kubelet runs it: `crashloop`, `unready` or `pending`. */
export const BEHAVIOR_ANNOTATION = 'kube-sim.io/behavior';

const HASH_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function podTemplateHash(template: JsonObject): string {
  const t = clone(template);
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  const digest = createHash('sha256').update(JSON.stringify(t)).digest();
  let s = '';
  for (let i = 0; i < 10; i++) s += HASH_ALPHABET[digest[i]! % HASH_ALPHABET.length];
  return s;
}

function controllerOf(o: JsonObject): JsonObject | undefined {
  return ((o.metadata?.ownerReferences ?? []) as JsonObject[]).find((r) => r.controller === true);
}

function podReady(p: JsonObject): boolean {
  return ((p.status?.conditions ?? []) as JsonObject[]).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );
}

const active = (p: JsonObject) =>
  !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

export interface ControllerOptions {
  podStartMs: number;
  /** Called when the kubelet puts a pod into CrashLoopBackOff (to record its logs). */
  onCrashLoop?(pod: JsonObject): void;
}

function tolerates(pod: JsonObject, node: JsonObject): boolean {
  const taints = ((node.spec?.taints ?? []) as JsonObject[]).filter(
    (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute',
  );
  const tols = (pod.spec?.tolerations ?? []) as JsonObject[];
  return taints.every((t) =>
    tols.some(
      (x) =>
        (x.operator === 'Exists' && (!x.key || x.key === t.key)) ||
        (x.key === t.key && (x.value ?? '') === (t.value ?? '')),
    ),
  );
}

export class Controllers {
  private queue = new Map<string, () => void>();
  private scheduled = false;
  private timers = new Set<NodeJS.Timeout>();
  private idleWaiters: (() => void)[] = [];
  private ipCounter = new Map<string, number>();
  private stopped = false;
  private unsubscribe: () => void;

  constructor(
    private readonly api: Api,
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly opts: ControllerOptions,
  ) {
    this.unsubscribe = store.subscribe((ev) => this.onEvent(ev));
    api.hooks.afterDelete = (t, obj, propagation) => this.onDeleted(t, obj, propagation);
    api.onTimer = () => setImmediate(() => this.checkIdle());
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
    this.flushIdle();
  }

  private type(group: string, kind: string): ResourceType {
    return this.registry.forGroupKind(group, kind)!;
  }

  private enqueue(key: string, fn: () => void): void {
    if (this.stopped) return;
    this.queue.set(key, fn);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private after(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.stopped) fn();
      this.checkIdle();
    }, ms);
    this.timers.add(t);
  }

  private drain(): void {
    this.scheduled = false;
    let rounds = 0;
    while (this.queue.size > 0 && rounds++ < 50 && !this.stopped) {
      const batch = [...this.queue.values()];
      this.queue.clear();
      for (const fn of batch) {
        try {
          fn();
        } catch (e) {
          if (!(e instanceof ApiError)) console.error('kube-sim controller error:', e);
        }
      }
    }
    if (this.queue.size > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.queue.size === 0 && !this.scheduled && this.timers.size === 0 && this.api.pendingTimers === 0)
      this.flushIdle();
  }

  private flushIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const fn of w) fn();
  }

  /** Resolves when no work is queued and no pod is about to start. */
  settle(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('kube-sim: controllers did not settle')), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
      setImmediate(() => this.checkIdle());
    });
  }

  // ---- event routing -------------------------------------------------------------------------------------------

  private onEvent(ev: StoreEvent): void {
    const o = ev.object;
    const ns = o.metadata?.namespace as string | undefined;
    const name = o.metadata?.name as string;
    switch (ev.storage) {
      case 'apps/deployments':
        this.enqueue(`deploy/${ns}/${name}`, () => this.reconcileDeployment(ns!, name));
        break;
      case 'apps/replicasets':
      case 'apps/statefulsets':
      case 'apps/daemonsets':
      case 'batch/jobs': {
        const kind = {
          'apps/replicasets': 'ReplicaSet',
          'apps/statefulsets': 'StatefulSet',
          'apps/daemonsets': 'DaemonSet',
          'batch/jobs': 'Job',
        }[ev.storage]!;
        this.enqueue(`${kind}/${ns}/${name}`, () => this.reconcilePodOwner(kind, ns!, name));
        const owner = controllerOf(o);
        if (owner?.kind === 'Deployment') {
          this.enqueue(`deploy/${ns}/${owner.name}`, () => this.reconcileDeployment(ns!, owner.name));
        }
        break;
      }
      case 'pods': {
        const owner = controllerOf(o) ?? (ev.prev ? controllerOf(ev.prev) : undefined);
        if (owner && ['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(owner.kind)) {
          this.enqueue(`${owner.kind}/${ns}/${owner.name}`, () =>
            this.reconcilePodOwner(owner.kind, ns!, owner.name),
          );
        }
        this.enqueue(`endpoints/${ns}`, () => this.reconcileEndpoints(ns!));
        if (ev.type !== 'DELETED') this.enqueue(`pod/${ns}/${name}`, () => this.reconcilePod(ns!, name));
        break;
      }
      case 'services':
        this.enqueue(`endpoints/${ns}`, () => this.reconcileEndpoints(ns!));
        break;
      case 'namespaces':
        if (ev.type !== 'DELETED' && o.metadata?.deletionTimestamp) {
          this.enqueue(`ns/${name}`, () => this.deleteNamespaceContent(name));
        }
        break;
      case 'nodes':
        break;
    }
  }

  private onDeleted(t: ResourceType, obj: JsonObject, propagation: string): void {
    const uid = obj.metadata?.uid as string;
    if (t.kind === 'Pod' && obj.metadata?.deletionTimestamp) {
      // graceful pod deletion is finished by the Api's timer
    }
    if (t.kind === 'Namespace') return;
    this.enqueue(`gc/${uid}`, () => this.collect(obj, propagation));
  }

  // ---- garbage collector -----------------------------------------------------------------------------------------

  private collect(owner: JsonObject, propagation: string): void {
    const uid = owner.metadata.uid as string;
    for (const storage of this.store.storages()) {
      const t = this.registry.forStorage(storage);
      if (!t) continue;
      for (const dep of this.store.peekAll(storage, t.namespaced ? owner.metadata.namespace : undefined)) {
        const refs = (dep.metadata?.ownerReferences ?? []) as JsonObject[];
        if (!refs.some((r) => r.uid === uid)) continue;
        const remaining = refs.filter((r) => r.uid !== uid);
        if (propagation === 'Orphan' || remaining.length > 0) {
          const next = clone(dep);
          if (remaining.length) next.metadata.ownerReferences = remaining;
          else delete next.metadata.ownerReferences;
          this.store.update(storage, next);
          continue;
        }
        try {
          this.api.delete(
            t,
            dep.metadata.namespace,
            dep.metadata.name,
            { propagationPolicy: 'Background' },
            CM,
          );
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
      }
    }
    if (propagation === 'Foreground') {
      const t = this.registry.forStorage(this.storageOf(owner));
      if (!t) return;
      const cur = this.store.get(t.storage, owner.metadata.namespace, owner.metadata.name);
      if (cur?.metadata?.deletionTimestamp) {
        const fin = ((cur.metadata.finalizers ?? []) as string[]).filter((f) => f !== 'foregroundDeletion');
        if (fin.length === 0) this.store.delete(t.storage, owner.metadata.namespace, owner.metadata.name);
        else {
          cur.metadata.finalizers = fin;
          this.store.update(t.storage, cur);
        }
      }
    }
  }

  private storageOf(o: JsonObject): string {
    const [group, version] = String(o.apiVersion ?? 'v1').includes('/')
      ? String(o.apiVersion).split('/')
      : ['', o.apiVersion];
    const t = this.registry.forKind(group!, version!, o.kind);
    return t?.storage ?? '';
  }

  private deleteNamespaceContent(ns: string): void {
    const n = this.store.get('namespaces', undefined, ns);
    if (!n?.metadata?.deletionTimestamp) return;
    for (const storage of this.store.storages()) {
      const t = this.registry.forStorage(storage);
      if (!t?.namespaced) continue;
      for (const o of this.store.peekAll(storage, ns)) this.store.delete(storage, ns, o.metadata.name);
    }
    this.store.delete('namespaces', undefined, ns);
  }

  // ---- events -------------------------------------------------------------------------------------------------

  recordEvent(
    involved: JsonObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
    host?: string,
  ): void {
    const ns = (involved.metadata?.namespace as string | undefined) ?? 'default';
    const now = rfc3339(this.api.clock());
    const uid = involved.metadata?.uid;
    const existing = this.store
      .peekAll('events', ns)
      .find((e) => e.involvedObject?.uid === uid && e.reason === reason && e.message === message);
    if (existing) {
      const next = clone(existing);
      next.count = (next.count ?? 1) + 1;
      next.lastTimestamp = now;
      this.store.update('events', next);
      return;
    }
    const event: JsonObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.metadata?.name}.${randomBytes(8).toString('hex')}`,
        namespace: ns,
        uid: globalThis.crypto.randomUUID(),
        creationTimestamp: now,
      },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata?.name,
        namespace: involved.metadata?.namespace,
        uid,
        resourceVersion: involved.metadata?.resourceVersion,
      },
      reason,
      message,
      source: host ? { component, host } : { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? '',
    };
    if (involved.kind === undefined) delete event.involvedObject.kind;
    this.store.create('events', event);
  }

  // ---- scheduler and kubelet ------------------------------------------------------------------------------------

  private nodes(): JsonObject[] {
    return this.store
      .peekAll('nodes')
      .filter(
        (n) =>
          !n.spec?.unschedulable &&
          ((n.status?.conditions ?? []) as JsonObject[]).some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
      );
  }

  /** Pod IPs from the upper half of the node's /20 (the seed uses the lower half). */
  private podIP(node: JsonObject): string {
    const cidr = (node.spec?.podCIDR as string | undefined) ?? '10.244.0.0/20';
    const [a, b, c] = cidr.split('/')[0]!.split('.').map(Number) as [number, number, number];
    const n = ((this.ipCounter.get(cidr) ?? 0) + 1) % 2000;
    this.ipCounter.set(cidr, n);
    return `${a}.${b}.${c + 8 + Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  private reconcilePod(ns: string, name: string): void {
    const pod = this.store.get('pods', ns, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    if (!pod.spec?.nodeName) {
      const candidates = this.nodes().filter(
        (n) =>
          tolerates(pod, n) &&
          Object.entries((pod.spec?.nodeSelector ?? {}) as Record<string, string>).every(
            ([k, v]) => n.metadata.labels?.[k] === v,
          ),
      );
      if (candidates.length === 0) {
        if (!((pod.status?.conditions ?? []) as JsonObject[]).some((c) => c.type === 'PodScheduled')) {
          const next = clone(pod);
          next.status = {
            phase: 'Pending',
            qosClass: next.status?.qosClass ?? 'BestEffort',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                lastProbeTime: null,
                lastTransitionTime: rfc3339(this.api.clock()),
                reason: 'Unschedulable',
                message: '0/0 nodes are available: no nodes available to schedule pods.',
              },
            ],
          };
          this.store.update('pods', next);
          this.recordEvent(
            this.withKind(next, 'v1', 'Pod'),
            'Warning',
            'FailedScheduling',
            '0/0 nodes are available: no nodes available to schedule pods.',
            'default-scheduler',
          );
        }
        return;
      }
      const counts = new Map(candidates.map((n) => [n.metadata.name, 0]));
      for (const p of this.store.peekAll('pods')) {
        const nn = p.spec?.nodeName;
        if (nn && counts.has(nn)) counts.set(nn, counts.get(nn)! + 1);
      }
      const node = candidates.sort((a, b) => counts.get(a.metadata.name)! - counts.get(b.metadata.name)!)[0]!;
      const next = clone(pod);
      next.spec.nodeName = node.metadata.name;
      next.status = {
        ...(next.status ?? {}),
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: rfc3339(this.api.clock()),
          },
        ],
      };
      this.store.update('pods', next);
      this.recordEvent(
        this.withKind(next, 'v1', 'Pod'),
        'Normal',
        'Scheduled',
        `Successfully assigned ${ns}/${name} to ${node.metadata.name}`,
        'default-scheduler',
      );
      return;
    }
    const behavior = pod.metadata.annotations?.[BEHAVIOR_ANNOTATION] as string | undefined;
    if (pod.status?.phase === 'Pending' && !pod.status?.containerStatuses && behavior !== 'pending') {
      this.markCreating(pod);
      return;
    }
    if (pod.status?.phase === 'Pending' && pod.status?.containerStatuses && behavior !== 'pending') {
      const uid = pod.metadata.uid;
      this.after(this.opts.podStartMs, () => this.startPod(ns, name, uid));
    }
  }

  private markCreating(pod: JsonObject): void {
    const next = clone(pod);
    const now = rfc3339(this.api.clock());
    const containers = (next.spec.containers ?? []) as JsonObject[];
    next.status = {
      ...(next.status ?? {}),
      phase: 'Pending',
      hostIP: this.nodeIP(next.spec.nodeName),
      hostIPs: [{ ip: this.nodeIP(next.spec.nodeName) }],
      startTime: now,
      qosClass: qosClass(next),
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
        {
          type: 'Ready',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: now,
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`,
        },
        {
          type: 'ContainersReady',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: now,
          reason: 'ContainersNotReady',
          message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`,
        },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
        volumeMounts: [],
      })),
    };
    this.store.update('pods', next);
  }

  private nodeIP(nodeName: string): string {
    const node = this.store.get('nodes', undefined, nodeName);
    return (
      (((node?.status?.addresses ?? []) as JsonObject[]).find((a) => a.type === 'InternalIP')
        ?.address as string) ?? '10.0.0.10'
    );
  }

  private startPod(ns: string, name: string, uid: string): void {
    const pod = this.store.get('pods', ns, name);
    if (!pod || pod.metadata.uid !== uid || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Pending')
      return;
    const node = this.store.get('nodes', undefined, pod.spec.nodeName);
    const now = rfc3339(this.api.clock());
    const behavior = pod.metadata.annotations?.[BEHAVIOR_ANNOTATION] as string | undefined;
    const ready = behavior !== 'unready' && behavior !== 'crashloop';
    const next = clone(pod);
    const containers = (next.spec.containers ?? []) as JsonObject[];
    const ip = next.spec.hostNetwork ? this.nodeIP(next.spec.nodeName) : this.podIP(node ?? {});
    const cond = (type: string, ok: boolean): JsonObject => ({
      type,
      status: ok ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: now,
      ...(ok
        ? {}
        : {
            reason: 'ContainersNotReady',
            message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]`,
          }),
    });
    next.status = {
      ...next.status,
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [
        cond('PodReadyToStartContainers', true),
        cond('Initialized', true),
        cond('Ready', ready),
        cond('ContainersReady', ready),
        cond('PodScheduled', true),
      ],
      containerStatuses: containers.map((c) => {
        const crash = behavior === 'crashloop';
        return {
          name: c.name,
          image: c.image,
          imageID: `${String(c.image).split(':')[0]}@sha256:${createHash('sha256').update(String(c.image)).digest('hex')}`,
          containerID: `containerd://${randomBytes(32).toString('hex')}`,
          ready,
          restartCount: crash ? 5 : 0,
          started: !crash,
          state: crash
            ? {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: `back-off 10s restarting failed container=${c.name} pod=${name}_${ns}(${uid})`,
                },
              }
            : { running: { startedAt: now } },
          lastState: crash
            ? {
                terminated: {
                  exitCode: 1,
                  reason: 'Error',
                  startedAt: now,
                  finishedAt: now,
                  containerID: `containerd://${randomBytes(32).toString('hex')}`,
                },
              }
            : {},
          volumeMounts: [],
        };
      }),
    };
    this.store.update('pods', next);
    if (behavior === 'crashloop') this.opts.onCrashLoop?.(next);
    const involved = this.withKind(next, 'v1', 'Pod');
    for (const c of containers) {
      this.recordEvent(
        involved,
        'Normal',
        'Pulled',
        `Container image "${c.image}" already present on machine`,
        'kubelet',
        next.spec.nodeName,
      );
      this.recordEvent(
        involved,
        'Normal',
        'Created',
        `Created container: ${c.name}`,
        'kubelet',
        next.spec.nodeName,
      );
      this.recordEvent(
        involved,
        'Normal',
        'Started',
        `Started container ${c.name}`,
        'kubelet',
        next.spec.nodeName,
      );
    }
    if (behavior === 'unready') {
      this.recordEvent(
        involved,
        'Warning',
        'Unhealthy',
        'Readiness probe failed: HTTP probe failed with statuscode: 503',
        'kubelet',
        next.spec.nodeName,
      );
    }
    if (behavior === 'crashloop') {
      this.recordEvent(
        involved,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${containers[0]?.name} in pod ${name}_${ns}(${uid})`,
        'kubelet',
        next.spec.nodeName,
      );
    }
    if (next.spec.restartPolicy && next.spec.restartPolicy !== 'Always' && behavior !== 'crashloop') {
      this.after(Math.max(this.opts.podStartMs * 2, 300), () => this.completePod(ns, name, uid));
    }
  }

  private completePod(ns: string, name: string, uid: string): void {
    const pod = this.store.get('pods', ns, name);
    if (!pod || pod.metadata.uid !== uid || pod.status?.phase !== 'Running') return;
    const now = rfc3339(this.api.clock());
    const next = clone(pod);
    next.status.phase = 'Succeeded';
    next.status.conditions = ((next.status.conditions ?? []) as JsonObject[]).map((c) =>
      c.type === 'Ready' || c.type === 'ContainersReady'
        ? { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: now }
        : c,
    );
    next.status.containerStatuses = ((next.status.containerStatuses ?? []) as JsonObject[]).map((s) => ({
      ...s,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: 0,
          reason: 'Completed',
          startedAt: s.state?.running?.startedAt ?? now,
          finishedAt: now,
          containerID: s.containerID,
        },
      },
    }));
    this.store.update('pods', next);
  }

  private withKind(o: JsonObject, apiVersion: string, kind: string): JsonObject {
    return { ...o, apiVersion, kind };
  }

  // ---- pod owners (ReplicaSet, StatefulSet, DaemonSet, Job) -------------------------------------------------------

  private reconcilePodOwner(kind: string, ns: string, name: string): void {
    const group = kind === 'Job' ? 'batch' : 'apps';
    const t = this.type(group, kind);
    const owner = this.store.get(t.storage, ns, name);
    if (!owner || owner.metadata.deletionTimestamp) return;
    const uid = owner.metadata.uid;
    const owned = this.store.peekAll('pods', ns).filter((p) => controllerOf(p)?.uid === uid);
    const live = owned.filter(active);
    const involved = this.withKind(owner, `${group}/v1`, kind);

    let desired: number;
    let names: (string | undefined)[] = [];
    let nodeFor: (string | undefined)[] = [];
    if (kind === 'DaemonSet') {
      const nodes = this.nodes().filter((n) => tolerates({ spec: owner.spec?.template?.spec ?? {} }, n));
      const have = new Set(live.map((p) => p.spec?.nodeName));
      nodeFor = nodes.map((n) => n.metadata.name).filter((n) => !have.has(n));
      desired = nodes.length;
      for (const p of live)
        if (!nodes.some((n) => n.metadata.name === p.spec?.nodeName)) this.deletePod(p, involved);
    } else if (kind === 'Job') {
      const succeeded = owned.filter((p) => p.status?.phase === 'Succeeded').length;
      const completions = owner.spec?.completions ?? 1;
      const parallelism = owner.spec?.parallelism ?? 1;
      desired = owner.spec?.suspend ? 0 : Math.min(parallelism, Math.max(0, completions - succeeded));
    } else {
      desired = owner.spec?.replicas ?? 1;
    }
    if (kind === 'StatefulSet') {
      const want = new Set(Array.from({ length: desired }, (_, i) => `${name}-${i}`));
      names = [...want].filter((n) => !live.some((p) => p.metadata.name === n));
      for (const p of live) if (!want.has(p.metadata.name)) this.deletePod(p, involved);
    } else if (kind !== 'DaemonSet') {
      const diff = desired - live.length;
      if (diff < 0) {
        const victims = [...live].sort((a, b) => {
          const ra = podReady(a) ? 1 : 0;
          const rb = podReady(b) ? 1 : 0;
          if (ra !== rb) return ra - rb;
          return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
        });
        for (const p of victims.slice(0, -diff)) this.deletePod(p, involved);
      }
      names = Array.from({ length: Math.max(0, diff) }, () => undefined);
    }
    const toCreate = kind === 'DaemonSet' ? nodeFor.map(() => undefined) : names;
    toCreate.forEach((podName, i) => {
      this.createPod(owner, kind, group, podName, kind === 'DaemonSet' ? nodeFor[i] : undefined, involved);
    });

    // status
    const now = this.store.peekAll('pods', ns).filter((p) => controllerOf(p)?.uid === uid);
    const running = now.filter(active);
    const ready = running.filter(podReady).length;
    const status: JsonObject = { ...(owner.status ?? {}) };
    if (kind === 'ReplicaSet' || kind === 'StatefulSet') {
      const labels = parseLabels(owner.spec?.selector);
      Object.assign(status, {
        replicas: running.length,
        fullyLabeledReplicas: running.filter((p) => matchLabels(labels, p.metadata.labels)).length,
        readyReplicas: ready,
        availableReplicas: ready,
        observedGeneration: owner.metadata.generation,
      });
      if (kind === 'StatefulSet') {
        Object.assign(status, {
          currentReplicas: running.length,
          updatedReplicas: running.length,
          currentRevision: `${name}-${podTemplateHash(owner.spec.template)}`,
          updateRevision: `${name}-${podTemplateHash(owner.spec.template)}`,
          collisionCount: 0,
        });
        delete status.fullyLabeledReplicas;
      }
      for (const k of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas'])
        if (status[k] === 0) delete status[k];
    } else if (kind === 'DaemonSet') {
      Object.assign(status, {
        currentNumberScheduled: running.length,
        desiredNumberScheduled: desired,
        numberMisscheduled: 0,
        numberReady: ready,
        numberAvailable: ready,
        updatedNumberScheduled: running.length,
        observedGeneration: owner.metadata.generation,
      });
    } else {
      const succeeded = now.filter((p) => p.status?.phase === 'Succeeded').length;
      const failed = now.filter((p) => p.status?.phase === 'Failed').length;
      const ts = rfc3339(this.api.clock());
      status.startTime ??= ts;
      status.active = running.length || undefined;
      status.ready = ready;
      status.succeeded = succeeded || undefined;
      status.failed = failed || undefined;
      status.terminating = 0;
      status.uncountedTerminatedPods = {};
      if (succeeded >= (owner.spec?.completions ?? 1) && !status.completionTime) {
        status.completionTime = ts;
        status.conditions = [
          {
            type: 'SuccessCriteriaMet',
            status: 'True',
            lastProbeTime: ts,
            lastTransitionTime: ts,
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
          {
            type: 'Complete',
            status: 'True',
            lastProbeTime: ts,
            lastTransitionTime: ts,
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
        ];
        this.recordEvent(involved, 'Normal', 'Completed', 'Job completed', 'job-controller');
      }
      for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
    }
    if (!deepEqual(status, owner.status ?? {})) {
      const next = clone(owner);
      next.status = status;
      this.api.update(t, ns, name, next, { ...CM, subresource: 'status' });
    }
  }

  private createPod(
    owner: JsonObject,
    kind: string,
    group: string,
    name: string | undefined,
    nodeName: string | undefined,
    involved: JsonObject,
  ): void {
    const template = clone(owner.spec?.template ?? {});
    const labels = { ...(template.metadata?.labels ?? {}) };
    if (kind === 'StatefulSet' && name) {
      labels['statefulset.kubernetes.io/pod-name'] = name;
      labels['apps.kubernetes.io/pod-index'] = name.slice(owner.metadata.name.length + 1);
      labels['controller-revision-hash'] = `${owner.metadata.name}-${podTemplateHash(owner.spec.template)}`;
    }
    const pod: JsonObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(name ? { name } : { generateName: `${owner.metadata.name}-` }),
        namespace: owner.metadata.namespace,
        labels,
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [
          {
            apiVersion: `${group}/v1`,
            kind,
            name: owner.metadata.name,
            uid: owner.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: template.spec ?? {},
    };
    if (kind === 'StatefulSet' && name) {
      pod.spec.hostname = name;
      if (owner.spec?.serviceName) pod.spec.subdomain = owner.spec.serviceName;
    }
    if (nodeName) {
      pod.spec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] },
            ],
          },
        },
      };
      pod.spec.nodeName = nodeName;
    }
    if (!name && kind !== 'StatefulSet') pod.metadata.name = `${owner.metadata.name}-${randomSuffix()}`;
    try {
      const res = this.api.create(this.type('', 'Pod'), owner.metadata.namespace, pod, {
        ...CM,
        fieldValidation: 'Ignore',
      });
      const component =
        kind === 'Job'
          ? 'job-controller'
          : kind === 'StatefulSet'
            ? 'statefulset-controller'
            : kind === 'DaemonSet'
              ? 'daemonset-controller'
              : 'replicaset-controller';
      const verb =
        kind === 'StatefulSet'
          ? `create Pod ${res.body.metadata.name} in StatefulSet ${owner.metadata.name} successful`
          : `Created pod: ${res.body.metadata.name}`;
      this.recordEvent(involved, 'Normal', 'SuccessfulCreate', verb, component);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.recordEvent(
        involved,
        'Warning',
        'FailedCreate',
        `Error creating: ${e.message}`,
        'replicaset-controller',
      );
    }
  }

  private deletePod(p: JsonObject, involved: JsonObject): void {
    try {
      this.api.delete(this.type('', 'Pod'), p.metadata.namespace, p.metadata.name, {}, CM);
      this.recordEvent(
        involved,
        'Normal',
        'SuccessfulDelete',
        `Deleted pod: ${p.metadata.name}`,
        'replicaset-controller',
      );
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  // ---- deployments ---------------------------------------------------------------------------------------------

  private reconcileDeployment(ns: string, name: string): void {
    const dt = this.type('apps', 'Deployment');
    const rst = this.type('apps', 'ReplicaSet');
    const d = this.store.get(dt.storage, ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const involved = this.withKind(d, 'apps/v1', 'Deployment');
    const desired = d.spec?.replicas ?? 1;
    const hash = podTemplateHash(d.spec.template);
    const all = this.store.peekAll(rst.storage, ns).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
    const revisionOf = (rs: JsonObject) =>
      Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const maxRevision = all.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
    let newRS = all.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const olds = all.filter((rs) => rs !== newRS);
    const recreate = d.spec?.strategy?.type === 'Recreate';
    const oldPods = olds.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);

    if (d.spec?.paused) {
      this.deploymentStatus(d, newRS, olds);
      return;
    }
    const annotations = (n: number) => ({
      ...(d.spec.template.metadata?.annotations ?? {}),
      'deployment.kubernetes.io/desired-replicas': String(desired),
      'deployment.kubernetes.io/max-replicas': String(desired + surge(d, desired)),
      'deployment.kubernetes.io/revision': String(n),
    });
    if (!newRS) {
      const template = clone(d.spec.template);
      template.metadata ??= {};
      template.metadata.labels = { ...(template.metadata.labels ?? {}), 'pod-template-hash': hash };
      const selector = clone(d.spec.selector);
      selector.matchLabels = { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash };
      const startReplicas = recreate && oldPods > 0 ? 0 : desired;
      const rs: JsonObject = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace: ns,
          labels: template.metadata.labels,
          annotations: annotations(maxRevision + 1),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name,
              uid: d.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: { replicas: startReplicas, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
      };
      try {
        newRS = this.api.create(rst, ns, rs, CM).body;
        if (startReplicas > 0) {
          this.recordEvent(
            involved,
            'Normal',
            'ScalingReplicaSet',
            `Scaled up replica set ${rs.metadata.name} from 0 to ${startReplicas}`,
            'deployment-controller',
          );
        }
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return;
      }
    } else {
      const wantRev = revisionOf(newRS) < maxRevision ? maxRevision + 1 : revisionOf(newRS);
      const target = recreate && oldPods > 0 ? 0 : desired;
      if (
        newRS.spec.replicas !== target ||
        revisionOf(newRS) !== wantRev ||
        newRS.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'] !== String(desired)
      ) {
        const next = clone(newRS);
        const from = next.spec.replicas;
        next.spec.replicas = target;
        next.metadata.annotations = { ...(next.metadata.annotations ?? {}), ...annotations(wantRev) };
        newRS = this.api.update(rst, ns, next.metadata.name, next, CM).body;
        if (from !== target) {
          const verb = target > from ? 'up' : 'down';
          this.recordEvent(
            involved,
            'Normal',
            'ScalingReplicaSet',
            `Scaled ${verb} replica set ${next.metadata.name} from ${from} to ${target}`,
            'deployment-controller',
          );
        }
      }
    }
    // Old replica sets shrink as the new one becomes available (Recreate: at once).
    const newAvailable = newRS?.status?.availableReplicas ?? 0;
    let budget = recreate ? 0 : Math.max(0, desired - newAvailable);
    for (const rs of [...olds].sort((a, b) => revisionOf(b) - revisionOf(a))) {
      const want = Math.min(rs.spec?.replicas ?? 0, budget);
      budget -= want;
      if ((rs.spec?.replicas ?? 0) !== want) {
        const next = clone(rs);
        const from = next.spec.replicas;
        next.spec.replicas = want;
        this.api.update(rst, ns, rs.metadata.name, next, CM);
        this.recordEvent(
          involved,
          'Normal',
          'ScalingReplicaSet',
          `Scaled down replica set ${rs.metadata.name} from ${from} to ${want}`,
          'deployment-controller',
        );
      }
    }
    // History limit.
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    const idle = olds
      .filter((rs) => (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      try {
        this.api.delete(rst, ns, rs.metadata.name, {}, CM);
      } catch {
        // already gone
      }
    }
    this.deploymentStatus(d, newRS, olds);
  }

  private deploymentStatus(d: JsonObject, newRS: JsonObject | undefined, oldsIn: JsonObject[]): void {
    const dt = this.type('apps', 'Deployment');
    const rst = this.type('apps', 'ReplicaSet');
    const ns = d.metadata.namespace;
    const olds = oldsIn
      .map((rs) => this.store.get(rst.storage, ns, rs.metadata.name))
      .filter((x): x is JsonObject => !!x);
    const fresh = newRS ? this.store.get(rst.storage, ns, newRS.metadata.name) : undefined;
    const all = [...(fresh ? [fresh] : []), ...olds];
    const sum = (f: (rs: JsonObject) => number) => all.reduce((n, rs) => n + f(rs), 0);
    const desired = d.spec?.replicas ?? 1;
    const replicas = sum((rs) => rs.status?.replicas ?? 0);
    const updated = fresh?.status?.replicas ?? 0;
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const maxUnavailable = unavailableAllowed(d, desired);
    const now = rfc3339(this.api.clock());
    const prevConds = (d.status?.conditions ?? []) as JsonObject[];
    const cond = (type: string, status: string, reason: string, message: string): JsonObject => {
      const prev = prevConds.find((c) => c.type === type);
      const changed = !prev || prev.status !== status;
      const sameReason = prev && prev.reason === reason && prev.message === message;
      return {
        type,
        status,
        lastUpdateTime: sameReason && !changed ? prev.lastUpdateTime : now,
        lastTransitionTime: changed ? now : prev.lastTransitionTime,
        reason,
        message,
      };
    };
    const complete =
      updated === desired && replicas === desired && available >= desired && fresh !== undefined;
    const rsName = fresh?.metadata?.name ?? '';
    const conditions = [
      available >= desired - maxUnavailable
        ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : cond(
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
          ),
      complete
        ? cond(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${rsName}" has successfully progressed.`,
          )
        : cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`),
    ];
    const status: JsonObject = {
      observedGeneration: d.metadata.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available) || Math.max(0, desired - available),
      conditions,
    };
    for (const k of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ]) {
      if (status[k] === 0) delete status[k];
    }
    const rev = fresh?.metadata?.annotations?.['deployment.kubernetes.io/revision'];
    const cur = this.store.get(dt.storage, ns, d.metadata.name);
    if (!cur) return;
    if (rev && cur.metadata.annotations?.['deployment.kubernetes.io/revision'] !== rev) {
      const next = clone(cur);
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        'deployment.kubernetes.io/revision': rev,
      };
      this.api.update(dt, ns, cur.metadata.name, next, CM);
    }
    const latest = this.store.get(dt.storage, ns, d.metadata.name)!;
    if (!deepEqual(stripTimes(latest.status ?? {}), stripTimes(status))) {
      const next = clone(latest);
      next.status = status;
      this.api.update(dt, ns, latest.metadata.name, next, { ...CM, subresource: 'status' });
    }
  }

  // ---- endpoints ----------------------------------------------------------------------------------------------

  // As the endpoints and endpointslice controllers do: each pod's ports are resolved on its own (a named
  // targetPort is looked up in that pod's containers, protocol included, as podutil.FindPort does); Endpoints
  // leaves out a pod none of whose ports resolve, and groups the others into subsets by port set; EndpointSlices
  // keep every pod, one slice per port set (an empty set when no port resolves), with each endpoint's node and
  // zone; a Service with no endpoints gets one placeholder slice whose endpoints and ports are null, as
  // protobuf storage returns empty lists.
  private reconcileEndpoints(ns: string): void {
    if (!this.store.get('namespaces', undefined, ns)) return;
    const pods = this.store.peekAll('pods', ns).filter((p) => p.status?.podIP && active(p));
    for (const svc of this.store.peekAll('services', ns)) {
      const sel = svc.spec?.selector as Record<string, string> | undefined;
      if (!sel || Object.keys(sel).length === 0) continue;
      const reqs = Object.entries(sel).map(([key, v]) => ({ key, op: '=' as const, values: [v] }));
      const selected = pods.filter((p) => matchLabels(reqs, p.metadata.labels));
      const groups = new Map<string, { ports: JsonObject[]; pods: JsonObject[] }>();
      for (const p of selected) {
        const ports = endpointPorts(svc, p);
        const key = JSON.stringify(ports);
        const group = groups.get(key) ?? { ports, pods: [] };
        group.pods.push(p);
        groups.set(key, group);
      }
      this.writeEndpoints(svc, [...groups.values()]);
      this.writeEndpointSlices(svc, groups);
    }
  }

  private writeEndpoints(svc: JsonObject, groups: { ports: JsonObject[]; pods: JsonObject[] }[]): void {
    const ns = svc.metadata.namespace as string;
    const epT = this.type('', 'Endpoints');
    const headless = svc.spec?.clusterIP === 'None' && (svc.spec?.ports ?? []).length === 0;
    const address = (p: JsonObject) => ({
      ip: p.status.podIP,
      nodeName: p.spec.nodeName,
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    });
    const publish = svc.spec?.publishNotReadyAddresses === true;
    const subsets: JsonObject[] = [];
    for (const g of groups) {
      if (g.ports.length === 0 && !headless) continue;
      const ready = g.pods.filter((p) => publish || podReady(p)).map(address);
      const notReady = g.pods.filter((p) => !publish && !podReady(p)).map(address);
      const s: JsonObject = {};
      if (ready.length) s.addresses = ready;
      if (notReady.length) s.notReadyAddresses = notReady;
      if (g.ports.length) s.ports = g.ports;
      subsets.push(s);
    }
    const labels = {
      ...(svc.metadata.labels ?? {}),
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    };
    const ep = this.store.get(epT.storage, ns, svc.metadata.name);
    const epBody: JsonObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: svc.metadata.name, namespace: ns, labels },
      ...(subsets.length ? { subsets } : {}),
    };
    if (!ep) this.api.create(epT, ns, epBody, { ...CM, fieldManager: 'kube-controller-manager' });
    else if (!deepEqual(ep.subsets, epBody.subsets) || !deepEqual(ep.metadata.labels, labels)) {
      const next: JsonObject = { ...clone(ep), subsets: epBody.subsets };
      if (!epBody.subsets) delete next.subsets;
      next.metadata.labels = labels;
      this.api.update(epT, ns, ep.metadata.name, next, CM);
    }
  }

  private writeEndpointSlices(
    svc: JsonObject,
    groups: Map<string, { ports: JsonObject[]; pods: JsonObject[] }>,
  ): void {
    const ns = svc.metadata.namespace as string;
    const sliceT = this.type('discovery.k8s.io', 'EndpointSlice');
    const publish = svc.spec?.publishNotReadyAddresses === true;
    const zoneOf = (node: string) =>
      this.store.get('nodes', undefined, node)?.metadata?.labels?.['topology.kubernetes.io/zone'] as
        | string
        | undefined;
    const endpoint = (p: JsonObject): JsonObject => {
      const zone = zoneOf(p.spec.nodeName);
      const named = p.spec.hostname && p.spec.subdomain === svc.metadata.name;
      return {
        addresses: [p.status.podIP],
        conditions: { ready: publish || podReady(p), serving: podReady(p), terminating: false },
        ...(named ? { hostname: p.spec.hostname } : {}),
        nodeName: p.spec.nodeName,
        targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
        ...(zone ? { zone } : {}),
      };
    };
    const desired = new Map<string, { endpoints: JsonObject[] | null; ports: JsonObject[] | null }>();
    for (const [key, g] of groups) {
      desired.set(`${svc.metadata.name}-${podTemplateHash({ svc: svc.metadata.uid, key }).slice(0, 5)}`, {
        endpoints: g.pods.map(endpoint),
        ports: g.ports.length
          ? g.ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol }))
          : null,
      });
    }
    if (desired.size === 0) {
      desired.set(`${svc.metadata.name}-${podTemplateHash({ svc: svc.metadata.uid }).slice(0, 5)}`, {
        endpoints: null,
        ports: null,
      });
    }
    for (const [name, want] of desired) {
      const slice = this.store.get(sliceT.storage, ns, name);
      if (slice && deepEqual(slice.endpoints, want.endpoints) && deepEqual(slice.ports, want.ports)) continue;
      const body: JsonObject = slice
        ? { ...clone(slice), ...want }
        : {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: {
              name,
              namespace: ns,
              generateName: `${svc.metadata.name}-`,
              labels: {
                'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
                'kubernetes.io/service-name': svc.metadata.name,
              },
              ownerReferences: [
                {
                  apiVersion: 'v1',
                  kind: 'Service',
                  name: svc.metadata.name,
                  uid: svc.metadata.uid,
                  controller: true,
                  blockOwnerDeletion: true,
                },
              ],
            },
            addressType: 'IPv4',
            ...want,
          };
      const opts = { ...CM, fieldManager: 'endpointslice-controller.k8s.io' };
      if (slice) this.api.update(sliceT, ns, name, body, opts);
      else this.api.create(sliceT, ns, body, opts);
    }
    for (const old of this.store.peekAll(sliceT.storage, ns)) {
      const labels = old.metadata?.labels ?? {};
      if (
        labels['kubernetes.io/service-name'] === svc.metadata.name &&
        labels['endpointslice.kubernetes.io/managed-by'] === 'endpointslice-controller.k8s.io' &&
        !desired.has(old.metadata.name)
      ) {
        this.api.delete(sliceT, ns, old.metadata.name, {}, CM);
      }
    }
  }
}

function parseLabels(sel: JsonObject | undefined) {
  return selectorRequirements(sel);
}

function stripTimes(s: JsonObject): JsonObject {
  const out = clone(s);
  for (const c of (out.conditions ?? []) as JsonObject[]) {
    delete c.lastUpdateTime;
    delete c.lastTransitionTime;
  }
  return out;
}

function percentOf(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) {
    const x = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  return 0;
}

function surge(d: JsonObject, desired: number): number {
  return percentOf(d.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%', desired, true);
}

function unavailableAllowed(d: JsonObject, desired: number): number {
  if (d.spec?.strategy?.type === 'Recreate') return 0;
  return percentOf(d.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%', desired, false);
}

/** A pod's ports for a Service, in the Service's order: those whose targetPort this pod resolves. */
function endpointPorts(svc: JsonObject, pod: JsonObject): JsonObject[] {
  const out: JsonObject[] = [];
  for (const sp of (svc.spec?.ports ?? []) as JsonObject[]) {
    const protocol = sp.protocol ?? 'TCP';
    const port = findPort(pod, sp.targetPort ?? sp.port, protocol);
    if (port === undefined) continue;
    const e: JsonObject = { port, protocol };
    if (sp.name) e.name = sp.name;
    if (sp.appProtocol) e.appProtocol = sp.appProtocol;
    out.push(e);
  }
  return out;
}

/** podutil.FindPort: a number is taken as is; a name must be a container port of the same protocol. */
function findPort(pod: JsonObject, target: unknown, protocol: string): number | undefined {
  if (typeof target === 'number') return target;
  for (const c of (pod.spec?.containers ?? []) as JsonObject[]) {
    for (const p of (c.ports ?? []) as JsonObject[]) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

export function qosClass(pod: JsonObject): string {
  const cs = (pod.spec?.containers ?? []) as JsonObject[];
  let any = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (!l || q !== l) guaranteed = false;
    }
  }
  if (guaranteed) return 'Guaranteed';
  return any ? 'Burstable' : 'BestEffort';
}

export { isObj, selectorString };
