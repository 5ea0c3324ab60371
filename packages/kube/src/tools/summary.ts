import { renderTable } from '@cloudmcp/format';
import { ANNOTATIONS } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, type KubeObject, type ResourceType, TYPES } from '../client.js';
import { KubeApiError } from '../errors.js';
import { isReady, type Pod, podStatus, restarts } from '../pods.js';
import { age, namespaceIn, withSuggestions } from './common.js';
import { limiter } from './concurrency.js';
import { kubeTool } from './define.js';
import { notReadyReason } from './diagnostics.js';
import type { Service } from './kinds.js';
import { countObjects } from './metadata.js';

// One namespace at a glance: how many of each kind, in what state, and the worst problems first. Eleven
// requests, four at a time: full objects only where their state is counted (pods, workloads, claims,
// jobs, services), names only elsewhere (Secrets are never fetched, only counted).

const CONCURRENCY = 4;
const MAX_PODS = 2000;
const MAX_LIST = 500;

const kindRow = z.object({ kind: z.string(), count: z.number(), detail: z.string().optional() });
const problemRow = z.object({ problem: z.string(), object: z.string(), detail: z.string() });
type KindRow = z.infer<typeof kindRow>;
type ProblemRow = z.infer<typeof problemRow>;

const output = z.object({
  namespace: z.string(),
  status: z.string(),
  age: z.string(),
  kinds: z.array(kindRow),
  problems: z.array(problemRow),
  more_problems: z.number().optional(),
});
type Output = z.infer<typeof output>;

function render(o: Output): string {
  const lines = [
    `Namespace ${o.namespace}  ${o.status}  ${o.age}`,
    renderTable(o.kinds, [
      { header: 'kind', value: (k) => k.kind },
      { header: 'count', value: (k) => k.count },
      { header: 'detail', value: (k) => k.detail, maxWidth: 100 },
    ]),
  ];
  if (o.problems.length === 0) lines.push('No problems found.');
  else {
    const shown = o.problems.length;
    lines.push(`Problems (${shown}${o.more_problems ? ` of ${shown + o.more_problems}` : ''}):`);
    lines.push(
      renderTable(o.problems, [
        { header: 'problem', value: (p) => p.problem },
        { header: 'object', value: (p) => p.object },
        { header: 'detail', value: (p) => p.detail, maxWidth: 110 },
      ]),
    );
  }
  return lines.join('\n');
}

interface Workload extends KubeObject {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number; numberReady?: number; desiredNumberScheduled?: number };
}

interface Claim extends KubeObject {
  spec?: { storageClassName?: string };
  status?: { phase?: string };
}

interface Job extends KubeObject {
  status?: {
    active?: number;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

/** What was read of one kind, or why it could not be read (which does not fail the summary). */
type Read<T> = T | { unreadable: string };
type Items<T> = { items: T[]; truncated: boolean };

async function readKind<T>(fn: () => Promise<T>): Promise<Read<T>> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 403) return { unreadable: 'forbidden' };
    if (error instanceof KubeApiError && error.code === 404) return { unreadable: 'not served' };
    throw error;
  }
}

function tally(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
}

export const namespaceGet = kubeTool({
  name: 'namespace_get',
  title: 'Namespace summary',
  description: 'A namespace at a glance: object counts per kind and its worst problems first.',
  toolset: 'diagnostics',
  input: z.object({
    name: namespaceIn,
    problems: z.number().int().min(0).max(50).default(10).describe('At most this many'),
  }),
  output,
  annotations: ANNOTATIONS.read,
  render: { kind: 'text', text: render },
  async handler(input, { client, signal }) {
    const name = input.name ?? client.defaultNamespace;
    const ns = await withSuggestions(client, TYPES.namespaces, name, undefined, signal, () =>
      client.get<KubeObject & { status?: { phase?: string } }>(TYPES.namespaces, name, { signal }),
    );
    const run = limiter(CONCURRENCY);
    const objects = <T>(type: ResourceType) =>
      run(() =>
        readKind(async (): Promise<Items<T>> => {
          const list = await client.list<T>(type, { namespace: name, limit: MAX_LIST, signal });
          return { items: list.items, truncated: Boolean(list.metadata?.continue) };
        }),
      );
    const count = (type: ResourceType) => run(() => countKind(client, type, name, signal));
    const [
      pods,
      deployments,
      statefulsets,
      daemonsets,
      services,
      pvcs,
      jobs,
      ingresses,
      configmaps,
      secrets,
    ] = await Promise.all([
      run(() => readKind(() => client.listAll<Pod>(TYPES.pods, { namespace: name, max: MAX_PODS, signal }))),
      objects<Workload>(TYPES.deployments),
      objects<Workload>(TYPES.statefulSets),
      objects<Workload>(TYPES.daemonSets),
      objects<Service>(TYPES.services),
      objects<Claim>(TYPES.pvcs),
      objects<Job>(TYPES.jobs),
      count(TYPES.ingresses),
      count(TYPES.configMaps),
      count(TYPES.secrets),
    ]);
    const problems: ProblemRow[] = [];
    const kinds: KindRow[] = [
      podKind(pods, problems),
      workloadKind('deployments', 'deployment', deployments, problems),
      workloadKind('statefulsets', 'statefulset', statefulsets, problems),
      workloadKind('daemonsets', 'daemonset', daemonsets, problems),
      kindOf('services', services, (items) => tally(items.map((s) => s.spec?.type ?? 'ClusterIP'))),
      ingresses,
      configmaps,
      secrets,
      claimKind(pvcs, problems),
      jobKind(jobs, problems),
    ];
    const ranked = problems.sort((a, b) => RANK.indexOf(a.problem) - RANK.indexOf(b.problem));
    return {
      namespace: name,
      status: ns.status?.phase ?? 'Unknown',
      age: age(ns.metadata?.creationTimestamp),
      kinds,
      problems: ranked.slice(0, input.problems),
      ...(ranked.length > input.problems ? { more_problems: ranked.length - input.problems } : {}),
    };
  },
});

const RANK = ['crashlooping', 'failed', 'pending', 'not ready', 'unavailable', 'claim pending', 'job failed'];

async function countKind(
  client: KubeClient,
  type: ResourceType,
  namespace: string,
  signal: AbortSignal,
): Promise<KindRow> {
  const read = await readKind(() => countObjects(client, type, namespace, signal));
  if ('unreadable' in read) return { kind: type.resource, count: 0, detail: `(${read.unreadable})` };
  return { kind: type.resource, count: read.count, ...(read.more ? { detail: 'at least' } : {}) };
}

/** The row of a kind read in full; `detail` words its state (and may note its problems). */
function kindOf<T>(kind: string, read: Read<Items<T>>, detail: (items: T[]) => string): KindRow {
  if ('unreadable' in read) return { kind, count: 0, detail: `(${read.unreadable})` };
  const text = [detail(read.items), read.truncated ? `only the first ${read.items.length} read` : '']
    .filter(Boolean)
    .join('; ');
  return { kind, count: read.items.length, ...(text ? { detail: text } : {}) };
}

function podKind(read: Read<Items<Pod>>, problems: ProblemRow[]): KindRow {
  return kindOf('pods', read, (pods) => {
    const live = pods.filter((p) => p.status?.phase !== 'Succeeded');
    for (const pod of pods) {
      const problem = podProblem(pod);
      if (problem) problems.push(problem);
    }
    const phases = tally(pods.map((p) => p.status?.phase ?? 'Unknown'));
    return `${phases}${live.length ? `; ready ${live.filter(isReady).length}/${live.length}` : ''}`;
  });
}

function podProblem(pod: Pod): ProblemRow | undefined {
  const object = `pod/${pod.metadata?.name ?? ''}`;
  const phase = pod.status?.phase;
  const looping = (pod.status?.containerStatuses ?? []).find(
    (c) => c.state?.waiting?.reason === 'CrashLoopBackOff',
  );
  if (looping) {
    const last = looping.lastState?.terminated;
    const exit = last ? `, last ${last.reason ?? 'exit'} (exit ${last.exitCode ?? '?'})` : '';
    return { problem: 'crashlooping', object, detail: `${looping.name}: ${restarts(pod)} restarts${exit}` };
  }
  if (phase === 'Failed') {
    const why = [pod.status?.reason, pod.status?.message].filter(Boolean).join(': ');
    return { problem: 'failed', object, detail: why || podStatus(pod) };
  }
  if (phase === 'Pending') return { problem: 'pending', object, detail: notReadyReason(pod) };
  if (phase === 'Running' && !isReady(pod) && !pod.metadata?.deletionTimestamp) {
    return { problem: 'not ready', object, detail: notReadyReason(pod) };
  }
  return undefined;
}

function workloadKind(
  kind: string,
  noun: string,
  read: Read<Items<Workload>>,
  problems: ProblemRow[],
): KindRow {
  return kindOf(kind, read, (items) => {
    let ready = 0;
    for (const w of items) {
      const daemon = noun === 'daemonset';
      const want = daemon ? (w.status?.desiredNumberScheduled ?? 0) : (w.spec?.replicas ?? 1);
      const have = daemon ? (w.status?.numberReady ?? 0) : (w.status?.readyReplicas ?? 0);
      if (have >= want) ready++;
      else {
        problems.push({
          problem: 'unavailable',
          object: `${noun}/${w.metadata?.name ?? ''}`,
          detail: `${have}/${want} ready`,
        });
      }
    }
    return items.length ? `ready ${ready}/${items.length}` : '';
  });
}

function claimKind(read: Read<Items<Claim>>, problems: ProblemRow[]): KindRow {
  return kindOf('persistentvolumeclaims', read, (items) => {
    for (const c of items) {
      if (c.status?.phase === 'Pending') {
        const cls = c.spec?.storageClassName;
        problems.push({
          problem: 'claim pending',
          object: `pvc/${c.metadata?.name ?? ''}`,
          detail: `not bound${cls ? ` (storage class ${cls})` : ''}; see event_list`,
        });
      }
    }
    return tally(items.map((c) => c.status?.phase ?? 'Unknown'));
  });
}

function jobKind(read: Read<Items<Job>>, problems: ProblemRow[]): KindRow {
  return kindOf('jobs', read, (items) => {
    for (const j of items) {
      const failed = j.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
      if (failed) {
        problems.push({
          problem: 'job failed',
          object: `job/${j.metadata?.name ?? ''}`,
          detail: [failed.reason, failed.message].filter(Boolean).join(': ') || 'Failed',
        });
      }
    }
    const state = (j: Job) =>
      j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')
        ?.type ?? ((j.status?.active ?? 0) > 0 ? 'Running' : 'Pending');
    return tally(items.map(state));
  });
}
