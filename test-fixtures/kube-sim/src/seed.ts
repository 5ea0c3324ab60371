/**
 * Seed data. Both seeds get the system namespaces, the bootstrap RBAC policy, the role bindings behind the
 * sim's tokens, three nodes and the `kubernetes` service. `realistic` adds workloads in team-a, team-b and
 * monitoring with the problems a person would investigate (a crash-looping pod, a pod failing readiness,
 * a privileged pod, hostPath mounts, a Pending claim), services with endpoints, ingresses, volumes, events,
 * secrets and config maps. Timestamps are in the past so ages look lived-in.
 */

import { createHash, randomUUID } from 'node:crypto';
import { rfc3339 } from './api.js';
import type { Cluster } from './cluster.js';
import { BEHAVIOR_ANNOTATION, podTemplateHash, qosClass } from './controllers.js';
import { healthyNodeConditions } from './node-status.js';
import type { JsonObject } from './patch.js';
import { bootstrapPolicy } from './rbac.js';
import { defaultPodSpec } from './strategy.js';
import type { SeedKind } from './types.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Ctx {
  c: Cluster;
  now: number;
  ips: Map<string, number>;
  nodes: { name: string; ip: string; cidr: string }[];
  rr: number;
}

const ts = (ctx: Ctx, ago: number) => rfc3339(new Date(ctx.now - ago));

function uidFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function put(ctx: Ctx, obj: JsonObject, ago = 10 * DAY): JsonObject {
  obj.metadata.creationTimestamp ??= ts(ctx, ago);
  obj.metadata.uid ??= uidFor(
    `${ctx.c.opts.name}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`,
  );
  return ctx.c.put(obj);
}

function podIP(ctx: Ctx, node: string): string {
  const n = ctx.nodes.find((x) => x.name === node)!;
  const [a, b, c] = n.cidr.split('/')[0]!.split('.').map(Number) as [number, number, number];
  const next = (ctx.ips.get(n.name) ?? 1) + 1;
  ctx.ips.set(n.name, next);
  return `${a}.${b}.${c + Math.floor(next / 250)}.${(next % 250) + 2}`;
}

function nextWorker(ctx: Ctx): string {
  const workers = ctx.nodes.slice(1);
  const n = workers[ctx.rr % workers.length]!;
  ctx.rr++;
  return n.name;
}

// ---- nodes -----------------------------------------------------------------------------------------------------

function node(ctx: Ctx, name: string, ip: string, cidr: string, controlPlane: boolean, ago: number): void {
  const hb = ts(ctx, 20_000);
  const since = ts(ctx, ago - MIN);
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'topology.kubernetes.io/zone': controlPlane ? 'zone-a' : name.endsWith('2') ? 'zone-b' : 'zone-a',
  };
  if (controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const capacity = {
    cpu: '4',
    'ephemeral-storage': '102626232Ki',
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: '16393216Ki',
    pods: '110',
  };
  put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels,
        annotations: {
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
      },
      spec: {
        podCIDR: cidr,
        podCIDRs: [cidr],
        providerID: `kind://docker/${ctx.c.opts.name}/${name}`,
        ...(controlPlane
          ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
          : {}),
      },
      status: {
        capacity,
        allocatable: { ...capacity, cpu: '3800m', memory: '15242240Ki' },
        conditions: healthyNodeConditions(hb, since),
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'Hostname', address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: createHash('md5').update(name).digest('hex'),
          systemUUID: uidFor(`node/${name}`),
          bootID: uidFor(`boot/${name}`),
          kernelVersion: '6.8.0-1021-azure',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          containerRuntimeVersion: 'containerd://2.1.3',
          kubeletVersion: 'v1.35.0',
          kubeProxyVersion: 'v1.35.0',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
        images: [],
      },
    },
    ago,
  );
}

// ---- pods and workloads --------------------------------------------------------------------------------------------

type Health = 'ready' | 'crashloop' | 'unready';

interface PodSpecInput {
  containers: JsonObject[];
  [k: string]: unknown;
}

function podStatus(
  ctx: Ctx,
  spec: JsonObject,
  nodeName: string,
  ago: number,
  health: Health,
  restarts = 0,
): JsonObject {
  const started = ts(ctx, ago - 5000);
  const ready = health === 'ready';
  const ip = spec.hostNetwork ? ctx.nodes.find((n) => n.name === nodeName)!.ip : podIP(ctx, nodeName);
  const names = ((spec.containers ?? []) as JsonObject[]).map((c) => c.name);
  const cond = (type: string, ok: boolean, at = started) => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: at,
    ...(ok
      ? {}
      : { reason: 'ContainersNotReady', message: `containers with unready status: [${names.join(' ')}]` }),
  });
  const lastCrash = ts(ctx, 3 * MIN);
  return {
    phase: 'Running',
    conditions: [
      cond('PodReadyToStartContainers', true),
      cond('Initialized', true),
      cond('Ready', ready, ready ? started : lastCrash),
      cond('ContainersReady', ready, ready ? started : lastCrash),
      cond('PodScheduled', true, ts(ctx, ago)),
    ],
    hostIP: ctx.nodes.find((n) => n.name === nodeName)!.ip,
    hostIPs: [{ ip: ctx.nodes.find((n) => n.name === nodeName)!.ip }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: ts(ctx, ago),
    containerStatuses: ((spec.containers ?? []) as JsonObject[]).map((c, i) => {
      const image = String(c.image);
      const base = {
        name: c.name,
        image: image.includes('/') ? image : `docker.io/library/${image}`,
        imageID: `${image.split(':')[0]}@sha256:${createHash('sha256').update(image).digest('hex')}`,
        containerID: `containerd://${createHash('sha256').update(`${nodeName}/${c.name}/${ago}/${i}`).digest('hex')}`,
      };
      if (health === 'crashloop' && i === 0) {
        return {
          ...base,
          ready: false,
          restartCount: restarts,
          started: false,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off 5m0s restarting failed container=${c.name} pod=PODNAME`,
            },
          },
          lastState: {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              startedAt: ts(ctx, 3 * MIN + 4000),
              finishedAt: lastCrash,
              containerID: base.containerID,
            },
          },
          volumeMounts: [],
        };
      }
      return {
        ...base,
        ready: health !== 'unready',
        restartCount: restarts,
        started: true,
        state: { running: { startedAt: started } },
        lastState: {},
        volumeMounts: [],
      };
    }),
    qosClass: qosClass({ spec }),
  };
}

function pod(
  ctx: Ctx,
  ns: string,
  name: string,
  specIn: PodSpecInput,
  opts: {
    labels?: Record<string, string>;
    owner?: JsonObject;
    ownerKind?: string;
    ownerApi?: string;
    nodeName?: string;
    ago?: number;
    health?: Health;
    restarts?: number;
    annotations?: Record<string, string>;
  } = {},
): JsonObject {
  const spec = structuredClone(specIn) as JsonObject;
  defaultPodSpec(spec);
  const nodeName = opts.nodeName ?? nextWorker(ctx);
  spec.nodeName = nodeName;
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  spec.tolerations ??= [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    },
  ];
  const ago = opts.ago ?? 2 * DAY;
  const status = podStatus(ctx, spec, nodeName, ago, opts.health ?? 'ready', opts.restarts ?? 0);
  for (const cs of status.containerStatuses as JsonObject[]) {
    if (cs.state?.waiting?.message)
      cs.state.waiting.message = String(cs.state.waiting.message).replace(
        'PODNAME',
        `${name}_${ns}(${uidFor(`${ctx.c.opts.name}/Pod/${ns}/${name}`)})`,
      );
  }
  const metadata: JsonObject = { name, namespace: ns, labels: opts.labels ?? {} };
  if (opts.annotations) metadata.annotations = opts.annotations;
  if (opts.owner) {
    metadata.generateName = `${opts.owner.metadata.name}-`;
    metadata.ownerReferences = [
      {
        apiVersion: opts.ownerApi ?? 'apps/v1',
        kind: opts.ownerKind ?? 'ReplicaSet',
        name: opts.owner.metadata.name,
        uid: opts.owner.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  }
  return put(ctx, { apiVersion: 'v1', kind: 'Pod', metadata, spec, status }, ago);
}

const SUFFIX = 'bcdfghjklmnpqrstvwxz2456789';
function suffix(key: string): string {
  const d = createHash('sha256').update(key).digest();
  let s = '';
  for (let i = 0; i < 5; i++) s += SUFFIX[d[i]! % SUFFIX.length];
  return s;
}

interface WorkloadOpts {
  replicas: number;
  labels?: Record<string, string>;
  health?: Health;
  restarts?: number;
  ago?: number;
  podAgo?: number;
  podAnnotations?: Record<string, string>;
  spec?: Partial<PodSpecInput>;
  annotations?: Record<string, string>;
}

function deployment(
  ctx: Ctx,
  ns: string,
  name: string,
  containers: JsonObject[],
  o: WorkloadOpts,
): { deploy: JsonObject; pods: JsonObject[] } {
  const labels = o.labels ?? { app: name };
  const template: JsonObject = {
    metadata: { labels: { ...labels }, ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}) },
    spec: { containers, ...(o.spec ?? {}) },
  };
  defaultPodSpec(template.spec);
  const ago = o.ago ?? 12 * DAY;
  const d = put(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace: ns,
        labels: { ...labels },
        annotations: { 'deployment.kubernetes.io/revision': '1', ...(o.annotations ?? {}) },
        generation: 1,
      },
      spec: {
        replicas: o.replicas,
        selector: { matchLabels: { ...labels } },
        template,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {},
    },
    ago,
  );
  const hash = podTemplateHash(d.spec.template);
  const rsTemplate = structuredClone(template);
  rsTemplate.metadata.labels['pod-template-hash'] = hash;
  const rs = put(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-${hash}`,
        namespace: ns,
        labels: { ...labels, 'pod-template-hash': hash },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(o.replicas),
          'deployment.kubernetes.io/max-replicas': String(o.replicas + Math.ceil(o.replicas / 4)),
          'deployment.kubernetes.io/revision': '1',
        },
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
        generation: 1,
      },
      spec: {
        replicas: o.replicas,
        selector: { matchLabels: { ...labels, 'pod-template-hash': hash } },
        template: rsTemplate,
      },
      status: {},
    },
    ago,
  );
  const pods: JsonObject[] = [];
  for (let i = 0; i < o.replicas; i++) {
    pods.push(
      pod(
        ctx,
        ns,
        `${rs.metadata.name}-${suffix(`${ctx.c.opts.name}/${rs.metadata.name}/${i}`)}`,
        rsTemplate.spec,
        {
          labels: rsTemplate.metadata.labels,
          owner: rs,
          ago: o.podAgo ?? 2 * DAY + i * HOUR,
          health: i === 0 ? (o.health ?? 'ready') : 'ready',
          restarts: i === 0 ? (o.restarts ?? 0) : 0,
          ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}),
        },
      ),
    );
  }
  return { deploy: d, pods };
}

function service(
  ctx: Ctx,
  ns: string,
  name: string,
  selector: Record<string, string> | undefined,
  ports: JsonObject[],
  extra: JsonObject = {},
): JsonObject {
  return put(ctx, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: selector ? { ...selector } : {} },
    spec: { ...(selector ? { selector } : {}), ports, ...extra },
  });
}

function event(
  ctx: Ctx,
  involved: JsonObject,
  type: string,
  reason: string,
  message: string,
  component: string,
  opts: { count?: number; firstAgo?: number; lastAgo?: number; host?: string; fieldPath?: string } = {},
): void {
  const ns = involved.metadata.namespace ?? 'default';
  const name = `${involved.metadata.name}.${createHash('sha256').update(`${reason}/${message}/${involved.metadata.uid}`).digest('hex').slice(0, 16)}`;
  put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: involved.metadata.name,
        namespace: involved.metadata.namespace,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
        ...(opts.fieldPath ? { fieldPath: opts.fieldPath } : {}),
      },
      reason,
      message,
      source: opts.host ? { component, host: opts.host } : { component },
      firstTimestamp: ts(ctx, opts.firstAgo ?? 10 * MIN),
      lastTimestamp: ts(ctx, opts.lastAgo ?? MIN),
      count: opts.count ?? 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: opts.host ?? '',
    },
    opts.firstAgo ?? 10 * MIN,
  );
}

// ---- seeds ---------------------------------------------------------------------------------------------------------

function base(ctx: Ctx): void {
  const c = ctx.c;
  for (const [ns, ago] of [
    ['default', 30 * DAY],
    ['kube-system', 30 * DAY],
    ['kube-public', 30 * DAY],
    ['kube-node-lease', 30 * DAY],
  ] as const) {
    put(
      ctx,
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
      ago,
    );
  }
  const { roles, bindings } = bootstrapPolicy();
  for (const r of roles) put(ctx, r, 30 * DAY);
  for (const b of bindings) put(ctx, b, 30 * DAY);
  const rbac = 'rbac.authorization.k8s.io';
  const crb = (name: string, role: string, user: string) =>
    put(ctx, {
      apiVersion: `${rbac}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: rbac, kind: 'User', name: user }],
    });
  crb('sim-viewer', 'view', 'viewer');
  crb('sim-editor', 'edit', 'editor');
  ctx.nodes = [
    { name: `${c.opts.name}-control-plane`, ip: `172.18.${c.opts.index}.2`, cidr: '10.244.0.0/20' },
    { name: `${c.opts.name}-worker`, ip: `172.18.${c.opts.index}.3`, cidr: '10.244.16.0/20' },
    { name: `${c.opts.name}-worker2`, ip: `172.18.${c.opts.index}.4`, cidr: '10.244.32.0/20' },
  ];
  ctx.nodes.forEach((n, i) => {
    node(ctx, n.name, n.ip, n.cidr, i === 0, 30 * DAY);
  });
  put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    },
    30 * DAY,
  );
  put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [
        { addresses: [{ ip: ctx.nodes[0]!.ip }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
      ],
    },
    30 * DAY,
  );
  // kept by the API server itself (its endpoint reconciler), not by the endpointslice controller
  put(
    ctx,
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'kubernetes.io/service-name': 'kubernetes' },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [ctx.nodes[0]!.ip], conditions: { ready: true } }],
      ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
    },
    30 * DAY,
  );
}

function namespaceBasics(ctx: Ctx, ns: string, ago: number): void {
  if (!['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(ns)) {
    put(
      ctx,
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      },
      ago,
    );
  }
  put(ctx, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } }, ago);
  put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'kube-root-ca.crt',
        namespace: ns,
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      },
      data: { 'ca.crt': ctx.c.pki.caPem },
    },
    ago,
  );
}

const probe = (path: string, port: number) => ({ httpGet: { path, port }, periodSeconds: 10 });

function realistic(ctx: Ctx): void {
  const c = ctx.c;
  for (const [ns, ago] of [
    ['team-a', 20 * DAY],
    ['team-b', 18 * DAY],
    ['monitoring', 25 * DAY],
  ] as const) {
    namespaceBasics(ctx, ns, ago);
  }
  put(
    ctx,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'team-a-admins', namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'team-a-admin' }],
    },
    20 * DAY,
  );

  // kube-system
  const cp = ctx.nodes[0]!.name;
  const coredns = deployment(
    ctx,
    'kube-system',
    'coredns',
    [
      {
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.12.1',
        args: ['-conf', '/etc/coredns/Corefile'],
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
        ],
        resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        livenessProbe: probe('/health', 8080),
        readinessProbe: probe('/ready', 8181),
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
          readOnlyRootFilesystem: true,
        },
      },
    ],
    {
      replicas: 2,
      labels: { 'k8s-app': 'kube-dns' },
      ago: 30 * DAY,
      podAgo: 30 * DAY,
      spec: { priorityClassName: 'system-cluster-critical', serviceAccountName: 'coredns' },
    },
  );
  void coredns;
  put(
    ctx,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: 'kube-system' } },
    30 * DAY,
  );
  put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'coredns', namespace: 'kube-system' },
      data: {
        Corefile:
          '.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n',
      },
    },
    30 * DAY,
  );
  service(
    ctx,
    'kube-system',
    'kube-dns',
    { 'k8s-app': 'kube-dns' },
    [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
    ],
    { clusterIP: '10.96.0.10' },
  );
  for (const comp of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    const image = comp === 'etcd' ? 'registry.k8s.io/etcd:3.6.4-0' : `registry.k8s.io/${comp}:v1.35.0`;
    const nodeObj = c.store.get('nodes', undefined, cp)!;
    pod(
      ctx,
      'kube-system',
      `${comp}-${cp}`,
      {
        containers: [{ name: comp, image, command: [comp] }],
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
        volumes: [
          { name: 'k8s-certs', hostPath: { path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate' } },
        ],
      },
      {
        labels: { component: comp, tier: 'control-plane' },
        owner: nodeObj,
        ownerKind: 'Node',
        ownerApi: 'v1',
        nodeName: cp,
        ago: 30 * DAY,
        annotations: { 'kubernetes.io/config.source': 'file' },
      },
    );
  }
  const kubeProxy = put(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: 'kube-proxy',
        namespace: 'kube-system',
        labels: { 'k8s-app': 'kube-proxy' },
        generation: 1,
      },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-proxy' } },
          spec: {
            hostNetwork: true,
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
            containers: [
              {
                name: 'kube-proxy',
                image: 'registry.k8s.io/kube-proxy:v1.35.0',
                command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'],
                securityContext: { privileged: true },
              },
            ],
          },
        },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
      status: {},
    },
    30 * DAY,
  );
  for (const n of ctx.nodes) {
    pod(
      ctx,
      'kube-system',
      `kube-proxy-${suffix(`${c.opts.name}/kube-proxy/${n.name}`)}`,
      kubeProxy.spec.template.spec,
      {
        labels: { 'k8s-app': 'kube-proxy' },
        owner: kubeProxy,
        ownerKind: 'DaemonSet',
        nodeName: n.name,
        ago: 30 * DAY,
      },
    );
  }
  deployment(
    ctx,
    'kube-system',
    'metrics-server',
    [
      {
        name: 'metrics-server',
        image: 'registry.k8s.io/metrics-server/metrics-server:v0.8.0',
        args: ['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-preferred-address-types=InternalIP'],
        ports: [{ name: 'https', containerPort: 10250, protocol: 'TCP' }],
        resources: { requests: { cpu: '100m', memory: '200Mi' } },
      },
    ],
    { replicas: 1, labels: { 'k8s-app': 'metrics-server' }, ago: 29 * DAY, podAgo: 29 * DAY },
  );

  // team-a: a healthy web tier, an API that crash-loops, a database with a volume
  const web = deployment(
    ctx,
    'team-a',
    'web',
    [
      {
        name: 'nginx',
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        readinessProbe: probe('/', 80),
        livenessProbe: probe('/', 80),
        volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/conf.d' }],
      },
    ],
    {
      replicas: 3,
      labels: { app: 'web', tier: 'frontend' },
      spec: { volumes: [{ name: 'config', configMap: { name: 'web-config' } }] },
    },
  );
  put(ctx, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'web-config', namespace: 'team-a', labels: { app: 'web' } },
    data: {
      'default.conf': 'server {\n  listen 80;\n  location / {\n    proxy_pass http://api:8080;\n  }\n}\n',
    },
  });
  service(ctx, 'team-a', 'web', { app: 'web', tier: 'frontend' }, [
    { name: 'http', port: 80, targetPort: 'http' },
  ]);
  const api = deployment(
    ctx,
    'team-a',
    'api',
    [
      {
        name: 'api',
        image: 'ghcr.io/acme/orders-api:2.3.1',
        ports: [{ name: 'http', containerPort: 8080 }],
        env: [
          { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'url' } } },
          { name: 'LOG_LEVEL', value: 'info' },
        ],
        resources: { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '250m', memory: '256Mi' } },
        readinessProbe: probe('/healthz', 8080),
      },
    ],
    { replicas: 2, labels: { app: 'api' }, health: 'crashloop', restarts: 14 },
  );
  service(ctx, 'team-a', 'api', { app: 'api' }, [{ name: 'http', port: 8080, targetPort: 'http' }]);
  const crashPod = api.pods[0]!;
  c.logs.set(
    'team-a',
    crashPod.metadata.name,
    'api',
    [
      '{"level":"info","msg":"starting orders-api","version":"2.3.1"}',
      '{"level":"info","msg":"connecting to database","host":"postgres.team-a.svc"}',
      '{"level":"error","msg":"database connection failed","error":"FATAL: password authentication failed for user \\"orders\\""}',
      'panic: failed to initialise storage: FATAL: password authentication failed for user "orders"',
      '',
      'goroutine 1 [running]:',
      'main.main()',
      '\t/src/cmd/api/main.go:58 +0x2a5',
    ],
    [
      '{"level":"info","msg":"starting orders-api","version":"2.3.1"}',
      '{"level":"info","msg":"connecting to database","host":"postgres.team-a.svc"}',
      '{"level":"error","msg":"database connection failed","error":"FATAL: password authentication failed for user \\"orders\\""}',
      'panic: failed to initialise storage: FATAL: password authentication failed for user "orders"',
      '',
      'goroutine 1 [running]:',
      'main.main()',
      '\t/src/cmd/api/main.go:58 +0x2a5',
      'exit status 2',
    ],
    ctx.now - 3 * MIN - 4000,
  );
  const nodeOf = (p: JsonObject) => p.spec.nodeName as string;
  event(
    ctx,
    crashPod,
    'Warning',
    'BackOff',
    'Back-off restarting failed container api in pod ' +
      `${crashPod.metadata.name}_team-a(${crashPod.metadata.uid})`,
    'kubelet',
    {
      count: 187,
      firstAgo: 2 * DAY,
      lastAgo: 40_000,
      host: nodeOf(crashPod),
      fieldPath: 'spec.containers{api}',
    },
  );
  event(
    ctx,
    crashPod,
    'Normal',
    'Pulled',
    'Container image "ghcr.io/acme/orders-api:2.3.1" already present on machine',
    'kubelet',
    {
      count: 14,
      firstAgo: 2 * DAY,
      lastAgo: 3 * MIN,
      host: nodeOf(crashPod),
      fieldPath: 'spec.containers{api}',
    },
  );
  put(ctx, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db-credentials', namespace: 'team-a', labels: { app: 'api' } },
    type: 'Opaque',
    data: {
      username: Buffer.from('orders').toString('base64'),
      password: Buffer.from('s3cr3t-Pa55').toString('base64'),
      url: Buffer.from('postgres://orders:s3cr3t-Pa55@postgres.team-a.svc:5432/orders').toString('base64'),
    },
  });
  put(ctx, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'web-tls', namespace: 'team-a' },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(c.pki.certPem).toString('base64'),
      'tls.key': Buffer.from(
        '-----BEGIN PRIVATE KEY-----\nREDACTED-BY-KUBE-SIM\n-----END PRIVATE KEY-----\n',
      ).toString('base64'),
    },
  });
  put(
    ctx,
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    25 * DAY,
  );
  put(ctx, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'team-a', generation: 1 },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'], secretName: 'web-tls' }],
      rules: [
        {
          host: 'shop.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } },
              {
                path: '/api',
                pathType: 'Prefix',
                backend: { service: { name: 'api', port: { number: 8080 } } },
              },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } },
  });
  put(
    ctx,
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    30 * DAY,
  );
  const pvName = `pvc-${uidFor(`${c.opts.name}/pvc/postgres`)}`;
  const pvc = put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'data-postgres-0',
        namespace: 'team-a',
        labels: { app: 'postgres' },
        annotations: {
          'pv.kubernetes.io/bind-completed': 'yes',
          'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
        },
        finalizers: ['kubernetes.io/pvc-protection'],
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        volumeName: pvName,
      },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } },
    },
    15 * DAY,
  );
  put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name: pvName,
        annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' },
        finalizers: ['kubernetes.io/pv-protection'],
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '10Gi' },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: 'data-postgres-0',
          namespace: 'team-a',
          uid: pvc.metadata.uid,
        },
        hostPath: {
          path: `/var/local-path-provisioner/${pvName}_team-a_data-postgres-0`,
          type: 'DirectoryOrCreate',
        },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    },
    15 * DAY,
  );
  const pgTemplate = {
    metadata: { labels: { app: 'postgres' } },
    spec: {
      containers: [
        {
          name: 'postgres',
          image: 'postgres:16.4',
          ports: [{ name: 'postgres', containerPort: 5432 }],
          env: [
            {
              name: 'POSTGRES_PASSWORD',
              valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } },
            },
          ],
          volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
          resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        },
      ],
    },
  };
  defaultPodSpec(pgTemplate.spec as JsonObject);
  const sts = put(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'postgres', namespace: 'team-a', labels: { app: 'postgres' }, generation: 1 },
      spec: {
        replicas: 1,
        serviceName: 'postgres',
        selector: { matchLabels: { app: 'postgres' } },
        template: pgTemplate,
        volumeClaimTemplates: [
          {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
          },
        ],
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
      status: {},
    },
    15 * DAY,
  );
  const pgSpec = structuredClone(pgTemplate.spec) as JsonObject;
  pgSpec.hostname = 'postgres-0';
  pgSpec.subdomain = 'postgres';
  pgSpec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data-postgres-0' } }];
  pod(ctx, 'team-a', 'postgres-0', pgSpec as PodSpecInput, {
    labels: {
      app: 'postgres',
      'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': `postgres-${podTemplateHash(sts.spec.template)}`,
      'statefulset.kubernetes.io/pod-name': 'postgres-0',
    },
    owner: sts,
    ownerKind: 'StatefulSet',
    ago: 15 * DAY,
  });
  service(
    ctx,
    'team-a',
    'postgres',
    { app: 'postgres' },
    [{ name: 'postgres', port: 5432, targetPort: 5432 }],
    { clusterIP: 'None' },
  );

  // team-b: a checkout service failing readiness, a privileged debug pod, a Pending claim, a CronJob
  const checkout = deployment(
    ctx,
    'team-b',
    'checkout',
    [
      {
        name: 'checkout',
        image: 'ghcr.io/acme/checkout:1.8.0',
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 3 },
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      },
    ],
    {
      replicas: 1,
      labels: { app: 'checkout' },
      health: 'unready',
      podAgo: 45 * MIN,
      podAnnotations: { [BEHAVIOR_ANNOTATION]: 'unready' },
    },
  );
  service(ctx, 'team-b', 'checkout', { app: 'checkout' }, [{ name: 'http', port: 80, targetPort: 8080 }], {
    type: 'LoadBalancer',
  });
  networkProblems(ctx);
  const cp0 = checkout.pods[0]!;
  event(
    ctx,
    cp0,
    'Warning',
    'Unhealthy',
    'Readiness probe failed: HTTP probe failed with statuscode: 503',
    'kubelet',
    {
      count: 42,
      firstAgo: 44 * MIN,
      lastAgo: 20_000,
      host: nodeOf(cp0),
      fieldPath: 'spec.containers{checkout}',
    },
  );
  c.logs.set(
    'team-b',
    cp0.metadata.name,
    'checkout',
    [
      '{"level":"info","msg":"checkout service starting","port":8080}',
      '{"level":"warn","msg":"payment gateway unreachable, retrying","gateway":"payments.example.net:443"}',
      '{"level":"warn","msg":"readiness check failed","reason":"payment gateway unreachable"}',
      '{"level":"warn","msg":"readiness check failed","reason":"payment gateway unreachable"}',
    ],
    undefined,
    ctx.now - 45 * MIN,
  );
  pod(
    ctx,
    'team-b',
    'debug-shell',
    {
      containers: [
        {
          name: 'shell',
          image: 'busybox:1.36',
          command: ['sleep', 'infinity'],
          securityContext: { privileged: true, runAsUser: 0 },
        },
      ],
      hostPID: true,
      restartPolicy: 'Always',
    },
    { labels: { run: 'debug-shell' }, ago: 3 * HOUR },
  );
  put(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'scratch', namespace: 'team-b', finalizers: ['kubernetes.io/pvc-protection'] },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '50Gi' } },
        storageClassName: 'fast-ssd',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Pending' },
    },
    5 * HOUR,
  );
  const scratch = c.store.get('persistentvolumeclaims', 'team-b', 'scratch')!;
  event(
    ctx,
    { ...scratch, apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
    'Warning',
    'ProvisioningFailed',
    'storageclass.storage.k8s.io "fast-ssd" not found',
    'persistentvolume-controller',
    { count: 1203, firstAgo: 5 * HOUR, lastAgo: 15_000 },
  );
  const cron = put(
    ctx,
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly-report', namespace: 'team-b', generation: 1 },
      spec: {
        schedule: '0 2 * * *',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'report', image: 'ghcr.io/acme/reporter:0.9.3', args: ['--since=24h'] }],
              },
            },
          },
        },
      },
      status: { lastScheduleTime: ts(ctx, 9 * HOUR), lastSuccessfulTime: ts(ctx, 9 * HOUR - 2 * MIN) },
    },
    18 * DAY,
  );
  const jobName = `nightly-report-${Math.floor((ctx.now - 9 * HOUR) / 60000)}`;
  const jobUid = uidFor(`${c.opts.name}/Job/team-b/${jobName}`);
  const jobLabels = {
    'batch.kubernetes.io/controller-uid': jobUid,
    'batch.kubernetes.io/job-name': jobName,
    'controller-uid': jobUid,
    'job-name': jobName,
  };
  const jobTemplate = {
    metadata: { labels: jobLabels },
    spec: structuredClone(cron.spec.jobTemplate.spec.template.spec),
  };
  defaultPodSpec(jobTemplate.spec);
  const job = put(
    ctx,
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: jobName,
        namespace: 'team-b',
        uid: jobUid,
        labels: jobLabels,
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: 'nightly-report',
            uid: cron.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        generation: 1,
      },
      spec: {
        parallelism: 1,
        completions: 1,
        backoffLimit: 2,
        completionMode: 'NonIndexed',
        suspend: false,
        podReplacementPolicy: 'TerminatingOrFailed',
        manualSelector: false,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': jobUid } },
        template: jobTemplate,
      },
      status: {
        startTime: ts(ctx, 9 * HOUR),
        completionTime: ts(ctx, 9 * HOUR - 2 * MIN),
        succeeded: 1,
        ready: 0,
        terminating: 0,
        uncountedTerminatedPods: {},
        conditions: [
          {
            type: 'SuccessCriteriaMet',
            status: 'True',
            lastProbeTime: ts(ctx, 9 * HOUR - 2 * MIN),
            lastTransitionTime: ts(ctx, 9 * HOUR - 2 * MIN),
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
          {
            type: 'Complete',
            status: 'True',
            lastProbeTime: ts(ctx, 9 * HOUR - 2 * MIN),
            lastTransitionTime: ts(ctx, 9 * HOUR - 2 * MIN),
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
        ],
      },
    },
    9 * HOUR,
  );
  const jp = pod(ctx, 'team-b', `${jobName}-${suffix(jobName)}`, jobTemplate.spec as PodSpecInput, {
    labels: jobLabels,
    owner: job,
    ownerKind: 'Job',
    ownerApi: 'batch/v1',
    ago: 9 * HOUR,
  });
  const done = structuredClone(jp);
  done.status.phase = 'Succeeded';
  done.status.conditions = (done.status.conditions as JsonObject[]).map((x) =>
    x.type === 'Ready' || x.type === 'ContainersReady'
      ? { ...x, status: 'False', reason: 'PodCompleted' }
      : x,
  );
  done.status.containerStatuses = (done.status.containerStatuses as JsonObject[]).map((s) => ({
    ...s,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        startedAt: ts(ctx, 9 * HOUR - 5000),
        finishedAt: ts(ctx, 9 * HOUR - 2 * MIN),
        containerID: s.containerID,
      },
    },
  }));
  c.store.update('pods', done);

  // monitoring: prometheus and a node-exporter DaemonSet with hostPath mounts
  deployment(
    ctx,
    'monitoring',
    'prometheus',
    [
      {
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v3.5.0',
        args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.retention.time=15d'],
        ports: [{ name: 'web', containerPort: 9090 }],
        resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
      },
    ],
    { replicas: 1, labels: { app: 'prometheus' }, ago: 25 * DAY, podAgo: 6 * DAY },
  );
  service(ctx, 'monitoring', 'prometheus', { app: 'prometheus' }, [
    { name: 'web', port: 9090, targetPort: 'web' },
  ]);
  const ne = put(
    ctx,
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: 'node-exporter',
        namespace: 'monitoring',
        labels: { app: 'node-exporter' },
        generation: 1,
      },
      spec: {
        selector: { matchLabels: { app: 'node-exporter' } },
        template: {
          metadata: { labels: { app: 'node-exporter' } },
          spec: {
            hostNetwork: true,
            hostPID: true,
            containers: [
              {
                name: 'node-exporter',
                image: 'quay.io/prometheus/node-exporter:v1.9.1',
                args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root'],
                ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }],
                volumeMounts: [
                  { name: 'proc', mountPath: '/host/proc', readOnly: true },
                  { name: 'sys', mountPath: '/host/sys', readOnly: true },
                  {
                    name: 'root',
                    mountPath: '/host/root',
                    readOnly: true,
                    mountPropagation: 'HostToContainer',
                  },
                ],
              },
            ],
            volumes: [
              { name: 'proc', hostPath: { path: '/proc' } },
              { name: 'sys', hostPath: { path: '/sys' } },
              { name: 'root', hostPath: { path: '/' } },
            ],
          },
        },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      },
      status: {},
    },
    25 * DAY,
  );
  for (const n of ctx.nodes.slice(1)) {
    pod(ctx, 'monitoring', `node-exporter-${suffix(`${c.opts.name}/ne/${n.name}`)}`, ne.spec.template.spec, {
      labels: { app: 'node-exporter' },
      owner: ne,
      ownerKind: 'DaemonSet',
      nodeName: n.name,
      ago: 6 * DAY,
    });
  }

  // recent activity
  for (const p of web.pods) {
    event(
      ctx,
      p,
      'Normal',
      'Scheduled',
      `Successfully assigned team-a/${p.metadata.name} to ${nodeOf(p)}`,
      'default-scheduler',
      { firstAgo: 2 * DAY, lastAgo: 2 * DAY },
    );
  }
  event(
    ctx,
    web.deploy,
    'Normal',
    'ScalingReplicaSet',
    `Scaled up replica set web-${podTemplateHash(web.deploy.spec.template)} from 0 to 3`,
    'deployment-controller',
    { firstAgo: 12 * DAY, lastAgo: 12 * DAY },
  );
}

// Services and an Ingress with the broken links people chase: a targetPort name no container has, a selector
// no pod matches, a backend Service that does not exist, a port name the Service lacks, a TLS Secret that is
// missing. Plus a Service without a selector whose Endpoints are kept by hand (mirrored into a slice).
function networkProblems(ctx: Ctx): void {
  service(ctx, 'team-a', 'web-metrics', { app: 'web', tier: 'frontend' }, [
    { name: 'metrics', port: 9113, protocol: 'TCP', targetPort: 'metrics' },
  ]);
  service(ctx, 'team-a', 'external-db', undefined, [
    { name: 'postgres', port: 5432, protocol: 'TCP', targetPort: 5432 },
  ]);
  put(ctx, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'external-db', namespace: 'team-a' },
    subsets: [
      { addresses: [{ ip: '10.20.0.15' }], ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }] },
    ],
  });
  put(ctx, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `external-db-${suffix(`${ctx.c.opts.name}/external-db`)}`,
      namespace: 'team-a',
      generateName: 'external-db-',
      labels: {
        'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
        'kubernetes.io/service-name': 'external-db',
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          name: 'external-db',
          uid: ctx.c.store.get('endpoints', 'team-a', 'external-db')!.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.20.0.15'], conditions: { ready: true } }],
    ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
  });
  service(ctx, 'team-b', 'cart', { app: 'cart' }, [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
  ]);
  const backend = (name: string, port: JsonObject) => ({ service: { name, port } });
  put(ctx, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'checkout', namespace: 'team-b', generation: 1 },
    spec: {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['checkout.example.com'], secretName: 'checkout-tls' }],
      rules: [
        {
          host: 'checkout.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: backend('checkout', { number: 80 }) },
              { path: '/cart', pathType: 'Prefix', backend: backend('cart', { number: 80 }) },
              { path: '/payments', pathType: 'Prefix', backend: backend('payments', { number: 8080 }) },
              { path: '/admin', pathType: 'Exact', backend: backend('checkout', { name: 'admin' }) },
            ],
          },
        },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } },
  });
}

function benchPods(ctx: Ctx, count: number): void {
  if (count <= 0) return;
  namespaceBasics(ctx, 'bench', DAY);
  const images = ['nginx:1.27', 'redis:7.4', 'ghcr.io/acme/worker:3.1.0', 'postgres:16.4'];
  for (let i = 0; i < count; i++) {
    const name = `bench-pod-${String(i).padStart(4, '0')}`;
    const image = images[i % images.length]!;
    const health: Health = i % 50 === 7 ? 'crashloop' : i % 25 === 3 ? 'unready' : 'ready';
    pod(
      ctx,
      'bench',
      name,
      {
        containers: [
          {
            name: 'main',
            image,
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
          },
        ],
      },
      {
        labels: { app: `bench-${i % 10}`, 'bench.kube-sim.io/index': String(i) },
        ago: HOUR + i * 1000,
        health,
        restarts: health === 'crashloop' ? 3 + (i % 7) : 0,
      },
    );
  }
}

export function seedCluster(c: Cluster, kind: SeedKind, extraPods: number): void {
  const ctx: Ctx = { c, now: Date.now(), ips: new Map(), nodes: [], rr: 0 };
  base(ctx);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
    namespaceBasics(ctx, ns, 30 * DAY);
  if (kind === 'realistic') realistic(ctx);
  benchPods(ctx, extraPods);
  void randomUUID;
}
