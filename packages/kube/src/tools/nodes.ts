import { ANNOTATIONS, cursorOffset, page, pageOutput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, type KubeObject, TYPES } from '../client.js';
import { KubeApiError } from '../errors.js';
import {
  age,
  flag,
  formatCpu,
  formatMemory,
  kubePage,
  labelSelectorIn,
  namespaceFilterIn,
  pageIn,
  parseQuantity,
} from './common.js';
import { kubeTool } from './define.js';

interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: Array<{ key: string; effect: string; value?: string }> };
  status?: {
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
    nodeInfo?: { kubeletVersion?: string; osImage?: string; containerRuntimeVersion?: string };
    addresses?: Array<{ type: string; address: string }>;
    allocatable?: Record<string, string>;
    capacity?: Record<string, string>;
  };
}

const nodeRow = z.object({
  name: z.string(),
  status: z.string().describe('Ready, NotReady or Unknown, plus SchedulingDisabled when cordoned'),
  roles: z.string(),
  age: z.string(),
  version: z.string().optional(),
  internal_ip: z.string().optional(),
  cpu: z.string().optional().describe('Allocatable CPU'),
  memory: z.string().optional().describe('Allocatable memory'),
  pressure: z.array(z.string()).optional().describe('Conditions under pressure (MemoryPressure …)'),
  taints: z.array(z.string()).optional(),
  created: z.string().optional(),
});

function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const base = !ready
    ? 'Unknown'
    : ready.status === 'True'
      ? 'Ready'
      : ready.status === 'False'
        ? 'NotReady'
        : 'Unknown';
  return node.spec?.unschedulable ? `${base},SchedulingDisabled` : base;
}

function nodeRoles(node: Node): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  const legacy = node.metadata?.labels?.['kubernetes.io/role'];
  if (legacy) roles.push(legacy);
  return roles.length ? [...new Set(roles)].sort().join(',') : '<none>';
}

export const nodeList = kubeTool({
  name: 'node_list',
  title: 'List nodes',
  description: 'Nodes like `kubectl get nodes -o wide`, with pressure, allocatable CPU and memory, taints.',
  toolset: 'core',
  input: z.object({ label_selector: labelSelectorIn, ...pageIn({ defaultLimit: 500, maxLimit: 1000 }) }),
  output: z.object(pageOutput(nodeRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'nodes',
    narrowHint: 'filter by label_selector',
    columns: [
      { header: 'name', value: (n) => n.name },
      { header: 'status', value: (n) => n.status },
      { header: 'roles', value: (n) => n.roles },
      { header: 'age', value: (n) => n.age },
      { header: 'version', value: (n) => n.version },
      { header: 'internal-ip', value: (n) => n.internal_ip },
      { header: 'pressure', value: (n) => n.pressure },
      // shown, not only in structuredContent: a host may hand the model the text alone
      { header: 'cpu', value: (n) => n.cpu },
      { header: 'memory', value: (n) => n.memory },
      { header: 'taints', value: (n) => n.taints },
    ],
  },
  async handler(input, { client, signal }) {
    return kubePage(
      input,
      (opts) =>
        client.list<Node>(TYPES.nodes, {
          ...opts,
          ...(input.label_selector ? { labelSelector: input.label_selector } : {}),
          signal,
        }),
      (items) =>
        items.map((n) => {
          const pressure = (n.status?.conditions ?? [])
            .filter((c) => c.type !== 'Ready' && c.status === 'True')
            .map((c) => c.type);
          const taints = (n.spec?.taints ?? []).map(
            (t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`,
          );
          const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
          const created = n.metadata?.creationTimestamp;
          return {
            name: n.metadata?.name ?? '',
            status: nodeStatus(n),
            roles: nodeRoles(n),
            age: age(created),
            ...(n.status?.nodeInfo?.kubeletVersion ? { version: n.status.nodeInfo.kubeletVersion } : {}),
            ...(ip ? { internal_ip: ip } : {}),
            ...(n.status?.allocatable?.['cpu'] ? { cpu: n.status.allocatable['cpu'] } : {}),
            ...(n.status?.allocatable?.['memory'] ? { memory: n.status.allocatable['memory'] } : {}),
            ...(pressure.length ? { pressure } : {}),
            ...(taints.length ? { taints } : {}),
            ...(created ? { created } : {}),
          };
        }),
    );
  },
});

// ---- metrics -----------------------------------------------------------------------------------

interface Usage {
  cpu?: string;
  memory?: string;
}
interface NodeMetrics extends KubeObject {
  usage?: Usage;
}
interface PodMetrics extends KubeObject {
  containers?: Array<{ name: string; usage?: Usage }>;
}

/** Lists metrics, turning "no metrics API" into a clear error. */
async function listMetrics<T>(
  client: KubeClient,
  type: typeof TYPES.nodeMetrics | typeof TYPES.podMetrics,
  opts: { namespace?: string; labelSelector?: string; signal: AbortSignal },
): Promise<T[]> {
  try {
    return (await client.listAll<T>(type, { ...opts, max: 10_000 })).items;
  } catch (error) {
    // 404: no metrics.k8s.io group; 503: the aggregated API is registered but its backend is down.
    if (!(error instanceof KubeApiError && (error.code === 404 || error.code === 503))) throw error;
    throw new ToolError(`The metrics API (metrics.k8s.io) is not available on ${client.described}.`, {
      code: error instanceof KubeApiError ? `${error.code} ${error.reason}` : undefined,
      upstreamMessage: error instanceof Error ? error.message : undefined,
      next:
        'Usage figures need metrics-server (or another metrics.k8s.io provider) installed in the cluster. ' +
        'Meanwhile `node_list` shows allocatable capacity and `pod_list` restarts and status.',
    });
  }
}

const sortByIn = z.enum(['cpu', 'memory']).default('cpu').describe('Highest first');

const nodeUsageRow = z.object({
  name: z.string(),
  cpu: z.string().describe('CPU in use, millicores'),
  cpu_percent: z.number().optional().describe('Share of allocatable CPU'),
  memory: z.string().describe('Memory in use, MiB'),
  memory_percent: z.number().optional().describe('Share of allocatable memory'),
});

export const topNodes = kubeTool({
  name: 'top_nodes',
  title: 'Node usage',
  description: 'CPU and memory use of nodes (`kubectl top nodes`), busiest first.',
  toolset: 'diagnostics',
  input: z.object({
    sort_by: sortByIn,
    ...pageIn({ defaultLimit: 500, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(nodeUsageRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'nodes',
    columns: [
      { header: 'name', value: (n) => n.name },
      { header: 'cpu(cores)', value: (n) => n.cpu },
      { header: 'cpu%', value: (n) => (n.cpu_percent === undefined ? '' : `${n.cpu_percent}%`) },
      { header: 'memory(bytes)', value: (n) => n.memory },
      { header: 'memory%', value: (n) => (n.memory_percent === undefined ? '' : `${n.memory_percent}%`) },
    ],
  },
  async handler(input, { client, signal }) {
    const [metrics, nodes] = await Promise.all([
      listMetrics<NodeMetrics>(client, TYPES.nodeMetrics, { signal }),
      client
        .listAll<Node>(TYPES.nodes, { signal })
        .then((r) => r.items)
        .catch(() => [] as Node[]),
    ]);
    const allocatable = new Map(nodes.map((n) => [n.metadata?.name, n.status?.allocatable ?? {}]));
    const rows = metrics.map((m) => {
      const cpu = parseQuantity(m.usage?.cpu) ?? 0;
      const memory = parseQuantity(m.usage?.memory) ?? 0;
      const alloc = allocatable.get(m.metadata?.name);
      const cpuCap = parseQuantity(alloc?.['cpu']);
      const memCap = parseQuantity(alloc?.['memory']);
      return {
        name: m.metadata?.name ?? '',
        cpu: formatCpu(cpu),
        ...(cpuCap ? { cpu_percent: Math.round((cpu / cpuCap) * 100) } : {}),
        memory: formatMemory(memory),
        ...(memCap ? { memory_percent: Math.round((memory / memCap) * 100) } : {}),
        sort: input.sort_by === 'cpu' ? cpu : memory,
      };
    });
    rows.sort((a, b) => b.sort - a.sort);
    const items = rows.map(({ sort: _s, ...r }) => r);
    const offset = cursorOffset(input.cursor);
    return page(items.slice(offset, offset + input.limit), { offset, total: items.length });
  },
});

const podUsageRow = z.object({
  namespace: z.string(),
  name: z.string(),
  container: z.string().optional(),
  cpu: z.string().describe('CPU in use, millicores'),
  memory: z.string().describe('Memory in use, MiB'),
});

export const topPods = kubeTool({
  name: 'top_pods',
  title: 'Pod usage',
  description: 'CPU and memory use of pods (`kubectl top pods`), busiest first.',
  toolset: 'diagnostics',
  input: z.object({
    namespace: namespaceFilterIn,
    label_selector: labelSelectorIn,
    containers: flag('One row per container'),
    sort_by: sortByIn,
    ...pageIn({ defaultLimit: 100, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(podUsageRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'pods',
    narrowHint: 'filter by namespace or label_selector',
    columns: [
      { header: 'namespace', value: (p) => p.namespace, collapseWhenUniform: true },
      { header: 'name', value: (p) => p.name },
      { header: 'container', value: (p) => p.container },
      { header: 'cpu(cores)', value: (p) => p.cpu },
      { header: 'memory(bytes)', value: (p) => p.memory },
    ],
  },
  async handler(input, { client, signal }) {
    const metrics = await listMetrics<PodMetrics>(client, TYPES.podMetrics, {
      ...(input.namespace ? { namespace: input.namespace } : {}),
      ...(input.label_selector ? { labelSelector: input.label_selector } : {}),
      signal,
    });
    const rows: Array<z.input<typeof podUsageRow> & { c: number; m: number }> = [];
    for (const pm of metrics) {
      const base = { namespace: pm.metadata?.namespace ?? '', name: pm.metadata?.name ?? '' };
      const containers = pm.containers ?? [];
      if (input.containers) {
        for (const c of containers) {
          const cpu = parseQuantity(c.usage?.cpu) ?? 0;
          const memory = parseQuantity(c.usage?.memory) ?? 0;
          rows.push({
            ...base,
            container: c.name,
            cpu: formatCpu(cpu),
            memory: formatMemory(memory),
            c: cpu,
            m: memory,
          });
        }
      } else {
        const cpu = containers.reduce((n, c) => n + (parseQuantity(c.usage?.cpu) ?? 0), 0);
        const memory = containers.reduce((n, c) => n + (parseQuantity(c.usage?.memory) ?? 0), 0);
        rows.push({ ...base, cpu: formatCpu(cpu), memory: formatMemory(memory), c: cpu, m: memory });
      }
    }
    rows.sort((a, b) => (input.sort_by === 'cpu' ? b.c - a.c || b.m - a.m : b.m - a.m || b.c - a.c));
    const items = rows.map(({ c: _c, m: _m, ...r }) => r);
    const offset = cursorOffset(input.cursor);
    return page(items.slice(offset, offset + input.limit), { offset, total: items.length });
  },
});

export const nodeTools = [nodeList];
export const metricsTools = [topNodes, topPods];
