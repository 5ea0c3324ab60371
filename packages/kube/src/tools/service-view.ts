import { type Column, renderTable } from '@cloudmcp/format';
import * as z from 'zod';
import { type KubeClient, TYPES } from '../client.js';
import { KubeApiError } from '../errors.js';
import { type Pod, podStatus } from '../pods.js';
import { notReadyReason } from './diagnostics.js';
import {
  type EndpointAddress,
  type EndpointSlice,
  type Endpoints,
  lbAddresses,
  type Service,
  type ServicePort,
  selectorString,
} from './kinds.js';

// A Service and what stands behind it: its ports with the container ports they resolve to, and its backends
// (from EndpointSlices, or the core Endpoints where slices are not served), each with its pod, node and zone;
// and when nothing can take its traffic, why. Shared by endpoint_list and traffic_trace.

/** Backends shown per Service; the rest are counted. */
export const MAX_BACKENDS = 100;

export const backendRow = z.object({
  pod: z.string().optional(),
  ip: z.string(),
  node: z.string().optional(),
  zone: z.string().optional(),
  ready: z.boolean(),
  reason: z.string().optional(),
});
export type BackendRow = z.infer<typeof backendRow>;

export interface TracedPort {
  spec: ServicePort;
  /** Container ports the backends resolve it to (empty: none resolves it). */
  targets: number[];
}

export interface TracedService {
  namespace: string;
  name: string;
  service: Service;
  ports: TracedPort[];
  /** Where the backends came from; `none` for an ExternalName Service, which has no endpoints. */
  source: 'EndpointSlice' | 'Endpoints' | 'none';
  backends: BackendRow[];
  problems: string[];
}

const SLICE_OWNER = 'kubernetes.io/service-name';

interface PortedContainer {
  ports?: Array<{ name?: string; containerPort?: number }>;
}

/** Reads the Service's endpoints, resolves its ports and explains a Service nothing can reach. */
export async function traceService(
  client: KubeClient,
  service: Service,
  signal: AbortSignal,
): Promise<TracedService> {
  const namespace = service.metadata?.namespace ?? client.defaultNamespace;
  const name = service.metadata?.name ?? '';
  const specPorts = service.spec?.ports ?? [];
  if (service.spec?.type === 'ExternalName') {
    const ports = specPorts.map((spec) => ({ spec, targets: [] }));
    return { namespace, name, service, ports, source: 'none', backends: [], problems: [] };
  }
  const read = await readEndpoints(client, namespace, name, signal);
  const traced: TracedService = {
    namespace,
    name,
    service,
    ports: specPorts.map((spec) => ({ spec, targets: read.targets(spec) })),
    source: read.source,
    backends: read.backends,
    problems: [],
  };
  const selector = selectorString(service.spec?.selector);
  const notReady = traced.backends.filter((b) => !b.ready);
  const unresolved = traced.backends.length
    ? traced.ports.filter((p) => typeof p.spec.targetPort === 'string' && p.targets.length === 0)
    : [];
  if (!selector) {
    if (traced.backends.length === 0) {
      traced.problems.push(
        'no selector and no endpoints: nothing receives its traffic (a Service without a selector gets its ' +
          'endpoints by hand or from another controller)',
      );
    }
    return traced;
  }
  if (traced.backends.length > 0 && notReady.length === 0 && unresolved.length === 0) return traced;
  // Something is wrong: the pods behind the selector say what.
  const pods = (
    await client.list<Pod>(TYPES.pods, { namespace, labelSelector: selector, limit: 500, signal })
  ).items;
  const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
  for (const b of notReady) {
    const pod = b.pod ? byName.get(b.pod) : undefined;
    if (pod) b.reason = notReadyReason(pod);
  }
  for (const p of unresolved) {
    const named = [
      ...new Set(
        pods.flatMap((pod) =>
          ((pod.spec?.containers ?? []) as PortedContainer[]).flatMap((c) =>
            (c.ports ?? []).filter((cp) => cp.name).map((cp) => `${cp.name}/${cp.containerPort}`),
          ),
        ),
      ),
    ];
    traced.problems.push(
      `port ${portLabel(p.spec)}: no backend pod has a ${p.spec.protocol ?? 'TCP'} container port named ` +
        `"${p.spec.targetPort}" (${named.length ? `they have ${named.join(', ')}` : 'they name no ports'}), ` +
        'so this port reaches nothing',
    );
  }
  if (traced.backends.length === 0) {
    traced.problems.push(
      pods.length === 0
        ? `no pod in ${namespace} matches the selector ${selector}`
        : `${pods.length} pod(s) match the selector but none has an address: ` +
            pods
              .slice(0, 3)
              .map((p) => `${p.metadata?.name} ${podStatus(p)} (${notReadyReason(p)})`)
              .join('; '),
    );
  } else if (notReady.length === traced.backends.length) {
    const first = notReady[0]?.reason ? ` (${notReady[0].pod}: ${notReady[0].reason})` : '';
    const which = notReady.length === 1 ? 'its one pod is' : `all ${notReady.length} pods are`;
    traced.problems.push(`no ready endpoints: ${which} not ready${first}`);
  }
  return traced;
}

interface ReadEndpoints {
  source: 'EndpointSlice' | 'Endpoints';
  backends: BackendRow[];
  targets(port: ServicePort): number[];
}

/** EndpointSlices of the Service; the core Endpoints when slices are not served, forbidden or missing. */
async function readEndpoints(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<ReadEndpoints> {
  try {
    const slices = (
      await client.list<EndpointSlice>(TYPES.endpointSlices, {
        namespace,
        labelSelector: `${SLICE_OWNER}=${name}`,
        limit: 100,
        signal,
      })
    ).items;
    if (slices.length > 0) return fromSlices(slices);
  } catch (error) {
    if (!(error instanceof KubeApiError) || (error.code !== 404 && error.code !== 403)) throw error;
  }
  try {
    return fromEndpoints(await client.get<Endpoints>(TYPES.endpoints, name, { namespace, signal }));
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return fromEndpoints({});
    throw error;
  }
}

function fromSlices(slices: EndpointSlice[]): ReadEndpoints {
  const backends = new Map<string, BackendRow>();
  const ports = new Map<string, Set<number>>();
  for (const slice of slices) {
    const endpoints = slice.endpoints ?? [];
    if (endpoints.length > 0) {
      for (const p of slice.ports ?? []) {
        if (p.port === undefined) continue;
        const key = portKey(p.name, p.protocol);
        ports.set(key, (ports.get(key) ?? new Set()).add(p.port));
      }
    }
    for (const e of endpoints) {
      const ip = (e.addresses ?? []).join(',');
      const pod = e.targetRef?.kind === 'Pod' ? e.targetRef.name : undefined;
      const key = pod ?? ip;
      const seen = backends.get(key);
      if (seen) {
        seen.ip = `${seen.ip},${ip}`; // the other address family's slice (dual stack)
        continue;
      }
      // A nil `ready` is unknown, which consumers are to take as ready (discovery.k8s.io/v1).
      const ready = e.conditions?.ready !== false;
      backends.set(key, {
        ...(pod ? { pod } : {}),
        ip,
        ...(e.nodeName ? { node: e.nodeName } : {}),
        ...(e.zone ? { zone: e.zone } : {}),
        ready,
        ...(!ready && e.conditions?.terminating ? { reason: 'terminating' } : {}),
      });
    }
  }
  return {
    source: 'EndpointSlice',
    backends: [...backends.values()],
    targets: (port) => [...(ports.get(portKey(port.name, port.protocol)) ?? [])].sort((a, b) => a - b),
  };
}

function fromEndpoints(endpoints: Endpoints): ReadEndpoints {
  const backends: BackendRow[] = [];
  const ports = new Map<string, Set<number>>();
  const row = (a: EndpointAddress, ready: boolean): BackendRow => ({
    ...(a.targetRef?.kind === 'Pod' && a.targetRef.name ? { pod: a.targetRef.name } : {}),
    ip: a.ip,
    ...(a.nodeName ? { node: a.nodeName } : {}),
    ready,
  });
  for (const s of endpoints.subsets ?? []) {
    for (const p of s.ports ?? []) {
      if (p.port === undefined) continue;
      const key = portKey(p.name, p.protocol);
      ports.set(key, (ports.get(key) ?? new Set()).add(p.port));
    }
    backends.push(...(s.addresses ?? []).map((a) => row(a, true)));
    backends.push(...(s.notReadyAddresses ?? []).map((a) => row(a, false)));
  }
  return {
    source: 'Endpoints',
    backends,
    targets: (port) => [...(ports.get(portKey(port.name, port.protocol)) ?? [])].sort((a, b) => a - b),
  };
}

function portKey(name: string | undefined, protocol: string | undefined): string {
  return `${name ?? ''}/${protocol ?? 'TCP'}`;
}

/** `http 80/TCP`, or `80/TCP` for an unnamed port. */
export function portLabel(port: ServicePort): string {
  return `${port.name ? `${port.name} ` : ''}${port.port}/${port.protocol ?? 'TCP'}`;
}

/** The container port a Service port reaches: resolved by the backends, else as written (`metrics?`). */
export function landsOn(p: TracedPort): string {
  if (p.targets.length) return p.targets.join(',');
  const target = p.spec.targetPort ?? p.spec.port;
  return typeof target === 'number' ? `${target}` : `${target}?`;
}

/** `http 80/TCP → 8080`: the port and where it lands. */
export function portLine(p: TracedPort): string {
  return `${portLabel(p.spec)} → ${landsOn(p)}${p.spec.nodePort ? ` (nodePort ${p.spec.nodePort})` : ''}`;
}

export const serviceSummary = z.object({
  service: z.string(),
  type: z.string(),
  cluster_ip: z.string().optional(),
  external: z.string().optional(),
  selector: z.string().optional(),
  ports: z.array(z.string()),
  source: z.enum(['EndpointSlice', 'Endpoints', 'none']),
  ready: z.number(),
  not_ready: z.number(),
  backends: z.array(backendRow),
  problems: z.array(z.string()),
});
export type ServiceSummary = z.infer<typeof serviceSummary>;

/** The summary of a traced Service that tools return (backends capped at MAX_BACKENDS). */
export function summarize(t: TracedService): ServiceSummary {
  const spec = t.service.spec ?? {};
  const external =
    spec.type === 'ExternalName' ? spec.externalName : lbAddresses(t.service.status).join(',') || undefined;
  const selector = selectorString(spec.selector);
  const ready = t.backends.filter((b) => b.ready).length;
  const problems = [...t.problems];
  if (t.backends.length > MAX_BACKENDS) {
    problems.push(`only the first ${MAX_BACKENDS} of ${t.backends.length} backends are listed`);
  }
  return {
    service: `${t.namespace}/${t.name}`,
    type: spec.type ?? 'ClusterIP',
    ...(spec.clusterIP ? { cluster_ip: spec.clusterIP } : {}),
    ...(external ? { external } : {}),
    ...(selector ? { selector } : {}),
    ports: t.ports.map(portLine),
    source: t.source,
    ready,
    not_ready: t.backends.length - ready,
    backends: t.backends.slice(0, MAX_BACKENDS),
    problems,
  };
}

/** A Service in a few lines: what it is, its ports, its backends, and what is wrong with it. */
export function serviceText(s: ServiceSummary): string {
  const head = [
    `Service ${s.service}`,
    s.type,
    s.cluster_ip === 'None' ? 'headless' : s.cluster_ip,
    s.external ? `external ${s.external}` : '',
    s.type === 'ExternalName' ? '' : `selector ${s.selector ?? '(none)'}`,
  ]
    .filter(Boolean)
    .join('  ');
  const lines = [head, `Ports: ${s.ports.length ? s.ports.join('; ') : '(none)'}`];
  if (s.source !== 'none') {
    lines.push(`Endpoints (${s.source}): ${s.ready} ready, ${s.not_ready} not ready`);
    if (s.backends.length) lines.push(backendTable(s.backends));
  }
  for (const p of s.problems) lines.push(`Problem: ${p}`);
  return lines.join('\n');
}

const BACKEND_COLUMNS: Column<BackendRow>[] = [
  { header: 'pod', value: (b) => b.pod },
  { header: 'ip', value: (b) => b.ip },
  { header: 'node', value: (b) => b.node },
  { header: 'zone', value: (b) => b.zone },
  { header: 'ready', value: (b) => (b.ready ? 'yes' : 'no') },
  { header: 'reason', value: (b) => b.reason, maxWidth: 90 },
];

/** The backends as a table, leaving out columns no row fills (zone without slices, reason when all ready). */
export function backendTable<R extends BackendRow>(rows: R[], lead: Column<R>[] = []): string {
  const columns = [...lead, ...(BACKEND_COLUMNS as Column<R>[])].filter((c) =>
    rows.some((r) => c.value(r) !== undefined && c.value(r) !== ''),
  );
  return renderTable(rows, columns);
}
