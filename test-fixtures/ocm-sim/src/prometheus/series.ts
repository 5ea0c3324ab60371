/**
 * The series a Prometheus scraping the simulated cluster would hold, derived from its current objects: the
 * kubelet's cAdvisor (per container and per pod cgroup), node-exporter (on nodes running its pod),
 * kube-state-metrics and Prometheus itself. Usage comes from kube-sim's metrics, so Prometheus agrees with
 * `kubectl top`; gauges are constant in time and counters grow linearly from their start.
 */
import { containerUsage, cpuNano, isRunning, memBytes, nodeUsage, type SimCluster } from 'kube-sim';
import type { Labels, SeriesData } from './promql/engine.js';

type KubeObject = ReturnType<SimCluster['store']['list']>[number];

const at = (iso: unknown, fallback: number) => (typeof iso === 'string' ? Date.parse(iso) : fallback);

/** Prometheus drops empty label values: a label is either set or absent. */
function seriesLabels(name: string, labels: Labels): Labels {
  return Object.fromEntries(Object.entries({ __name__: name, ...labels }).filter(([, v]) => v !== ''));
}

function gauge(name: string, labels: Labels, startMs: number, value: number): SeriesData {
  return { labels: seriesLabels(name, labels), startMs, valueAt: () => value };
}

/** A counter that was 0 at `originMs` and grows by `perSecond`; scraped from `startMs`. */
function counter(
  name: string,
  labels: Labels,
  startMs: number,
  originMs: number,
  perSecond: number,
): SeriesData {
  return {
    labels: seriesLabels(name, labels),
    startMs,
    valueAt: (ms) => (perSecond * (ms - originMs)) / 1000,
  };
}

function nodeIP(node: KubeObject): string {
  const addrs = (node.status?.addresses ?? []) as KubeObject[];
  return addrs.find((a) => a.type === 'InternalIP')?.address ?? '';
}

/** The pod cgroup cAdvisor reports besides its containers (cgroupfs layout). */
function podCgroup(pod: KubeObject): string {
  const qos = String(pod.status?.qosClass ?? 'BestEffort');
  const uid = String(pod.metadata.uid);
  return qos === 'Guaranteed' ? `/kubepods/pod${uid}` : `/kubepods/${qos.toLowerCase()}/pod${uid}`;
}

function cadvisor(node: KubeObject, pods: KubeObject[], bootMs: number): SeriesData[] {
  const target = {
    endpoint: 'https-metrics',
    instance: `${nodeIP(node)}:10250`,
    job: 'kubelet',
    metrics_path: '/metrics/cadvisor',
    node: node.metadata.name,
    service: 'kubelet',
  };
  const out = [gauge('up', { ...target, namespace: 'kube-system' }, bootMs, 1)];
  for (const pod of pods) {
    if (pod.spec?.nodeName !== node.metadata.name || !isRunning(pod)) continue;
    const podStart = at(pod.status?.startTime, at(pod.metadata.creationTimestamp, bootMs));
    const podLabels = { ...target, namespace: pod.metadata.namespace, pod: pod.metadata.name };
    const statuses = (pod.status?.containerStatuses ?? []) as KubeObject[];
    let cpu = 0;
    let mem = 0;
    for (const c of (pod.spec?.containers ?? []) as KubeObject[]) {
      const usage = containerUsage(pod, c);
      cpu += usage.cpu;
      mem += usage.mem;
      const started = at(statuses.find((s) => s.name === c.name)?.state?.running?.startedAt, podStart);
      const labels = { ...podLabels, container: c.name, image: String(c.image ?? '') };
      out.push(
        counter('container_cpu_usage_seconds_total', labels, started, started, usage.cpu / 1e9),
        gauge('container_memory_working_set_bytes', labels, started, usage.mem),
        gauge('container_memory_usage_bytes', labels, started, usage.mem + Math.floor(usage.mem / 4)),
      );
    }
    const cgroup = { ...podLabels, id: podCgroup(pod) };
    out.push(
      counter('container_cpu_usage_seconds_total', cgroup, podStart, podStart, cpu / 1e9),
      gauge('container_memory_working_set_bytes', cgroup, podStart, mem),
      gauge('container_memory_usage_bytes', cgroup, podStart, mem + Math.floor(mem / 4)),
    );
  }
  return out;
}

const CPU_MODES: [mode: string, shareOfBusy: number | undefined][] = [
  ['idle', undefined],
  ['system', 0.3],
  ['user', 0.7],
];

function nodeExporter(
  node: KubeObject,
  exporter: KubeObject,
  pods: KubeObject[],
  bootMs: number,
): SeriesData[] {
  const labels = {
    container: 'node-exporter',
    endpoint: 'metrics',
    instance: node.metadata.name,
    job: 'node-exporter',
    namespace: 'monitoring',
    pod: exporter.metadata.name,
    service: 'node-exporter',
  };
  const start = at(exporter.status?.startTime, bootMs);
  const capacity = node.status?.capacity ?? {};
  const total = memBytes(capacity.memory);
  const cpus = Math.max(1, Math.round(cpuNano(capacity.cpu) / 1e9));
  const usage = nodeUsage(node, pods);
  const busy = Math.min(1, usage.cpu / 1e9 / cpus);
  const out = [
    gauge('up', labels, start, 1),
    gauge('node_memory_MemTotal_bytes', labels, start, total),
    gauge('node_memory_MemAvailable_bytes', labels, start, total - Math.floor(usage.mem)),
  ];
  for (let cpu = 0; cpu < cpus; cpu++) {
    for (const [mode, share] of CPU_MODES) {
      const perSecond = share === undefined ? 1 - busy : share * busy;
      out.push(
        counter('node_cpu_seconds_total', { ...labels, cpu: String(cpu), mode }, start, bootMs, perSecond),
      );
    }
  }
  return out;
}

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

function kubeStateMetrics(pods: KubeObject[], birthMs: number): SeriesData[] {
  const target = {
    container: 'kube-state-metrics',
    endpoint: 'http-metrics',
    instance: 'kube-state-metrics.monitoring.svc:8080',
    job: 'kube-state-metrics',
    service: 'kube-state-metrics',
  };
  const out = [gauge('up', { ...target, namespace: 'monitoring' }, birthMs, 1)];
  for (const pod of pods) {
    const start = at(pod.metadata.creationTimestamp, birthMs);
    const ids = {
      ...target,
      namespace: pod.metadata.namespace,
      pod: pod.metadata.name,
      uid: pod.metadata.uid,
    };
    const owner = ((pod.metadata.ownerReferences ?? []) as KubeObject[]).find((o) => o.controller);
    out.push(
      gauge(
        'kube_pod_info',
        {
          ...ids,
          created_by_kind: owner?.kind ?? '<none>',
          created_by_name: owner?.name ?? '<none>',
          host_ip: String(pod.status?.hostIP ?? ''),
          host_network: String(pod.spec?.hostNetwork === true),
          node: String(pod.spec?.nodeName ?? ''),
          pod_ip: String(pod.status?.podIP ?? ''),
          priority_class: String(pod.spec?.priorityClassName ?? ''),
        },
        start,
        1,
      ),
    );
    for (const phase of PHASES) {
      out.push(gauge('kube_pod_status_phase', { ...ids, phase }, start, pod.status?.phase === phase ? 1 : 0));
    }
    for (const s of (pod.status?.containerStatuses ?? []) as KubeObject[]) {
      out.push(
        gauge(
          'kube_pod_container_status_restarts_total',
          { ...ids, container: s.name },
          start,
          s.restartCount ?? 0,
        ),
      );
    }
  }
  return out;
}

/** Every series of the cluster as it is now (a snapshot; one per query). */
export function clusterSeries(cluster: SimCluster): SeriesData[] {
  const pods = cluster.store.list('v1', 'Pod');
  const nodes = cluster.store.list('v1', 'Node');
  const now = Date.now();
  const birthMs = Math.min(now, ...nodes.map((n) => at(n.metadata.creationTimestamp, now)));
  const out: SeriesData[] = [gauge('up', { instance: 'localhost:9090', job: 'prometheus' }, birthMs, 1)];
  for (const node of nodes) {
    const bootMs = at(node.metadata.creationTimestamp, birthMs);
    out.push(...cadvisor(node, pods, bootMs));
    const exporter = pods.find(
      (p) =>
        p.metadata.labels?.app === 'node-exporter' && p.spec?.nodeName === node.metadata.name && isRunning(p),
    );
    if (exporter) out.push(...nodeExporter(node, exporter, pods, bootMs));
  }
  out.push(...kubeStateMetrics(pods, birthMs));
  return out;
}
