import { renderTable } from '@cloudmcp/format';
import { ANNOTATIONS, badInput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, TYPES } from '../client.js';
import { KubeApiError } from '../errors.js';
import { closeNames } from '../names.js';
import { nonEmpty, withSuggestions } from './common.js';
import { mapLimit } from './concurrency.js';
import { kubeTool } from './define.js';
import {
  hostsOf,
  type IngressFacts,
  ingressFacts,
  ingressName,
  type Route,
  readClasses,
  routesFor,
  routesOf,
} from './ingress-routes.js';
import type { Ingress, Service } from './kinds.js';
import {
  landsOn,
  portLabel,
  type ServiceSummary,
  serviceSummary,
  serviceText,
  summarize,
  type TracedService,
  traceService,
} from './service-view.js';

// Ingress → Service → endpoints → pods in one answer, with every broken link named. Bounded: at most
// MAX_INGRESSES Ingresses and MAX_SERVICES Services per call, CONCURRENCY requests at a time.

const MAX_INGRESSES = 10;
const MAX_SERVICES = 20;
const CONCURRENCY = 4;

const routeRow = z.object({
  ingress: z.string(),
  host: z.string(),
  path: z.string(),
  backend: z.string(),
  target: z.string().optional(),
  ready: z.string().optional(),
});
type RouteRow = z.infer<typeof routeRow>;

const output = z.object({
  ingresses: z.array(
    z.object({
      ingress: z.string(),
      class: z.string().optional(),
      address: z.string().optional(),
      tls: z.array(z.string()),
    }),
  ),
  routes: z.array(routeRow),
  services: z.array(serviceSummary),
  problems: z.array(z.string()),
});
type Output = z.infer<typeof output>;

function render(o: Output): string {
  const parts: string[] = [];
  for (const i of o.ingresses) {
    const head = [
      `Ingress ${i.ingress}`,
      i.class ? `class ${i.class}` : '',
      i.address ? `address ${i.address}` : '',
    ]
      .filter(Boolean)
      .join('  ');
    parts.push(i.tls.length ? `${head}\nTLS: ${i.tls.join('; ')}` : head);
  }
  if (o.routes.length) {
    const many = new Set(o.routes.map((r) => r.ingress)).size > 1;
    parts.push(
      renderTable<RouteRow>(o.routes, [
        ...(many ? [{ header: 'ingress', value: (r: RouteRow) => r.ingress }] : []),
        { header: 'host', value: (r) => r.host },
        { header: 'path', value: (r) => r.path },
        { header: 'backend', value: (r) => r.backend },
        { header: 'target', value: (r) => r.target ?? '-' },
        { header: 'ready', value: (r) => r.ready ?? '-' },
      ]),
    );
  } else if (o.services.length === 1) {
    parts.push(`No Ingress in ${o.services[0]!.service.split('/')[0]} routes to this Service.`);
  }
  for (const s of o.services) parts.push(serviceText({ ...s, problems: [] }));
  const problems = [
    ...o.problems,
    ...o.services.flatMap((s) => s.problems.map((p) => `service ${s.service}: ${p}`)),
  ];
  parts.push(
    problems.length ? `Problems:\n${problems.map((p) => `- ${p}`).join('\n')}` : 'No broken link found.',
  );
  return parts.join('\n\n');
}

const pathIn = z
  .string()
  .refine((path) => path.startsWith('/'), 'starts with /')
  .optional()
  .describe('With `host`: the request path');

export const trafficTrace = kubeTool({
  name: 'traffic_trace',
  title: 'Trace traffic',
  description:
    'Traces Ingress → Service → endpoints → pods from an ingress, service or host; names broken links.',
  toolset: 'diagnostics',
  input: z.object({
    ingress: nonEmpty().optional().describe('Ingress name'),
    service: nonEmpty().optional().describe('Service name'),
    host: nonEmpty().optional().describe('Host or URL'),
    path: pathIn,
    namespace: nonEmpty().optional().describe("Default: the context's; for `host`: all"),
  }),
  output,
  annotations: ANNOTATIONS.read,
  render: { kind: 'text', text: render },
  async handler(input, { client, signal }) {
    const given = [input.ingress, input.service, input.host].filter((v) => v !== undefined).length;
    if (given !== 1) throw badInput('ingress', 'give exactly one of `ingress`, `service` or `host`');
    if (input.path !== undefined && input.host === undefined) {
      throw badInput('path', 'only goes with `host`');
    }
    const namespace = input.namespace ?? client.defaultNamespace;
    let routes: Route[];
    let start: Service | undefined;
    if (input.ingress !== undefined) {
      const name = input.ingress;
      const ingress = await withSuggestions(client, TYPES.ingresses, name, namespace, signal, () =>
        client.get<Ingress>(TYPES.ingresses, name, { namespace, signal }),
      );
      routes = routesOf(ingress);
    } else if (input.service !== undefined) {
      const name = input.service;
      start = await withSuggestions(client, TYPES.services, name, namespace, signal, () =>
        client.get<Service>(TYPES.services, name, { namespace, signal }),
      );
      const ingresses = await client.list<Ingress>(TYPES.ingresses, { namespace, limit: 500, signal });
      routes = ingresses.items.flatMap(routesOf).filter((r) => r.backend.service?.name === name);
    } else {
      routes = await hostRoutes(client, input.host!, input.path, input.namespace, signal);
    }
    return trace(client, routes, start, signal);
  },
});

/** The routes that serve a host (and path), from the Ingresses of a namespace or of every namespace. */
async function hostRoutes(
  client: KubeClient,
  given: string,
  givenPath: string | undefined,
  namespace: string | undefined,
  signal: AbortSignal,
): Promise<Route[]> {
  const { host, path } = splitHost(given, givenPath);
  const ingresses = (
    await client.list<Ingress>(TYPES.ingresses, {
      ...(namespace ? { namespace } : {}),
      limit: 1000,
      signal,
    })
  ).items;
  const routes = routesFor(ingresses, host, path);
  if (routes.length) return routes;
  const hosts = hostsOf(ingresses).filter((h) => h !== '*');
  const close = closeNames(host, hosts, 5);
  throw new ToolError(
    `No Ingress${namespace ? ` in namespace ${namespace}` : ''} serves host "${host}"` +
      `${path !== undefined ? ` at path ${path}` : ''}.`,
    {
      next: close.length
        ? `Did you mean ${close.map((h) => `"${h}"`).join(', ')}?`
        : hosts.length
          ? `Hosts served: ${hosts.slice(0, 20).join(', ')}.`
          : 'No Ingress has host rules here; try `traffic_trace` with `service`.',
    },
  );
}

/** `https://shop.example.com/api` → host and path; a bare host stays as it is. */
function splitHost(given: string, path: string | undefined): { host: string; path: string | undefined } {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput('host', `"${given}" is not a host name or URL`);
  }
  const fromUrl = url.pathname !== '/' || given.endsWith('/') ? url.pathname : undefined;
  return { host: url.hostname, path: path ?? fromUrl };
}

async function trace(
  client: KubeClient,
  routes: Route[],
  start: Service | undefined,
  signal: AbortSignal,
): Promise<Output> {
  const problems: string[] = [];
  const byName = new Map(routes.map((r) => [ingressName(r.ingress), r.ingress]));
  const ingresses = [...byName.values()].slice(0, MAX_INGRESSES);
  if (byName.size > ingresses.length) {
    problems.push(`${byName.size} Ingresses match; only the first ${MAX_INGRESSES} are traced (narrow it)`);
    routes = routes.filter((r) => ingresses.includes(r.ingress));
  }
  const classes = ingresses.length ? await readClasses(client, signal) : undefined;
  const facts: IngressFacts[] = await mapLimit(ingresses, CONCURRENCY, (i) =>
    ingressFacts(client, i, classes, signal),
  );
  for (const f of facts) problems.push(...f.problems.map((p) => `ingress ${f.ingress}: ${p}`));

  const keys = new Set<string>(start ? [`${start.metadata?.namespace}/${start.metadata?.name}`] : []);
  for (const r of routes) {
    if (r.backend.service?.name) keys.add(`${r.ingress.metadata?.namespace}/${r.backend.service.name}`);
  }
  const wanted = [...keys].slice(0, MAX_SERVICES);
  if (keys.size > wanted.length)
    problems.push(`only the first ${MAX_SERVICES} of ${keys.size} Services are traced`);
  const found = await mapLimit(wanted, CONCURRENCY, async (key): Promise<TracedService | undefined> => {
    const [ns, name] = key.split('/') as [string, string];
    const service =
      start && key === `${start.metadata?.namespace}/${start.metadata?.name}`
        ? start
        : await getService(client, ns, name, signal);
    return service ? traceService(client, service, signal) : undefined;
  });
  const traced = new Map(wanted.map((key, i) => [key, found[i]]));
  const missing = await missingNotes(
    client,
    [...traced].filter(([, t]) => !t).map(([k]) => k),
    signal,
  );

  const rows = routes.map((r): RouteRow => {
    const ns = r.ingress.metadata?.namespace ?? '';
    const row = {
      ingress: ingressName(r.ingress),
      host: r.host,
      path: r.pathType && r.pathType !== 'Prefix' ? `${r.path} (${r.pathType})` : r.path,
    };
    const svc = r.backend.service;
    if (!svc?.name) {
      const res = r.backend.resource;
      problems.push(`${row.host}${row.path}: resource backend ${res?.kind}/${res?.name} is not traced`);
      return { ...row, backend: `${res?.kind ?? '?'}/${res?.name ?? '?'}` };
    }
    const port = svc.port?.number ?? svc.port?.name ?? '?';
    const backend = `${svc.name}:${port}`;
    const key = `${ns}/${svc.name}`;
    if (!traced.has(key)) return { ...row, backend };
    const t = traced.get(key);
    if (!t) {
      problems.push(`${row.host}${row.path} → ${backend}: ${missing.get(key)}`);
      return { ...row, backend };
    }
    const p = t.ports.find((sp) =>
      svc.port?.number !== undefined ? sp.spec.port === svc.port.number : sp.spec.name === svc.port?.name,
    );
    if (!p) {
      problems.push(
        `${row.host}${row.path} → ${backend}: Service ${svc.name} has no port ${typeof port === 'number' ? port : `named "${port}"`} ` +
          `(it has ${t.ports.map((x) => portLabel(x.spec)).join(', ') || 'none'})`,
      );
      return { ...row, backend };
    }
    const target = landsOn(p);
    const ready = t.backends.filter((b) => b.ready).length;
    return { ...row, backend, target, ready: `${ready}/${t.backends.length}` };
  });

  const services: ServiceSummary[] = [];
  for (const t of traced.values()) {
    if (!t) continue;
    services.push(summarize(t));
  }
  return {
    ingresses: facts.map(({ problems: _p, ...f }) => f),
    routes: rows,
    services,
    problems,
  };
}

async function getService(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<Service | undefined> {
  try {
    return await client.get<Service>(TYPES.services, name, { namespace, signal });
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return undefined;
    throw error;
  }
}

/** "Service payments not found in team-b (close: payment)" for each missing Service, one list per namespace. */
async function missingNotes(
  client: KubeClient,
  keys: string[],
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  const namespaces = [...new Set(keys.map((k) => k.split('/')[0]!))];
  const names = new Map<string, string[]>();
  await mapLimit(namespaces, CONCURRENCY, async (ns) => {
    const list = await client
      .listMetadata(TYPES.services, { namespace: ns, limit: 1000, signal })
      .catch(() => ({ items: [] }));
    names.set(
      ns,
      list.items.map((s) => s.metadata?.name ?? ''),
    );
  });
  for (const key of keys) {
    const [ns, name] = key.split('/') as [string, string];
    const close = closeNames(name, names.get(ns) ?? [], 3);
    notes.set(
      key,
      `Service ${name} not found in ${ns}${close.length ? ` (close: ${close.join(', ')})` : ''}`,
    );
  }
  return notes;
}
