/**
 * Finding a cluster's Prometheus and asking it, in this order:
 *  1. `--prometheus-url` (the operator knows where it is), managed clusters only;
 *  2. the OpenShift Route `openshift-monitoring/thanos-querier` (`spec.host` over https), managed clusters only;
 *  3. each `--prometheus-service` (default: the usual Services) that exists, through the API server's proxy.
 * URL and Route get the cluster's CA (plus `--prometheus-ca`) and token; the hub's credentials stay in its
 * kubeconfig, so the hub is asked through Services only. The way that answered is reused for
 * `--prometheus-cache-ttl`; when it stops working the ways are tried again. When none answers, the error
 * lists every way tried and why each failed.
 */
import { KubeApiError, type KubeClient, kubeToolError, type ResourceType, TYPES } from '@cloudmcp/kube';
import { ToolError } from '@cloudmcp/toolkit';
import { type PrometheusSettings, type ServiceRef, serviceText } from './config.js';
import {
  EndpointFailure,
  EndpointTimeout,
  PrometheusAnswerError,
  type PrometheusEndpoint,
  serviceEndpoint,
  urlEndpoint,
} from './endpoint.js';
import { type PromSuccess, promSuccess } from './shape.js';

/** What discovery needs of one cluster. */
export interface ClusterReach {
  /** The cluster as messages name it. */
  name: string;
  /** Its Kubernetes API client (Route lookup, Services, service proxy). */
  client(signal: AbortSignal): Promise<KubeClient>;
  /** Its CA and service-account token (a managed cluster); absent for the hub. */
  access?: (signal: AbortSignal) => Promise<{ caPem: string; token(signal?: AbortSignal): Promise<string> }>;
}

/** A way that led to Prometheus, as remembered between calls. */
type Found = { kind: 'url' | 'route'; url: string } | { kind: 'service'; ref: ServiceRef };

interface Attempt {
  way: string;
  reason: string;
  /** The object it needs does not exist (listed together in the error). */
  missing?: boolean;
  hint?: 'proxy-forbidden';
}

export const ROUTE = { namespace: 'openshift-monitoring', name: 'thanos-querier' };

const ROUTE_TYPE: ResourceType = {
  group: 'route.openshift.io',
  version: 'v1',
  apiVersion: 'route.openshift.io/v1',
  resource: 'routes',
  singular: 'route',
  kind: 'Route',
  namespaced: true,
  verbs: [],
  shortNames: [],
  categories: [],
};

/** `host` or `host:port` (a DNS name or IPv4 address): what a Route's `spec.host` may be. */
const HOST =
  /^(?=.{1,253}(?::|$))[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*(:\d{1,5})?$/i;

const caches = new WeakMap<PrometheusSettings, Map<string, { found: Found; at: number }>>();

function cacheOf(settings: PrometheusSettings): Map<string, { found: Found; at: number }> {
  let cache = caches.get(settings);
  if (!cache) {
    cache = new Map();
    caches.set(settings, cache);
  }
  return cache;
}

function wayOf(found: Found): string {
  if (found.kind === 'service') return `Service ${serviceText(found.ref)} (API server service proxy)`;
  return found.kind === 'url'
    ? `--prometheus-url ${found.url}`
    : `Route ${ROUTE.namespace}/${ROUTE.name} (${found.url})`;
}

function sameWay(a: Found, b: Found): boolean {
  return wayOf(a) === wayOf(b);
}

type Step = { found: Found } | { skipped: Attempt };

/** The ways to try, lazily: a Route is looked up only when the URL did not answer, and so on. */
async function* discover(
  reach: ClusterReach,
  settings: PrometheusSettings,
  signal: AbortSignal,
): AsyncGenerator<Step> {
  const urlWay = '--prometheus-url';
  if (!settings.urlTemplate) yield { skipped: { way: urlWay, reason: 'not set' } };
  else if (!reach.access)
    yield { skipped: { way: urlWay, reason: 'not used for the hub (no token of its own for it)' } };
  else yield { found: { kind: 'url', url: settings.urlTemplate.replaceAll('{cluster}', reach.name) } };

  const routeWay = `Route ${ROUTE.namespace}/${ROUTE.name}`;
  if (!reach.access) {
    yield { skipped: { way: routeWay, reason: 'not used for the hub (no token of its own for it)' } };
  } else {
    const client = await reach.client(signal);
    const route = await lookUp(client, ROUTE_TYPE, ROUTE.name, ROUTE.namespace, signal);
    if (typeof route === 'string' || route === undefined) {
      yield { skipped: { way: routeWay, reason: route ?? 'not found', missing: route === undefined } };
    } else {
      const host = (route['spec'] as { host?: unknown } | undefined)?.host;
      if (typeof host === 'string' && HOST.test(host))
        yield { found: { kind: 'route', url: `https://${host}` } };
      else
        yield {
          skipped: {
            way: routeWay,
            reason: `spec.host ${JSON.stringify(host ?? null).slice(0, 80)} is not a host name`,
          },
        };
    }
  }

  for (const ref of settings.services) {
    const client = await reach.client(signal);
    const service = await lookUp(client, TYPES.services, ref.name, ref.namespace, signal);
    if (typeof service === 'object') yield { found: { kind: 'service', ref } };
    else
      yield {
        skipped: {
          way: `Service ${serviceText(ref)}`,
          reason: service ?? 'not found',
          missing: service === undefined,
        },
      };
  }
}

/** The object, undefined when it does not exist, or why it could not be read. */
async function lookUp(
  client: KubeClient,
  type: ResourceType,
  name: string,
  namespace: string,
  signal: AbortSignal,
): Promise<Record<string, unknown> | string | undefined> {
  try {
    return await client.get<Record<string, unknown>>(type, name, { namespace, signal });
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return undefined;
    if (error instanceof KubeApiError && error.code === 403) {
      return `may not read ${type.resource} in namespace ${namespace} (403 Forbidden)`;
    }
    throw kubeToolError(error);
  }
}

async function open(
  found: Found,
  reach: ClusterReach,
  settings: PrometheusSettings,
  signal: AbortSignal,
): Promise<PrometheusEndpoint> {
  if (found.kind === 'service')
    return serviceEndpoint(await reach.client(signal), found.ref, settings.timeoutMs);
  const access = await reach.access!(signal);
  return urlEndpoint({
    url: found.url,
    way: wayOf(found),
    caPem: settings.extraCaPem ? `${access.caPem.trim()}\n${settings.extraCaPem}` : access.caPem,
    token: (s) => access.token(s),
    timeoutMs: settings.timeoutMs,
  });
}

/** Asks one endpoint; its body must be a Prometheus success (an error answer throws PrometheusAnswerError). */
async function ask(
  endpoint: PrometheusEndpoint,
  path: string,
  params: Record<string, string>,
  signal: AbortSignal,
): Promise<PromSuccess> {
  try {
    const body = (await endpoint.get(path, params, signal)) as {
      status?: unknown;
      errorType?: unknown;
      error?: unknown;
    };
    if (body?.status === 'error') {
      throw new PrometheusAnswerError(String(body.errorType ?? 'error'), String(body.error ?? ''));
    }
    const parsed = promSuccess.safeParse(body);
    if (!parsed.success) throw new EndpointFailure('answered JSON that is not a Prometheus query result');
    return parsed.data;
  } finally {
    endpoint.close();
  }
}

export interface PrometheusAnswer {
  /** How Prometheus was reached. */
  way: string;
  answer: PromSuccess;
}

/**
 * Runs one API request (`/api/v1/query` or `/api/v1/query_range`) on a cluster's Prometheus, finding it
 * first. Every failure is a ToolError for the model: Prometheus' own message, a timeout naming the flag,
 * or the list of ways tried.
 */
export async function queryPrometheus(
  reach: ClusterReach,
  settings: PrometheusSettings,
  request: { path: string; params: Record<string, string>; signal: AbortSignal; now?: () => number },
): Promise<PrometheusAnswer> {
  const now = request.now ?? Date.now;
  const cache = cacheOf(settings);
  const tried: Attempt[] = [];
  const attempt = async (found: Found): Promise<PrometheusAnswer | undefined> => {
    const endpoint = await open(found, reach, settings, request.signal);
    try {
      const answer = await ask(endpoint, request.path, request.params, request.signal);
      cache.set(reach.name, { found, at: now() });
      return { way: endpoint.way, answer };
    } catch (error) {
      if (error instanceof EndpointFailure) {
        cache.delete(reach.name);
        tried.push({ way: endpoint.way, reason: error.reason, ...(error.hint ? { hint: error.hint } : {}) });
        return undefined;
      }
      if (error instanceof PrometheusAnswerError) {
        cache.set(reach.name, { found, at: now() });
        throw answerError(error, reach.name, endpoint.way);
      }
      if (error instanceof EndpointTimeout) throw timeoutError(reach.name, error.way, settings);
      throw kubeToolError(error);
    }
  };

  const hit = cache.get(reach.name);
  const cached = hit && now() - hit.at < settings.cacheTtlMs ? hit.found : undefined;
  if (cached) {
    const answer = await attempt(cached);
    if (answer) return answer;
  }
  for await (const step of discover(reach, settings, request.signal)) {
    if ('skipped' in step) {
      tried.push(step.skipped);
      continue;
    }
    if (cached && sameWay(step.found, cached)) continue;
    const answer = await attempt(step.found);
    if (answer) return answer;
  }
  throw notFoundError(reach.name, tried);
}

function answerError(error: PrometheusAnswerError, cluster: string, way: string): ToolError {
  const next: Record<string, string> = {
    bad_data:
      'Fix the PromQL (metric and label names, brackets, quotes, range durations like [5m]) and try again.',
    execution:
      'The query failed while running: aggregate or narrow it (sum by (…), fewer series, a shorter range or larger step).',
    timeout: 'Narrow the query (shorter range, larger step, fewer series, sum by (…)) and try again.',
    too_large: 'Narrow the query: aggregate (sum by (…), topk) or use a shorter range or larger step.',
  };
  return new ToolError(`Prometheus on cluster "${cluster}" refused the query (${error.errorType}).`, {
    code: error.httpStatus ? `${error.httpStatus} ${error.errorType}` : error.errorType,
    upstreamMessage: error.error,
    next: `${next[error.errorType] ?? next['bad_data']!} (asked through ${way})`,
  });
}

function timeoutError(cluster: string, way: string, settings: PrometheusSettings): ToolError {
  return new ToolError(
    `Prometheus on cluster "${cluster}" did not answer within ${settings.timeoutMs / 1000} s (${way}).`,
    {
      next:
        'Narrow the query (shorter range, larger step, fewer series, sum by (…)), or start the server with a ' +
        'longer --request-timeout.',
    },
  );
}

function notFoundError(cluster: string, tried: Attempt[]): ToolError {
  const missing = tried.filter((t) => t.missing).map((t) => t.way.replace(/^Service /, ''));
  const lines = tried.filter((t) => !t.missing).map((t) => `${t.way}: ${t.reason}`);
  const routeMissing = missing.find((m) => m.startsWith('Route '));
  if (routeMissing) lines.push(`${routeMissing}: not found`);
  const services = missing.filter((m) => !m.startsWith('Route '));
  if (services.length) lines.push(`no Service ${services.join(', ')}`);
  const forbidden = tried.some((t) => t.hint === 'proxy-forbidden');
  const next = forbidden
    ? 'Reconnect with a role that may use services/proxy (disconnect_cluster, then connect_cluster with cluster_role ' +
      'edit, if the operator allows it), or have the operator set --prometheus-url.'
    : 'Have the operator point the server at it: --prometheus-url TEMPLATE (e.g. https://prometheus.{cluster}.example.com) ' +
      'or --prometheus-service NS/NAME:PORT.';
  return new ToolError(
    `No Prometheus answered on cluster "${cluster}". Tried: ${lines.map((l, i) => `(${i + 1}) ${l}`).join('; ')}.`,
    {
      next,
    },
  );
}
