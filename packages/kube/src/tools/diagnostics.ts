import { ANNOTATIONS, cursorOffset, page, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, TYPES } from '../client.js';
import {
  type Container,
  type ContainerStatus,
  isReady,
  type Pod,
  podStatus,
  readyCount,
  restarts,
  type SecurityContext,
  workloadOf,
} from '../pods.js';
import { age, flag, labelSelectorIn, namespaceFilterIn, pageIn } from './common.js';
import { kubeTool } from './define.js';
import { eventTime, listEvents } from './events.js';

const SCAN_MAX = 20_000;

async function scanPods(
  client: KubeClient,
  input: { namespace?: string | undefined; label_selector?: string | undefined },
  signal: AbortSignal,
): Promise<Pod[]> {
  const { items } = await client.listAll<Pod>(TYPES.pods, {
    ...(input.namespace ? { namespace: input.namespace } : {}),
    ...(input.label_selector ? { labelSelector: input.label_selector } : {}),
    signal,
    max: SCAN_MAX,
  });
  return items;
}

function paged<T>(rows: T[], input: { limit: number; cursor?: string | undefined }) {
  const offset = cursorOffset(input.cursor);
  return page(rows.slice(offset, offset + input.limit), { offset, total: rows.length });
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

// ---- crash loops -------------------------------------------------------------------------------

const crashRow = z.object({
  namespace: z.string(),
  pod: z.string(),
  container: z.string(),
  restarts: z.number().int(),
  state: z.string().describe('Current state: CrashLoopBackOff, Running, Error …'),
  last_exit: z.string().optional().describe('How the previous run ended: reason, exit code, how long ago'),
  last_log: z.string().optional().describe('Last line the previous run printed'),
  workload: z.string(),
});

function stateOf(c: ContainerStatus): string {
  const s = c.state ?? {};
  if (s.waiting) return s.waiting.reason ?? 'Waiting';
  if (s.terminated) return s.terminated.reason ?? `ExitCode:${s.terminated.exitCode}`;
  if (s.running) return 'Running';
  return 'Unknown';
}

export const podsCrashlooping = kubeTool({
  name: 'pods_crashlooping',
  title: 'Crash-looping pods',
  description: 'Crash-looping containers: restarts, last exit reason and code, last log line.',
  toolset: 'diagnostics',
  fanOut: { sort: (a, b) => Number(b['restarts']) - Number(a['restarts']) },
  input: z.object({
    namespace: namespaceFilterIn,
    label_selector: labelSelectorIn,
    min_restarts: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('Also containers restarted this often after errors'),
    last_log: z.boolean().default(true).describe('Fetch each last log line'),
    ...pageIn({ defaultLimit: 100, maxLimit: 500 }),
  }),
  output: z.object(pageOutput(crashRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'crashing containers',
    narrowHint: 'filter by namespace',
    columns: [
      { header: 'namespace', value: (r) => r.namespace, collapseWhenUniform: true },
      { header: 'pod', value: (r) => r.pod },
      { header: 'container', value: (r) => r.container },
      { header: 'restarts', value: (r) => r.restarts },
      { header: 'state', value: (r) => r.state },
      { header: 'last exit', value: (r) => r.last_exit },
      { header: 'last log', value: (r) => r.last_log, maxWidth: 80 },
    ],
  },
  async handler(input, { client, signal }) {
    const pods = await scanPods(client, input, signal);
    const rows: Array<z.input<typeof crashRow>> = [];
    for (const pod of pods) {
      for (const c of [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? []),
      ]) {
        const looping = c.state?.waiting?.reason === 'CrashLoopBackOff';
        const last = c.lastState?.terminated;
        const failing =
          (c.restartCount ?? 0) >= input.min_restarts && last !== undefined && last.exitCode !== 0;
        if (!looping && !failing) continue;
        rows.push({
          namespace: pod.metadata?.namespace ?? '',
          pod: pod.metadata?.name ?? '',
          container: c.name,
          restarts: c.restartCount ?? 0,
          state: stateOf(c),
          ...(last
            ? {
                last_exit:
                  `${last.reason ?? 'Terminated'} (exit ${last.exitCode ?? '?'})` +
                  (last.finishedAt ? ` ${age(last.finishedAt)} ago` : ''),
              }
            : {}),
          workload: workloadOf(pod),
        });
      }
    }
    rows.sort((a, b) => b.restarts - a.restarts);
    const result = paged(rows, input);
    if (input.last_log) {
      await Promise.all(
        result.items.slice(0, 20).map(async (row) => {
          const text = await client
            .request<string>({
              path: client.path(TYPES.pods, { namespace: row.namespace, name: row.pod, subresource: 'log' }),
              query: { container: row.container, previous: 'true', tailLines: 5, limitBytes: 4096 },
              text: true,
              signal,
            })
            .then((r) => r.body)
            .catch(() => '');
          const line = lastLine(text);
          if (line) row.last_log = line;
        }),
      );
    }
    return result;
  },
});

// ---- probe failures ----------------------------------------------------------------------------

const probeRow = z.object({
  namespace: z.string(),
  pod: z.string(),
  container: z.string().optional(),
  probe: z.string().describe('readiness, liveness or startup'),
  count: z.number().int().describe('How many failures the events record'),
  last_seen: z.string().optional(),
  message: z.string(),
  source: z.enum(['events', 'status']).describe('From Unhealthy events, or only from the pod status'),
});

function containerFromField(fieldPath: string | undefined): string | undefined {
  return fieldPath ? /\{(.+)\}/.exec(fieldPath)?.[1] : undefined;
}

export const probeFailures = kubeTool({
  name: 'probe_failures',
  title: 'Probe failures',
  description: 'Failing readiness, liveness and startup probes, with their messages.',
  toolset: 'diagnostics',
  fanOut: {},
  input: z.object({ namespace: namespaceFilterIn, ...pageIn({ defaultLimit: 100, maxLimit: 500 }) }),
  output: z.object(pageOutput(probeRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'probe failures',
    narrowHint: 'filter by namespace',
    columns: [
      { header: 'namespace', value: (r) => r.namespace, collapseWhenUniform: true },
      { header: 'pod', value: (r) => r.pod },
      { header: 'container', value: (r) => r.container },
      { header: 'probe', value: (r) => r.probe },
      { header: 'count', value: (r) => r.count },
      { header: 'last seen', value: (r) => r.last_seen },
      { header: 'message', value: (r) => r.message, maxWidth: 100 },
    ],
  },
  async handler(input, { client, signal }) {
    const ns = input.namespace ? { namespace: input.namespace } : {};
    const [{ events }, pods] = await Promise.all([
      listEvents(client, { ...ns, kind: 'Pod', type: 'Warning', signal }),
      scanPods(client, input, signal),
    ]);
    const existing = new Set(pods.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
    const groups = new Map<string, z.input<typeof probeRow> & { at: string }>();
    for (const e of events) {
      if (e.reason !== 'Unhealthy') continue;
      const message = (e.message ?? '').trim();
      const probe = /^(Readiness|Liveness|Startup) probe/i.exec(message)?.[1]?.toLowerCase() ?? 'unknown';
      const podName = e.involvedObject?.name ?? '';
      const namespace = e.metadata?.namespace ?? e.involvedObject?.namespace ?? '';
      if (!existing.has(`${namespace}/${podName}`)) continue; // the pod is gone
      const container = containerFromField(e.involvedObject?.fieldPath);
      const key = `${namespace}/${podName}/${container ?? ''}/${probe}`;
      const at = eventTime(e) ?? '';
      const count = e.series?.count ?? e.count ?? 1;
      const prev = groups.get(key);
      if (prev) {
        prev.count += count;
        if (at > prev.at) {
          prev.at = at;
          prev.message = message;
        }
      } else {
        groups.set(key, {
          namespace,
          pod: podName,
          ...(container ? { container } : {}),
          probe,
          count,
          message,
          source: 'events',
          at,
        });
      }
    }
    // Running containers that are not ready, with a readiness probe, and no event explaining it.
    for (const pod of pods) {
      if (pod.metadata?.deletionTimestamp) continue;
      const specs = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c]));
      for (const c of pod.status?.containerStatuses ?? []) {
        if (c.ready || !c.state?.running || !specs.get(c.name)?.readinessProbe) continue;
        const namespace = pod.metadata?.namespace ?? '';
        const podName = pod.metadata?.name ?? '';
        const known = [...groups.values()].some(
          (g) => g.namespace === namespace && g.pod === podName && g.probe === 'readiness',
        );
        if (known) continue;
        groups.set(`${namespace}/${podName}/${c.name}/readiness`, {
          namespace,
          pod: podName,
          container: c.name,
          probe: 'readiness',
          count: 0,
          message: 'container is running but not ready (readiness probe not passing; no event recorded)',
          source: 'status',
          at: '',
        });
      }
    }
    const rows = [...groups.values()]
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.count - a.count))
      .map(({ at, ...r }) => ({ ...r, ...(at ? { last_seen: age(at) } : {}) }));
    return paged(rows, input);
  },
});

// ---- not ready ---------------------------------------------------------------------------------

const notReadyRow = z.object({
  namespace: z.string(),
  name: z.string(),
  status: z.string(),
  ready: z.string(),
  restarts: z.number().int(),
  reason: z.string().describe('Why it is not ready, as specifically as the API says'),
  age: z.string(),
  node: z.string().optional(),
  workload: z.string(),
});

/** The most specific reason a pod is not ready. */
export function notReadyReason(pod: Pod): string {
  const status = pod.status ?? {};
  if (pod.metadata?.deletionTimestamp) return 'being deleted';
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    return `not scheduled: ${scheduled.reason ?? ''}${scheduled.message ? ` — ${scheduled.message}` : ''}`.trim();
  }
  for (const c of status.initContainerStatuses ?? []) {
    const w = c.state?.waiting;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    if (w?.reason && w.reason !== 'PodInitializing') {
      return `init container ${c.name}: ${w.reason}${w.message ? ` — ${w.message}` : ''}`;
    }
    if (t) return `init container ${c.name} failed: ${t.reason ?? 'Error'} (exit ${t.exitCode})`;
    if (c.state?.running) return `init container ${c.name} still running`;
  }
  const reasons: string[] = [];
  for (const c of status.containerStatuses ?? []) {
    if (c.ready) continue;
    const w = c.state?.waiting;
    const t = c.state?.terminated;
    if (w) reasons.push(`${c.name}: ${w.reason ?? 'Waiting'}${w.message ? ` — ${w.message}` : ''}`);
    else if (t)
      reasons.push(`${c.name}: terminated ${t.reason ?? ''} (exit ${t.exitCode})`.replace('  ', ' '));
    else if (c.state?.running) {
      reasons.push(
        `${c.name}: running but not ready` +
          ((c.restartCount ?? 0) > 0 ? ` (restarted ${c.restartCount}x)` : '') +
          ' — readiness probe failing? see probe_failures',
      );
    }
  }
  if (reasons.length) return reasons.join('; ');
  if (status.reason || status.message) return `${status.reason ?? ''} ${status.message ?? ''}`.trim();
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  if (ready?.reason || ready?.message) return `${ready.reason ?? ''} ${ready.message ?? ''}`.trim();
  return status.phase ?? 'unknown';
}

export const podsNotReady = kubeTool({
  name: 'pods_not_ready',
  title: 'Pods not ready',
  description:
    'Pods not Ready, each with its most specific reason: the first stop for an unhealthy workload.',
  toolset: 'diagnostics',
  fanOut: {},
  input: z.object({
    namespace: namespaceFilterIn,
    label_selector: labelSelectorIn,
    ...pageIn({ defaultLimit: 100, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(notReadyRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'pods not ready',
    narrowHint: 'filter by namespace or label_selector',
    columns: [
      { header: 'namespace', value: (r) => r.namespace, collapseWhenUniform: true },
      { header: 'name', value: (r) => r.name },
      { header: 'ready', value: (r) => r.ready },
      { header: 'status', value: (r) => r.status },
      { header: 'restarts', value: (r) => r.restarts },
      { header: 'reason', value: (r) => r.reason, maxWidth: 110 },
      { header: 'age', value: (r) => r.age },
    ],
  },
  async handler(input, { client, signal }) {
    const pods = await scanPods(client, input, signal);
    const rows = pods
      .filter((p) => p.status?.phase !== 'Succeeded' && !isReady(p))
      .map((pod) => ({
        namespace: pod.metadata?.namespace ?? '',
        name: pod.metadata?.name ?? '',
        status: podStatus(pod),
        ready: readyCount(pod),
        restarts: restarts(pod),
        reason: notReadyReason(pod),
        age: age(pod.metadata?.creationTimestamp),
        ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
        workload: workloadOf(pod),
      }))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return paged(rows, input);
  },
});

// ---- security ----------------------------------------------------------------------------------

const SEVERITY = { high: 3, medium: 2, low: 1 } as const;
type Severity = keyof typeof SEVERITY;
const DANGEROUS_CAPS = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'NET_ADMIN',
  'SYS_RAWIO',
  'BPF',
  'DAC_READ_SEARCH',
]);
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

const findingRow = z.object({
  severity: z.enum(['high', 'medium', 'low']),
  namespace: z.string(),
  workload: z.string().describe('Owning workload (Deployment/web) or Pod/<name>'),
  container: z.string().optional(),
  check: z
    .string()
    .describe(
      'privileged, hostPath, hostNetwork, hostPID, hostIPC, runAsRoot, runAsNonRoot, capabilities, privilegeEscalation',
    ),
  detail: z.string(),
  pods: z.number().int().describe('How many pods show it'),
  example_pod: z.string(),
});
type Finding = z.input<typeof findingRow>;

export function podFindings(
  pod: Pod,
): Array<Omit<Finding, 'namespace' | 'workload' | 'pods' | 'example_pod'>> {
  const out: Array<Omit<Finding, 'namespace' | 'workload' | 'pods' | 'example_pod'>> = [];
  const spec = pod.spec ?? {};
  const podSc: SecurityContext = spec.securityContext ?? {};
  if (spec.hostNetwork)
    out.push({ severity: 'high', check: 'hostNetwork', detail: "uses the node's network namespace" });
  if (spec.hostPID)
    out.push({ severity: 'high', check: 'hostPID', detail: 'sees every process on the node' });
  if (spec.hostIPC)
    out.push({ severity: 'medium', check: 'hostIPC', detail: "shares the node's IPC namespace" });
  for (const v of spec.volumes ?? []) {
    if (v.hostPath) {
      const path = v.hostPath.path ?? '?';
      const sensitive =
        /^\/(|etc|var\/run\/docker\.sock|var\/run|run|proc|sys|root|var\/lib\/kubelet)(\/|$)/.test(path);
      out.push({
        severity: sensitive || path === '/' ? 'high' : 'medium',
        check: 'hostPath',
        detail: `volume ${v.name} mounts ${path} from the node`,
      });
    }
  }
  const containers: Array<Container & { init?: boolean }> = [
    ...(spec.initContainers ?? []).map((c) => ({ ...c, init: true })),
    ...(spec.containers ?? []),
  ];
  for (const c of containers) {
    const sc: SecurityContext = c.securityContext ?? {};
    const base = { container: c.name };
    if (sc.privileged) {
      out.push({
        ...base,
        severity: 'high',
        check: 'privileged',
        detail: 'privileged: full access to the node',
      });
    }
    const runAsUser = sc.runAsUser ?? podSc.runAsUser;
    const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (runAsUser === 0) {
      out.push({ ...base, severity: 'high', check: 'runAsRoot', detail: 'runs as root (runAsUser: 0)' });
    } else if (runAsNonRoot !== true && runAsUser === undefined) {
      out.push({
        ...base,
        severity: 'low',
        check: 'runAsNonRoot',
        detail: 'may run as root: neither runAsNonRoot nor a non-zero runAsUser is set',
      });
    }
    const added = sc.capabilities?.add ?? [];
    if (added.length) {
      const dangerous = added.some((cap) => DANGEROUS_CAPS.has(cap.toUpperCase().replace(/^CAP_/, '')));
      out.push({
        ...base,
        severity: dangerous ? 'high' : 'medium',
        check: 'capabilities',
        detail: `adds capabilities ${added.join(',')}`,
      });
    }
    if (sc.allowPrivilegeEscalation === true && !sc.privileged) {
      out.push({
        ...base,
        severity: 'medium',
        check: 'privilegeEscalation',
        detail: 'allowPrivilegeEscalation: true',
      });
    }
  }
  return out;
}

export const securityFindings = kubeTool({
  name: 'security_findings',
  title: 'Security findings',
  description: 'Risky pod settings (privileged, host access, root) by workload, worst first.',
  toolset: 'diagnostics',
  fanOut: {
    sort: (a, b) => SEVERITY[b['severity'] as Severity] - SEVERITY[a['severity'] as Severity],
  },
  input: z.object({
    namespace: namespaceFilterIn,
    min_severity: z.enum(['low', 'medium', 'high']).default('low').describe('Minimum'),
    include_system: flag('Include kube-system and kube-*'),
    ...pageIn({ defaultLimit: 100, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(findingRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'findings',
    narrowHint: 'filter by namespace or min_severity',
    columns: [
      { header: 'severity', value: (f) => f.severity },
      { header: 'namespace', value: (f) => f.namespace, collapseWhenUniform: true },
      { header: 'workload', value: (f) => f.workload },
      { header: 'container', value: (f) => f.container },
      { header: 'check', value: (f) => f.check },
      { header: 'detail', value: (f) => f.detail, maxWidth: 80 },
      { header: 'pods', value: (f) => f.pods },
    ],
  },
  async handler(input, { client, signal }) {
    const pods = await scanPods(client, input, signal);
    const min = SEVERITY[input.min_severity];
    const grouped = new Map<string, Finding>();
    for (const pod of pods) {
      const namespace = pod.metadata?.namespace ?? '';
      if (!input.namespace && !input.include_system && SYSTEM_NAMESPACES.has(namespace)) continue;
      const workload = workloadOf(pod);
      for (const f of podFindings(pod)) {
        if (SEVERITY[f.severity as Severity] < min) continue;
        const key = [namespace, workload, f.container ?? '', f.check, f.detail].join('\u0000');
        const prev = grouped.get(key);
        if (prev) prev.pods += 1;
        else grouped.set(key, { ...f, namespace, workload, pods: 1, example_pod: pod.metadata?.name ?? '' });
      }
    }
    const rows = [...grouped.values()].sort(
      (a, b) =>
        SEVERITY[b.severity as Severity] - SEVERITY[a.severity as Severity] ||
        a.namespace.localeCompare(b.namespace) ||
        a.workload.localeCompare(b.workload),
    );
    return paged(rows, input);
  },
});

export const diagnosticsTools = [podsCrashlooping, probeFailures, podsNotReady, securityFindings];
