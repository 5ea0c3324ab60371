import { ANNOTATIONS, badInput, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, type KubeObject, TYPES } from '../client.js';
import { lastRestart, type Pod, podStatus, readyCount, restarts, workloadOf } from '../pods.js';
import {
  age,
  clean,
  fieldSelectorIn,
  flag,
  kubePage,
  labelSelectorIn,
  namespaceFilterIn,
  namespaceIn,
  nonEmpty,
  objectSchema,
  pageIn,
  withSuggestions,
} from './common.js';
import { kubeTool } from './define.js';
import { eventRow, eventRows, listEvents } from './events.js';
import { kubeletUnreachable } from './log-hints.js';
import { withoutPodDefaults } from './pod-defaults.js';
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
  description: 'Pods as `kubectl get pods` shows them, with their nodes.',
  toolset: 'workloads',
  input: z.object({
    namespace: namespaceFilterIn,
    label_selector: labelSelectorIn,
    field_selector: fieldSelectorIn,
    // one page holds a namespace of several hundred pods: the result's token budget cuts it at a row anyway
    ...pageIn({ defaultLimit: 1000, maxLimit: 1000 }),
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

const podNameIn = nonEmpty().describe('Pod name');

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
  description: 'One pod as YAML (defaults left out) with its recent events (`kubectl describe pod`).',
  toolset: 'workloads',
  input: z.object({ name: podNameIn, namespace: namespaceIn }),
  output: z.object({
    summary: z.object({ status: z.string(), ready: z.string(), restarts: z.number().int() }),
    pod: objectSchema,
    events: z.array(eventRow),
  }),
  annotations: ANNOTATIONS.read,
  // the text leaves out the pod's fields at their defaults, and what every event row would repeat (the
  // pod's namespace and name, the exact time beside its age); structuredContent keeps all of it
  render: {
    kind: 'object',
    select: (output) => ({
      summary: output.summary,
      pod: withoutPodDefaults(output.pod as KubeObject),
      events: output.events.map(({ namespace: _n, object: _o, time: _t, ...event }) => event),
    }),
  },
  async handler(input, { client, signal }) {
    const namespace = input.namespace ?? client.defaultNamespace;
    // the pod and its events at once: the events only need the name, and are dropped if the pod is not found
    const [pod, events] = await Promise.all([
      getPod(client, input.name, namespace, signal),
      listEvents(client, { namespace, kind: 'Pod', name: input.name, signal, max: 1000 })
        .then((found) => found.events)
        .catch(() => []),
    ]);
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
  description: "The last lines of a container's log.",
  toolset: 'workloads',
  input: z.object({
    name: podNameIn,
    namespace: namespaceIn,
    container: nonEmpty().optional().describe("Default: the pod's default container"),
    previous: flag('The run before the last restart'),
    tail_lines: z
      .number()
      .int()
      .min(1)
      .max(LOG_DEFAULTS.maxTailLines)
      .default(LOG_DEFAULTS.tailLines)
      .describe('Last N lines'),
    limit_bytes: z
      .number()
      .int()
      .min(256)
      .max(LOG_DEFAULTS.maxLimitBytes)
      .default(LOG_DEFAULTS.limitBytes)
      .describe('Byte cap, newest lines kept'),
    since_seconds: z.number().int().min(1).optional().describe('Only the last N seconds'),
    timestamps: flag('Prefix RFC3339 timestamps'),
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
      previous: input.previous === true,
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
  description: 'Deletes a pod; its controller, if any, replaces it.',
  toolset: 'workloads',
  input: z.object({
    name: podNameIn,
    namespace: namespaceIn,
    grace_period_seconds: z.number().int().min(0).max(3600).optional().describe("Default: the pod's own"),
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
