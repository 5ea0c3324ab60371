import { type KubeClient, TYPES } from '../client.js';
import { KubeApiError } from '../errors.js';
import { type Ingress, type IngressBackend, type IngressClass, lbAddresses } from './kinds.js';

// An Ingress read as a router: its routes (host, path, backend), which of them a request would take, and the
// links in front of the Services that break it (its class, its address, its TLS secrets).

export interface Route {
  ingress: Ingress;
  /** `*` for any host. */
  host: string;
  /** `(default)` for the default backend. */
  path: string;
  pathType?: string;
  backend: IngressBackend;
}

const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS = 'kubernetes.io/ingress.class';

export function ingressName(ing: Ingress): string {
  return `${ing.metadata?.namespace ?? ''}/${ing.metadata?.name ?? ''}`;
}

/** Every route of an Ingress, rules first, then its default backend. */
export function routesOf(ingress: Ingress): Route[] {
  const routes: Route[] = [];
  for (const rule of ingress.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      if (!p.backend) continue;
      routes.push({
        ingress,
        host: rule.host ?? '*',
        path: p.path ?? '/',
        ...(p.pathType ? { pathType: p.pathType } : {}),
        backend: p.backend,
      });
    }
  }
  const fallback = ingress.spec?.defaultBackend;
  if (fallback) routes.push({ ingress, host: '*', path: '(default)', backend: fallback });
  return routes;
}

/** Whether a rule's host takes a request's: equal, or `*.example.com` for exactly one more label. */
export function hostMatches(ruleHost: string, host: string): boolean {
  const h = host.toLowerCase();
  const r = ruleHost.toLowerCase();
  if (r === '*' || r === h) return true;
  if (!r.startsWith('*.')) return false;
  const rest = h.indexOf('.');
  return rest > 0 && h.slice(rest) === r.slice(1);
}

/**
 * How well a route's path takes a request path (higher is more specific), or -1: Exact must be equal; Prefix
 * (and ImplementationSpecific, read as Prefix) matches whole path elements, so `/api` takes `/api/x` but not
 * `/apis`. The default backend takes anything, last.
 */
export function pathScore(route: Route, path: string): number {
  if (route.path === '(default)') return 0;
  if (route.pathType === 'Exact') return route.path === path ? route.path.length * 2 + 2 : -1;
  const prefix = route.path.replace(/\/+$/, '');
  const taken = prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
  return taken ? prefix.length * 2 + 1 : -1;
}

/** The routes a request to `host` (and `path`, when given) would take: with a path, only the best. */
export function routesFor(ingresses: Ingress[], host: string, path: string | undefined): Route[] {
  const matching = ingresses.flatMap(routesOf).filter((r) => r.host !== '*' && hostMatches(r.host, host));
  if (path === undefined) return matching;
  const scored = matching.map((r) => ({ r, score: pathScore(r, path) })).filter((s) => s.score >= 0);
  const best = Math.max(...scored.map((s) => s.score));
  return scored.filter((s) => s.score === best).map((s) => s.r);
}

/** Hosts an Ingress list serves, for suggestions. */
export function hostsOf(ingresses: Ingress[]): string[] {
  return [...new Set(ingresses.flatMap((i) => (i.spec?.rules ?? []).map((r) => r.host ?? '*')))];
}

export interface IngressFacts {
  ingress: string;
  class?: string;
  address?: string;
  tls: string[];
  problems: string[];
}

/** The IngressClasses, or undefined when they cannot be read (RBAC, or an API server without them). */
export async function readClasses(
  client: KubeClient,
  signal: AbortSignal,
): Promise<IngressClass[] | undefined> {
  try {
    return (await client.list<IngressClass>(TYPES.ingressClasses, { limit: 200, signal })).items;
  } catch (error) {
    if (error instanceof KubeApiError && (error.code === 403 || error.code === 404)) return undefined;
    throw error;
  }
}

/** Class, address and TLS secrets of an Ingress, and what in them keeps traffic from arriving. */
export async function ingressFacts(
  client: KubeClient,
  ingress: Ingress,
  classes: IngressClass[] | undefined,
  signal: AbortSignal,
): Promise<IngressFacts> {
  const namespace = ingress.metadata?.namespace ?? client.defaultNamespace;
  const problems: string[] = [];
  const fromSpec = ingress.spec?.ingressClassName;
  const named = fromSpec ?? ingress.metadata?.annotations?.[LEGACY_CLASS];
  let label = named;
  if (named) {
    const found = classes?.find((c) => c.metadata?.name === named);
    if (found?.spec?.controller) label = `${named} (${found.spec.controller})`;
    // The legacy annotation names a controller flag, not necessarily an IngressClass object.
    else if (classes && !found && fromSpec) {
      problems.push(`IngressClass "${named}" does not exist: no controller is told to serve this Ingress`);
    }
  } else if (classes) {
    const fallback = classes.find((c) => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true');
    if (fallback) label = `${fallback.metadata?.name} (default)`;
    else problems.push('no ingress class and no default IngressClass: controllers may ignore this Ingress');
  }
  const address = lbAddresses(ingress.status).join(',');
  if (!address) {
    problems.push(
      'no address: no ingress controller has admitted it yet (check the class and that the controller runs)',
    );
  }
  const tls: string[] = [];
  for (const t of ingress.spec?.tls ?? []) {
    const hosts = (t.hosts ?? []).join(',') || '*';
    if (!t.secretName) {
      tls.push(`(controller's default certificate) → ${hosts}`);
      continue;
    }
    tls.push(`${t.secretName} → ${hosts}`);
    if ((await secretExists(client, namespace, t.secretName, signal)) === false) {
      problems.push(
        `TLS secret ${t.secretName} not found in ${namespace}: the controller serves its default ` +
          `certificate for ${hosts}`,
      );
    }
  }
  return {
    ingress: ingressName(ingress),
    ...(label ? { class: label } : {}),
    ...(address ? { address } : {}),
    tls,
    problems,
  };
}

/** Whether a Secret exists, asked for its metadata only; undefined when the credentials may not list them. */
async function secretExists(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<boolean | undefined> {
  try {
    const page = await client.listMetadata(TYPES.secrets, {
      namespace,
      fieldSelector: `metadata.name=${name}`,
      limit: 1,
      signal,
    });
    return page.items.length > 0;
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 403) return undefined;
    throw error;
  }
}
