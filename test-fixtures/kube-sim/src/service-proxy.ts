/**
 * The API server's service proxy (`/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}`),
 * resolved as kube-apiserver's ResourceLocation does (pkg/registry/core/service/storage), with in-process
 * backends standing in for the pods behind a Service port.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from './cluster.js';
import { ApiError, badRequest, forbidden, notFound } from './errors.js';
import type { JsonObject } from './patch.js';
import type { UserInfo } from './rbac.js';
import type { RequestInfo } from './server.js';
import type { RequestLogEntry, SimCluster } from './types.js';

/** What the pod behind a Service port receives. */
export interface ProxiedRequest {
  method: string;
  /** The path on the backend, always starting with `/` (`/api/v1/query`). */
  path: string;
  /** The query string, without `?`. */
  query: string;
  /** The client's headers, without `Authorization` (the API server consumes it) and hop-by-hop headers. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ProxiedResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** An in-process server standing in for the pods behind one Service port. */
export type ServiceBackend = (req: ProxiedRequest) => ProxiedResponse | Promise<ProxiedResponse>;

interface Registration {
  namespace: string;
  service: string;
  /** The Service port's name or number. */
  port: string | number;
  scheme: 'http' | 'https';
  backend: ServiceBackend;
}

/**
 * Backends per cluster. A SimCluster shares exactly one object by identity with its Cluster, the request log,
 * so the registry is keyed by it: registering needs no hook on the cluster, and a closed cluster's backends
 * are collected with it.
 */
const registries = new WeakMap<RequestLogEntry[], Set<Registration>>();

function registry(log: RequestLogEntry[]): Set<Registration> {
  let r = registries.get(log);
  if (!r) {
    r = new Set();
    registries.set(log, r);
  }
  return r;
}

/**
 * Serves `backend` behind port `port` (the Service port's name or number) of Service `namespace/service`, as a
 * pod listening there would be. The API server still resolves the Service and its Endpoints first, so the
 * backend is reached only while the Service has a ready endpoint for that port. Returns the unregister function.
 */
export function registerServiceProxy(
  cluster: SimCluster,
  namespace: string,
  service: string,
  port: string | number,
  backend: ServiceBackend,
  opts: { scheme?: 'http' | 'https' } = {},
): () => void {
  const entry: Registration = { namespace, service, port, scheme: opts.scheme ?? 'http', backend };
  const r = registry(cluster.log);
  r.add(entry);
  return () => {
    r.delete(entry);
  };
}

export function isServiceProxy(info: RequestInfo): boolean {
  return (
    info.resourceRequest &&
    info.group === '' &&
    info.version === 'v1' &&
    info.resource === 'services' &&
    info.subresource === 'proxy' &&
    info.namespace !== '' &&
    info.name !== ''
  );
}

const serviceUnavailable = (message: string) => new ApiError(503, 'ServiceUnavailable', message);

/** utilnet.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port`, scheme http, https or empty. */
function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name = '';
  let port = '';
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else return undefined;
  return name !== '' && ['', 'http', 'https'].includes(scheme) ? { scheme, name, port } : undefined;
}

interface Location {
  scheme: string;
  service: string;
  ip: string;
  port: number;
  /** The Service port's name as the endpoints carry it (`''` for a single unnamed port). */
  portName: string;
}

/** ResourceLocation: the endpoint a request for `id` goes to, or the API server's error. */
function resourceLocation(c: Cluster, namespace: string, id: string): Location {
  const parts = splitSchemeNamePort(id);
  if (!parts) throw badRequest(`invalid service request "${id}"`);
  let portName = parts.port;
  if (/^[+-]?\d+$/.test(portName)) {
    const svc = c.store.get('services', namespace, parts.name);
    if (!svc) throw notFound('', 'services', parts.name);
    const wanted = Number(portName);
    const match = ((svc.spec?.ports ?? []) as JsonObject[]).find((p) => p.port === wanted);
    if (!match) throw serviceUnavailable(`no service port ${wanted} found for service "${parts.name}"`);
    portName = match.name ?? '';
  }
  const eps = c.store.get('endpoints', namespace, parts.name);
  if (!eps) throw notFound('', 'endpoints', parts.name);
  const subsets = (eps.subsets ?? []) as JsonObject[];
  if (subsets.length === 0) throw serviceUnavailable(`no endpoints available for service "${parts.name}"`);
  for (const ss of subsets) {
    const port = ((ss.ports ?? []) as JsonObject[]).find((p) => (p.name ?? '') === portName);
    if (!port) continue;
    // the real server picks at random among valid addresses; the first valid one keeps the sim deterministic
    const addr = ((ss.addresses ?? []) as JsonObject[]).find((a) => isValidAddress(c, namespace, a));
    if (addr)
      return { scheme: parts.scheme || 'http', service: parts.name, ip: addr.ip, port: port.port, portName };
  }
  throw serviceUnavailable(`no endpoints available for service "${id}"`);
}

/** isValidAddress: the address must point at an existing pod of the namespace that has that IP. */
function isValidAddress(c: Cluster, namespace: string, addr: JsonObject): boolean {
  const ref = addr.targetRef;
  if (ref?.kind !== 'Pod' || !ref.name) return false;
  const pod = c.store.get('pods', ref.namespace ?? namespace, ref.name);
  return (
    ((pod?.status?.podIPs ?? []) as JsonObject[]).some((p) => p.ip === addr.ip) ||
    pod?.status?.podIP === addr.ip
  );
}

function backendFor(c: Cluster, namespace: string, loc: Location): Registration | undefined {
  const svc = c.store.get('services', namespace, loc.service);
  const svcPort = ((svc?.spec?.ports ?? []) as JsonObject[]).find((p) => (p.name ?? '') === loc.portName);
  if (!svcPort) return undefined;
  for (const r of registries.get(c.log) ?? []) {
    if (r.namespace !== namespace || r.service !== loc.service) continue;
    if (r.port === svcPort.port || (typeof r.port === 'string' && r.port === (svcPort.name ?? ''))) return r;
  }
  return undefined;
}

/** Hop-by-hop headers, and what the proxy consumes (`Authorization`) or sets itself. */
const NOT_FORWARDED = new Set([
  'authorization',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'host',
]);

/** The client's headers as a reverse proxy passes them on, with the X-Forwarded-* the API server adds. */
function forwardedHeaders(req: IncomingMessage): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!NOT_FORWARDED.has(k)) out[k] = v;
  const client = req.socket.remoteAddress;
  if (client) out['x-forwarded-for'] = client;
  if (req.headers.host) out['x-forwarded-host'] = req.headers.host;
  out['x-forwarded-proto'] = 'https';
  out['x-forwarded-uri'] = req.url ?? '/';
  return out;
}

/** Answers a service proxy request: RBAC on `services/proxy`, endpoint resolution, then the backend's answer. */
export async function serveServiceProxy(
  c: Cluster,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  user: UserInfo,
  body: Buffer,
  entry: RequestLogEntry,
): Promise<void> {
  let id: string;
  try {
    id = decodeURIComponent(info.name);
  } catch {
    throw badRequest(`invalid service request "${info.name}"`);
  }
  const decision = c.authorizer.authorize({
    user,
    verb: info.verb,
    resourceRequest: true,
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'services',
    subresource: 'proxy',
    namespace: info.namespace,
    name: id,
  });
  if (!decision.allowed)
    throw forbidden(user.username, info.verb, '', 'services', 'proxy', info.namespace, id);
  const loc = resourceLocation(c, info.namespace, id);

  // the path after `/api/v1/namespaces/{ns}/services/{id}/proxy`, its trailing slash kept
  const raw = new URL(req.url ?? '/', 'https://kube-sim');
  const prefix = raw.pathname.split('/').slice(0, 8).join('/');
  const path = raw.pathname.slice(prefix.length);
  const query = raw.search.replace(/^\?/, '');
  if (path === '') {
    // UpgradeAwareHandler: the proxy root without a trailing slash is redirected to it
    res.writeHead(301, { Location: `${raw.pathname}/${query ? `?${query}` : ''}`, 'Content-Length': '0' });
    res.end();
    entry.status = 301;
    return;
  }

  const target = backendFor(c, info.namespace, loc);
  const dial = `${loc.ip}:${loc.port}`;
  if (!target)
    throw serviceUnavailable(`error trying to reach service: dial tcp ${dial}: connect: connection refused`);
  if (loc.scheme === 'https' && target.scheme === 'http') {
    throw serviceUnavailable(
      'error trying to reach service: tls: first record does not look like a TLS handshake',
    );
  }
  const answer =
    loc.scheme === 'http' && target.scheme === 'https'
      ? { status: 400, body: 'Client sent an HTTP request to an HTTPS server.\n' }
      : await target.backend({
          method: req.method ?? 'GET',
          path,
          query,
          headers: forwardedHeaders(req),
          body,
        });
  const payload = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer.headers ?? {}))
    if (!NOT_FORWARDED.has(k.toLowerCase())) headers[k] = v;
  headers['Content-Length'] = String(payload.length);
  res.writeHead(answer.status, headers);
  res.end(payload);
  entry.status = answer.status;
}
