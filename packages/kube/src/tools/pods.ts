import { ANNOTATIONS, badInput, pageInput, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, TYPES } from '../client.js';
import { lastRestart, type Pod, podStatus, readyCount, restarts, workloadOf } from '../pods.js';
import {
  age,
  clean,
  fieldSelectorIn,
  kubePage,
  labelSelectorIn,
  namespaceFilterIn,
  namespaceIn,
  objectSchema,
  withSuggestions,
} from './common.js';
import { kubeTool } from './define.js';
import { eventRow, eventRows, listEvents } from './events.js';
import { kubeletUnreachable } from './log-hints.js';
import { deleteResult } from './resources.js';

export const podRow = z.object({
  name: z.string(),
  namespace: z.string(),
  ready: z.string().describe('Ready containers / all containers'),
  status: z.string().describe('As `kubectl get pods` shows it: Running, CrashLoopBackOff, Pending …'),
  restarts: z.number().int(),
  last_restart: z.string().optional().describe('How long ago the last restart was'),
  age: z.string(),
  node: z.string().optional(),
  ip: z.string().optional(),
  workload: z.string().optional().describe('Owning workload, e.g. Deployment/web'),
  created: z.string().optional(),
});
export type PodRow = z.input<typeof podRow>;

export function toPodRow(pod: Pod): PodRow {
  const last = lastRestart(pod);
  const created = pod.metadata?.creationTimestamp;
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    ready: readyCount(pod),
    status: podStatus(pod),
    restarts: restarts(pod),
    ...(last ? { last_restart: age(last) } : {}),
    age: age(created),
    ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
    ...(pod.status?.podIP ? { ip: pod.status.podIP } : {}),
    workload: workloadOf(pod),
    ...(created ? { created } : {}),
  };
}

export const podList = kubeTool({
  name: 'pod_list',
  title: 'List pods',
  description:
    'Lists pods as `kubectl get pods` shows them: namespace, name, READY, STATUS (CrashLoopBackOff, ' +
    'Pending …), RESTARTS, AGE, NODE. All namespaces unless `namespace` is given; filter by label or field ' +
    'selector; page with `cursor`. Next: `pod_get` or `pod_logs` for one pod, `pods_not_ready` to see why ' +
    'pods are failing.',
  toolset: 'workloads',
  input: z.object({
    namespace: namespaceFilterIn,
    label_selector: labelSelectorIn,
    field_selector: fieldSelectorIn,
    ...pageInput({ defaultLimit: 200, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(podRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'pods',
    narrowHint: 'filter by namespace, label_selector or field_selector',
    columns: [
      { header: 'namespace', value: (p) => p.namespace, collapseWhenUniform: true },
      { header: 'name', value: (p) => p.name },
      { header: 'ready', value: (p) => p.ready },
      { header: 'status', value: (p) => p.status },
      {
        header: 'restarts',
        value: (p) => (p.last_restart ? `${p.restarts} (${p.last_restart} ago)` : p.restarts),
      },
      { header: 'age', value: (p) => p.age },
      { header: 'node', value: (p) => p.node },
    ],
  },
  async handler(input, { client, signal }) {
    return kubePage(
      input,
      (opts) =>
        client.list<Pod>(TYPES.pods, {
          ...opts,
          ...(input.namespace ? { namespace: input.namespace } : {}),
          ...(input.label_selector ? { labelSelector: input.label_selector } : {}),
          ...(input.field_selector ? { fieldSelector: input.field_selector } : {}),
          signal,
        }),
      (items) => items.map(toPodRow),
    );
  },
});

const podNameIn = z.string().min(1).describe('Pod name (a close name is suggested when it does not exist)');

async function getPod(
  client: KubeClient,
  name: string,
  namespace: string,
  signal: AbortSignal,
): Promise<Pod> {
  return withSuggestions(client, TYPES.pods, name, namespace, signal, () =>
    client.get<Pod>(TYPES.pods, name, { namespace, signal }),
  );
}

export const podGet = kubeTool({
  name: 'pod_get',
  title: 'Get a pod',
  description:
    'One pod in full (like `kubectl describe pod`): its YAML without managedFields — containers, images, ' +
    'states and last terminations, conditions, node — plus its recent events (probe failures, pulls, ' +
    'scheduling). Next: `pod_logs` (with `previous: true` after a crash).',
  toolset: 'workloads',
  input: z.object({ name: podNameIn, namespace: namespaceIn }),
  output: z.object({
    summary: z.object({ status: z.string(), ready: z.string(), restarts: z.number().int() }),
    pod: objectSchema,
    events: z.array(eventRow),
  }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, { client, signal }) {
    const namespace = input.namespace ?? client.defaultNamespace;
    const pod = await getPod(client, input.name, namespace, signal);
    const events = await listEvents(client, { namespace, kind: 'Pod', name: input.name, signal, max: 1000 })
      .then((found) => found.events)
      .catch(() => []);
    return {
      summary: { status: podStatus(pod), ready: readyCount(pod), restarts: restarts(pod) },
      pod: clean(pod),
      events: eventRows(events).slice(0, 20),
    };
  },
});

export const LOG_DEFAULTS = {
  tailLines: 200,
  maxTailLines: 5000,
  limitBytes: 32 * 1024,
  maxLimitBytes: 256 * 1024,
};

export const podLogs = kubeTool({
  name: 'pod_logs',
  title: 'Pod logs',
  description:
    `The last lines of a container's log (default ${LOG_DEFAULTS.tailLines} lines, at most ` +
    `${LOG_DEFAULTS.limitBytes / 1024} KiB unless \`limit_bytes\` says otherwise; the newest lines are ` +
    'kept). Picks the default container when the pod has several (the result says which; `container` picks ' +
    'another). `previous: true` shows the run before the last restart — what a crash-looping container ' +
    'printed before dying.',
  toolset: 'workloads',
  input: z.object({
    name: podNameIn,
    namespace: namespaceIn,
    container: z.string().min(1).optional().describe("Container name; default: the pod's default container"),
    previous: z
      .boolean()
      .default(false)
      .describe('Logs of the previous run of the container (after a restart or crash)'),
    tail_lines: z
      .number()
      .int()
      .min(1)
      .max(LOG_DEFAULTS.maxTailLines)
      .default(LOG_DEFAULTS.tailLines)
      .describe(
        `How many of the last lines (1-${LOG_DEFAULTS.maxTailLines}, default ${LOG_DEFAULTS.tailLines})`,
      ),
    limit_bytes: z
      .number()
      .int()
      .min(256)
      .max(LOG_DEFAULTS.maxLimitBytes)
      .default(LOG_DEFAULTS.limitBytes)
      .describe(
        `At most this many bytes, newest kept (256-${LOG_DEFAULTS.maxLimitBytes}, default ${LOG_DEFAULTS.limitBytes})`,
      ),
    since_seconds: z.number().int().min(1).optional().describe('Only lines from the last N seconds'),
    timestamps: z.boolean().default(false).describe('Prefix each line with its RFC3339 timestamp'),
  }),
  output: z.object({
    pod: z.string(),
    namespace: z.string(),
    container: z.string(),
    containers: z.array(z.string()).describe('All containers of the pod'),
    previous: z.boolean(),
    lines: z.number().int(),
    truncated: z.string().optional().describe('What was cut, when the byte cap cut older lines'),
    log: z.string(),
  }),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'object',
    select: (o) => ({
      pod: `${o.namespace}/${o.pod}`,
      container: o.container,
      ...(o.previous ? { previous: true } : {}),
      ...(o.containers.length > 1 ? { other_containers: o.containers.filter((c) => c !== o.container) } : {}),
      ...(o.truncated ? { truncated: o.truncated } : {}),
      log: o.log === '' ? '(empty)' : o.log,
    }),
  },
  async handler(input, { client, signal }) {
    const namespace = input.namespace ?? client.defaultNamespace;
    const pod = await getPod(client, input.name, namespace, signal);
    const containers = [
      ...(pod.spec?.containers ?? []).map((c) => c.name),
      ...(pod.spec?.initContainers ?? []).map((c) => c.name),
    ];
    const container =
      input.container ??
      pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ??
      pod.spec?.containers?.[0]?.name;
    if (!container) throw badInput('container', 'the pod has no containers');
    if (input.container && !containers.includes(input.container)) {
      throw badInput(
        'container',
        `pod ${input.name} has no container "${input.container}"`,
        `Containers: ${containers.join(', ')}.`,
      );
    }
    // The API server cuts `limitBytes` from the start of the tail; fetch a margin and keep the newest bytes.
    const serverLimit = Math.min(input.limit_bytes * 4, 4 * 1024 * 1024);
    const logs = client.request<string>({
      path: client.path(TYPES.pods, { namespace, name: input.name, subresource: 'log' }),
      query: {
        container,
        previous: input.previous ? 'true' : undefined,
        tailLines: input.tail_lines,
        limitBytes: serverLimit,
        sinceSeconds: input.since_seconds,
        timestamps: input.timestamps ? 'true' : undefined,
      },
      text: true,
      signal,
      about: { verb: 'get', resource: 'pods/log', name: input.name, namespace },
    });
    const text = await logs.then(
      (res) => res.body,
      (error) => {
        throw kubeletUnreachable(error, pod) ?? error;
      },
    );
    const { log, truncated } = keepNewest(text, input.limit_bytes);
    const lines = log === '' ? 0 : log.replace(/\n$/, '').split('\n').length;
    return {
      pod: input.name,
      namespace,
      container,
      containers,
      previous: input.previous,
      lines,
      ...(truncated ? { truncated } : {}),
      log: log.replace(/\n$/, ''),
    };
  },
});

/** Keeps the last `limit` bytes of a log, starting at a line boundary. */
export function keepNewest(text: string, limit: number): { log: string; truncated?: string } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return { log: text };
  let cut = bytes.subarray(bytes.length - limit).toString('utf8');
  const nl = cut.indexOf('\n');
  if (nl >= 0 && nl < cut.length - 1) cut = cut.slice(nl + 1);
  return {
    log: cut,
    truncated:
      `older lines cut: kept the last ${Buffer.byteLength(cut)} of ${bytes.length} bytes ` +
      '(raise limit_bytes or lower tail_lines, or use since_seconds)',
  };
}

export const podDelete = kubeTool({
  name: 'pod_delete',
  title: 'Delete a pod',
  description:
    'Deletes one pod by exact name (graceful termination). A pod owned by a Deployment, ReplicaSet, ' +
    'StatefulSet, DaemonSet or Job is replaced by its controller — the usual way to restart a single stuck ' +
    'pod; the result says which controller. A bare pod is gone for good.',
  toolset: 'workloads',
  input: z.object({
    name: z.string().min(1).describe('Exact pod name'),
    namespace: namespaceIn,
    grace_period_seconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .optional()
      .describe("Seconds to let the pod shut down; default: the pod's own (usually 30)"),
  }),
  output: z.object({
    name: z.string(),
    namespace: z.string(),
    result: z.string(),
    replaced_by: z.string().optional().describe('The controller that will create a replacement'),
  }),
  annotations: ANNOTATIONS.destroy,
  confirmMessage: (input) =>
    `Delete pod "${input.name}"${input.namespace ? ` in namespace ${input.namespace}` : ''}`,
  render: {
    kind: 'text',
    text: (o) =>
      `Pod ${o.namespace}/${o.name}: ${o.result}.` +
      (o.replaced_by
        ? ` ${o.replaced_by} will create a replacement; follow it with pod_list.`
        : ' It will not be replaced.'),
  },
  async handler(input, { client, signal }) {
    const namespace = input.namespace ?? client.defaultNamespace;
    const answer = await withSuggestions(client, TYPES.pods, input.name, namespace, signal, () =>
      client.delete(TYPES.pods, input.name, {
        namespace,
        ...(input.grace_period_seconds !== undefined
          ? { gracePeriodSeconds: input.grace_period_seconds }
          : {}),
        signal,
      }),
    );
    const owner = (answer as Pod).metadata?.ownerReferences?.find((o) => o.controller);
    return {
      name: input.name,
      namespace,
      result: deleteResult(answer, false),
      ...(owner ? { replaced_by: workloadOf(answer as Pod) } : {}),
    };
  },
});

export const podTools = [podList, podGet, podLogs, podDelete];
