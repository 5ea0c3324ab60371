/** The HTTP layer: request info, faults, authentication, authorization, content negotiation and routing. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFault } from 'sim-kit';
import { type FieldValidation, type ListOptions, rfc3339, type WriteOptions } from './api.js';
import type { Cluster } from './cluster.js';
import {
  ApiError,
  badRequest,
  forbidden,
  forbiddenPath,
  methodNotAllowed,
  notAcceptable,
  notFound,
  pathNotFound,
  unauthorized,
} from './errors.js';
import { apiserverBodies } from './faults.js';
import { impersonatedUser } from './impersonation.js';
import { isRunning, nodeMetrics, podMetrics } from './metrics.js';
import { K8S_VERSION, openapiV2Protobuf, openapiV3Doc, openapiV3Index } from './openapi.js';
import { clone, isObj, type JsonObject } from './patch.js';
import { decodeProtobuf, isProtobuf } from './proto.js';
import type { UserInfo } from './rbac.js';
import { gvString, type ResourceType } from './resources.js';
import {
  checkFieldSelector,
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.js';
import { isServiceProxy, serveServiceProxy } from './service-proxy.js';
import { type IncludeObject, toTable } from './table.js';
import type { RequestLogEntry } from './types.js';

export interface RequestInfo {
  resourceRequest: boolean;
  verb: string;
  path: string;
  group: string;
  version: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  extra: string[];
}

const DEBUG = process.env.KUBE_SIM_DEBUG === '1';

const NS_SUBRESOURCES = new Set(['status', 'finalize']);

export function requestInfo(method: string, path: string, q: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    resourceRequest: false,
    verb: method.toLowerCase() === 'head' ? 'get' : method.toLowerCase(),
    path,
    group: '',
    version: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    extra: [],
  };
  const seg = path.split('/').filter(Boolean);
  let rest: string[];
  if (seg[0] === 'api' && seg.length >= 3) {
    info.version = seg[1]!;
    rest = seg.slice(2);
  } else if (seg[0] === 'apis' && seg.length >= 4) {
    info.group = seg[1]!;
    info.version = seg[2]!;
    rest = seg.slice(3);
  } else return info;
  info.resourceRequest = true;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest[0] === 'namespaces' && rest.length > 1) {
    info.namespace = rest[1]!;
    if (rest.length > 2 && !NS_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
  }
  info.resource = rest[0] ?? '';
  info.name = rest[1] ?? '';
  info.subresource = rest[2] ?? '';
  info.extra = rest.slice(3);
  if (info.resource === 'namespaces' && info.name) info.namespace = info.name;
  const isWatch = watchPath || q.get('watch') === 'true' || q.get('watch') === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
  }
  return info;
}

interface Negotiated {
  table?: 'v1' | 'v1beta1';
  partial?: 'v1' | 'v1beta1';
  json: boolean;
}

export function negotiate(accept: string | undefined): Negotiated {
  if (!accept) return { json: true };
  const out: Negotiated = { json: false };
  for (const raw of accept.split(',')) {
    const [type, ...params] = raw.split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=').map((y) => y.trim()) as [string, string]));
    if (
      type === 'application/json' ||
      type === 'application/*' ||
      type === '*/*' ||
      type === 'application/yaml'
    ) {
      if (p.as === 'Table' && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1')) out.table ??= p.v;
      else if (
        (p.as === 'PartialObjectMetadata' || p.as === 'PartialObjectMetadataList') &&
        p.g === 'meta.k8s.io'
      ) {
        out.partial ??= p.v === 'v1beta1' ? 'v1beta1' : 'v1';
      } else if (!p.as) out.json = true;
    }
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 3 * 1024 * 1024) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function baseHeaders(): Record<string, string> {
  return {
    'Audit-Id': randomUUID(),
    'Cache-Control': 'no-cache, private',
    'X-Kubernetes-Pf-Flowschema-Uid': 'a4f7c8e2-1b7d-4d0e-9f43-0c2f5e6b9d11',
    'X-Kubernetes-Pf-Prioritylevel-Uid': 'f1d2c3b4-5a69-4788-97a6-b5c4d3e2f1a0',
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  entry: RequestLogEntry,
  contentType = 'application/json',
  warnings: string[] = [],
): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    ...baseHeaders(),
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(text)),
  };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(status, headers);
  res.end(text);
  entry.status = status;
}

function sendError(res: ServerResponse, e: ApiError, entry: RequestLogEntry): void {
  sendJson(res, e.code, e.toStatus(), entry);
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

function numberParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

function fieldValidation(q: URLSearchParams): FieldValidation | undefined {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return undefined;
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore') {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", but got "${v}"`);
  }
  return v;
}

function dryRun(q: URLSearchParams): boolean {
  const vals = q.getAll('dryRun');
  for (const v of vals) if (v !== 'All') throw badRequest(`Invalid value: "${v}": supported values: "All"`);
  return vals.length > 0;
}

export async function handleRequest(c: Cluster, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://kube-sim');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const q = url.searchParams;
  const method = (req.method ?? 'GET').toUpperCase();
  const info = requestInfo(method, path, q);
  const entry: RequestLogEntry = {
    at: new Date().toISOString(),
    method,
    path,
    query: url.search.replace(/^\?/, ''),
    userAgent: String(req.headers['user-agent'] ?? ''),
    status: 0,
  };
  if (req.headers.accept) entry.accept = req.headers.accept;
  if (req.headers['content-type']) entry.contentType = req.headers['content-type'];
  if (info.resourceRequest) {
    entry.verb = info.verb;
    entry.resource = info.resource;
    if (info.subresource) entry.subresource = info.subresource;
    if (info.namespace) entry.namespace = info.namespace;
    if (info.name) entry.name = info.name;
  }
  c.log.push(entry);
  if (c.log.length > 50_000) c.log.splice(0, 10_000);
  if (DEBUG) {
    console.error(
      `kube-sim ${c.opts.name}: ${method} ${req.url} ct=${req.headers['content-type'] ?? ''} accept=${req.headers.accept ?? ''} ua=${entry.userAgent}`,
    );
  }

  const fault = c.faults.take({ method, path, verb: entry.verb, resource: entry.resource });
  if (fault) {
    entry.fault = fault.kind;
    if (fault.kind === 'hang') req.resume(); // read the body, never answer
    // status defaults to 500 here (an apiserver's internal error), not sim-kit's 503 from a proxy
    const played = { ...fault, status: fault.status ?? 500 };
    const status = await applyFault(played, req, res, { delay }, apiserverBodies(fault, baseHeaders()));
    if (status !== undefined) {
      if (status > 0) entry.status = status;
      return;
    }
  }

  try {
    const raw = await readBody(req);
    const body = isProtobuf(req.headers['content-type'])
      ? JSON.stringify(decodeProtobuf(raw))
      : raw.toString('utf8');
    const authenticated = c.authenticate(req.headers.authorization);
    if (authenticated === 'invalid') throw unauthorized();
    entry.user = authenticated.username;
    const user = impersonatedUser(req, authenticated, c.authorizer);
    if (user !== authenticated) entry.impersonatedUser = user.username;
    if (isServiceProxy(info)) {
      await serveServiceProxy(c, req, res, info, user, raw, entry);
      return;
    }
    if (!info.resourceRequest) {
      nonResource(c, req, res, info, user, entry);
      return;
    }
    await resource(c, req, res, info, user, body, q, entry);
  } catch (e) {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (e instanceof ApiError) sendError(res, e, entry);
    else {
      console.error('kube-sim: internal error', e);
      sendError(
        res,
        new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`),
        entry,
      );
    }
  }
}

// ---- non-resource URLs ---------------------------------------------------------------------------------------------

function nonResource(
  c: Cluster,
  _req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  user: UserInfo,
  entry: RequestLogEntry,
): void {
  const path = info.path;
  const decision = c.authorizer.authorize({ user, verb: info.verb, resourceRequest: false, path });
  if (!decision.allowed) throw forbiddenPath(user.username, info.verb, path);
  if (info.verb !== 'get') throw methodNotAllowed();
  if (path === '/healthz' || path === '/livez' || path === '/readyz') {
    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end('ok');
    entry.status = 200;
    return;
  }
  if (path === '/version') {
    sendJson(
      res,
      200,
      {
        major: K8S_VERSION.major,
        minor: K8S_VERSION.minor,
        emulationMajor: K8S_VERSION.major,
        emulationMinor: K8S_VERSION.minor,
        minCompatibilityMajor: K8S_VERSION.major,
        minCompatibilityMinor: String(Number(K8S_VERSION.minor) - 1),
        gitVersion: K8S_VERSION.gitVersion,
        gitCommit: '66452049f3d692768c39c797b21b793dce80314e',
        gitTreeState: 'clean',
        buildDate: '2025-12-17T12:32:03Z',
        goVersion: 'go1.25.5',
        compiler: 'gc',
        platform: 'linux/amd64',
      },
      entry,
    );
    return;
  }
  if (path === '/api') {
    sendJson(res, 200, c.registry.apiVersions(`${c.opts.host}:${c.port}`), entry);
    return;
  }
  if (path === '/apis') {
    sendJson(res, 200, c.registry.apiGroupList(), entry);
    return;
  }
  const seg = path.split('/').filter(Boolean);
  if (seg[0] === 'api' && seg.length === 2) {
    const doc = c.registry.resourceList('', seg[1]!);
    if (doc) {
      sendJson(res, 200, doc, entry);
      return;
    }
  }
  if (seg[0] === 'apis' && seg.length === 2) {
    const doc = c.registry.apiGroup(seg[1]!);
    if (doc) {
      sendJson(res, 200, doc, entry);
      return;
    }
  }
  if (seg[0] === 'apis' && seg.length === 3) {
    const doc = c.registry.resourceList(seg[1]!, seg[2]!);
    if (doc) {
      sendJson(res, 200, doc, entry);
      return;
    }
  }
  if (path === '/openapi/v2') {
    const pb = openapiV2Protobuf();
    res.writeHead(200, {
      ...baseHeaders(),
      'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
      'Content-Length': String(pb.length),
    });
    res.end(pb);
    entry.status = 200;
    return;
  }
  if (path === '/openapi/v3') {
    sendJson(res, 200, openapiV3Index(c.registry), entry);
    return;
  }
  if (path.startsWith('/openapi/v3/')) {
    const doc = openapiV3Doc(c.registry, path.slice('/openapi/v3/'.length));
    if (doc) {
      sendJson(res, 200, doc, entry);
      return;
    }
  }
  throw pathNotFound();
}

// ---- resources ---------------------------------------------------------------------------------------------------

function listOptions(q: URLSearchParams): ListOptions {
  const limit = numberParam(q, 'limit');
  return {
    labelSelector: q.get('labelSelector'),
    fieldSelector: q.get('fieldSelector'),
    ...(limit !== undefined ? { limit } : {}),
    continue: q.get('continue'),
    resourceVersion: q.get('resourceVersion'),
    resourceVersionMatch: q.get('resourceVersionMatch'),
  };
}

function withKind(t: ResourceType, o: JsonObject): JsonObject {
  return {
    kind: t.kind,
    apiVersion: t.group === 'events.k8s.io' ? 'events.k8s.io/v1' : gvString(t.group, t.version),
    ...o,
  };
}

function listBody(t: ResourceType, items: JsonObject[], meta: JsonObject): JsonObject {
  return {
    kind: t.listKind,
    apiVersion: gvString(t.group, t.version),
    metadata: meta,
    items: t.builtin ? items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest) : items,
  };
}

function partial(o: JsonObject, v: string): JsonObject {
  const { managedFields: _m, ...meta } = o.metadata ?? {};
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${v}`, metadata: meta };
}

async function resource(
  c: Cluster,
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  user: UserInfo,
  body: string,
  q: URLSearchParams,
  entry: RequestLogEntry,
): Promise<void> {
  const t = c.registry.find(info.group, info.version, info.resource);
  if (!t || info.extra.length > 0) throw pathNotFound();
  if (info.namespace && !t.namespaced && !(t.kind === 'Namespace')) throw pathNotFound();
  if (t.namespaced && !info.namespace && info.name) throw pathNotFound();
  const sub = info.subresource;
  const subDef = sub ? t.subresources.find((s) => s.name === sub) : undefined;
  if (sub && !subDef) throw pathNotFound();
  const allowed = subDef ? subDef.verbs : t.verbs;
  const baseVerb = info.verb === 'watch' && info.name ? 'watch' : info.verb;
  if (
    !allowed.includes(baseVerb) &&
    !(baseVerb === 'watch' && allowed.includes('list') && t.verbs.includes('watch'))
  ) {
    throw methodNotAllowed();
  }
  const namespace = t.namespaced ? info.namespace : '';
  const attrs = {
    user,
    verb: info.verb,
    resourceRequest: true,
    apiGroup: t.group,
    apiVersion: t.version,
    resource: t.plural,
    subresource: sub,
    namespace,
    name: info.name,
  };
  const decision = c.authorizer.authorize(attrs);
  if (!decision.allowed)
    throw forbidden(user.username, info.verb, t.group, t.plural, sub, namespace, info.name);

  const neg = negotiate(req.headers.accept);
  if (!neg.json && !neg.table && !neg.partial) throw notAcceptable();
  const ns = namespace || undefined;

  if (t.virtual === 'metrics') {
    metrics(c, res, t, info, q, entry);
    return;
  }
  if (t.virtual === 'review') {
    if (info.verb !== 'create') throw methodNotAllowed();
    review(c, res, t, ns, user, parseJson(body), entry);
    return;
  }

  const write = (): WriteOptions => {
    const opts: WriteOptions = { user, dryRun: dryRun(q), subresource: sub };
    const fm = q.get('fieldManager');
    if (fm) {
      if (fm.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
      opts.fieldManager = fm;
    } else
      opts.fieldManager = (String(req.headers['user-agent'] ?? '').split('/')[0] || 'unknown').slice(0, 128);
    const fv = fieldValidation(q);
    if (fv) opts.fieldValidation = fv;
    if (q.get('force') === 'true') opts.force = true;
    return opts;
  };
  const now = Date.now();
  const include = (q.get('includeObject') as IncludeObject | null) ?? 'Metadata';
  const tableCT = (v: string) => `application/json;as=Table;v=${v};g=meta.k8s.io`;

  switch (info.verb) {
    case 'get': {
      if (sub === 'log') {
        podLog(c, res, t, ns, info.name, q, entry);
        return;
      }
      if (['exec', 'attach', 'portforward', 'proxy'].includes(sub))
        throw badRequest('Upgrade request required');
      const obj = c.api.get(t, ns, info.name, sub);
      if (neg.table && sub !== 'scale') {
        const meta = { resourceVersion: obj.metadata.resourceVersion };
        const table = toTable(t, [obj], meta, include, now, (o) => withKind(t, o));
        table.apiVersion = `meta.k8s.io/${neg.table}`;
        sendJson(res, 200, table, entry, tableCT(neg.table));
        return;
      }
      if (neg.partial && !neg.json) {
        sendJson(
          res,
          200,
          partial(obj, neg.partial),
          entry,
          `application/json;as=PartialObjectMetadata;v=${neg.partial};g=meta.k8s.io`,
        );
        return;
      }
      sendJson(res, 200, obj, entry);
      return;
    }
    case 'list': {
      const r = c.api.list(t, ns, listOptions(q));
      const meta: JsonObject = { resourceVersion: r.resourceVersion };
      if (r.continue) meta.continue = r.continue;
      if (r.remainingItemCount !== undefined) meta.remainingItemCount = r.remainingItemCount;
      if (neg.table) {
        const table = toTable(t, r.items, meta, include, now, (o) => withKind(t, o));
        table.apiVersion = `meta.k8s.io/${neg.table}`;
        sendJson(res, 200, table, entry, tableCT(neg.table));
        return;
      }
      if (neg.partial && !neg.json) {
        sendJson(
          res,
          200,
          {
            kind: 'PartialObjectMetadataList',
            apiVersion: `meta.k8s.io/${neg.partial}`,
            metadata: meta,
            items: r.items.map((o) => partial(o, neg.partial!)),
          },
          entry,
          `application/json;as=PartialObjectMetadataList;v=${neg.partial};g=meta.k8s.io`,
        );
        return;
      }
      sendJson(res, 200, listBody(t, r.items, meta), entry);
      return;
    }
    case 'watch': {
      if (info.name) {
        const fs = q.get('fieldSelector');
        q.set('fieldSelector', fs ? `${fs},metadata.name=${info.name}` : `metadata.name=${info.name}`);
      }
      const contentType = neg.table
        ? tableCT(neg.table)
        : neg.partial && !neg.json
          ? 'application/json'
          : 'application/json';
      entry.status = 200;
      c.watches.serve(
        c.store,
        req,
        res,
        { type: t, namespace: ns, query: q, extraFields: c.api.selectableFields(t) },
        {
          contentType,
          convert: (o, first) => {
            if (neg.table) {
              const table = toTable(
                t,
                [o],
                { resourceVersion: o.metadata.resourceVersion },
                include,
                Date.now(),
                (x) => withKind(t, x),
                false,
              );
              table.apiVersion = `meta.k8s.io/${neg.table}`;
              void first;
              return table;
            }
            if (neg.partial && !neg.json) return partial(o, neg.partial);
            return o;
          },
        },
        baseHeaders(),
      );
      return;
    }
    case 'create': {
      if (['exec', 'attach', 'portforward', 'proxy'].includes(sub)) {
        throw badRequest(`kube-sim runs no containers: ${t.plural}/${sub} is not supported`);
      }
      const input = parseJson(body);
      if (sub) {
        createSubresource(c, res, t, ns, info.name, sub, input, user, q, entry);
        return;
      }
      const r = c.api.create(t, ns, input, write());
      sendJson(res, r.status, r.body, entry, 'application/json', r.warnings);
      return;
    }
    case 'update': {
      const input = parseJson(body);
      if (t.kind === 'Namespace' && sub === 'finalize') {
        const r = c.api.update(t, undefined, info.name, input, { ...write(), subresource: 'status' });
        const cur = c.store.get('namespaces', undefined, info.name);
        if (cur && isObj(input.spec)) {
          cur.spec = input.spec;
          c.store.update('namespaces', cur);
        }
        sendJson(res, 200, r.body, entry);
        return;
      }
      const r = c.api.update(t, ns, info.name, input, write());
      sendJson(res, r.status, r.body, entry, 'application/json', r.warnings);
      return;
    }
    case 'patch': {
      const ct = String(req.headers['content-type'] ?? '');
      const opts = write();
      if (ct.startsWith('application/apply-patch') && !c.api.store.get(t.storage, ns, info.name) && !sub) {
        const create = c.authorizer.authorize({ ...attrs, verb: 'create' });
        if (!create.allowed)
          throw forbidden(user.username, 'create', t.group, t.plural, sub, namespace, info.name);
      }
      if (ct.startsWith('application/apply-patch') && !q.get('fieldManager')) delete opts.fieldManager;
      const r = c.api.patch(t, ns, info.name, ct, body, opts);
      sendJson(res, r.status, r.body, entry, 'application/json', r.warnings);
      return;
    }
    case 'delete': {
      const opts = body.trim() ? parseJson(body) : {};
      const grace = numberParam(q, 'gracePeriodSeconds');
      if (grace !== undefined) opts.gracePeriodSeconds = grace;
      const pp = q.get('propagationPolicy');
      if (pp) {
        if (!['Orphan', 'Background', 'Foreground'].includes(pp)) {
          throw badRequest(
            `propagationPolicy: Unsupported value: "${pp}": supported values: "Foreground", "Background", "Orphan"`,
          );
        }
        opts.propagationPolicy = pp;
      }
      if (dryRun(q)) opts.dryRun = ['All'];
      const r = c.api.delete(t, ns, info.name, opts, {
        user,
        dryRun: dryRun(q) || Array.isArray(opts.dryRun),
      });
      sendJson(res, r.status, r.body, entry);
      return;
    }
    case 'deletecollection': {
      const opts = body.trim() ? parseJson(body) : {};
      const pp = q.get('propagationPolicy');
      if (pp) opts.propagationPolicy = pp;
      const out = c.api.deleteCollection(t, ns, listOptions(q), opts, { user, dryRun: dryRun(q) });
      if (t.builtin)
        out.items = (out.items as JsonObject[]).map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
      sendJson(res, 200, out, entry);
      return;
    }
  }
  throw methodNotAllowed();
}

function parseJson(body: string): JsonObject {
  if (!body.trim()) throw badRequest("Object 'Kind' is missing in ''");
  try {
    const v = JSON.parse(body);
    if (!isObj(v)) throw new Error('expected an object');
    return v;
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

// ---- subresources ------------------------------------------------------------------------------------------------

function createSubresource(
  c: Cluster,
  res: ServerResponse,
  t: ResourceType,
  ns: string | undefined,
  name: string,
  sub: string,
  input: JsonObject,
  user: UserInfo,
  q: URLSearchParams,
  entry: RequestLogEntry,
): void {
  if (t.kind === 'Pod' && sub === 'eviction') {
    c.api.getStored(t, ns, name);
    const grace = input.deleteOptions?.gracePeriodSeconds;
    c.api.delete(t, ns, name, grace !== undefined ? { gracePeriodSeconds: grace } : {}, {
      user,
      dryRun: dryRun(q),
    });
    sendJson(
      res,
      201,
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
      entry,
    );
    return;
  }
  if (t.kind === 'Pod' && sub === 'binding') {
    const pod = c.api.getStored(t, ns, name);
    if (pod.spec?.nodeName) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${pod.spec.nodeName}"`,
        {
          name,
          kind: 'pods/binding',
        },
      );
    }
    pod.spec.nodeName = input.target?.name;
    c.store.update('pods', pod);
    sendJson(
      res,
      201,
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
      entry,
    );
    return;
  }
  if (t.kind === 'ServiceAccount' && sub === 'token') {
    const sa = c.api.getStored(t, ns, name);
    const seconds = Number(input.spec?.expirationSeconds ?? 3600);
    const token = c.issueServiceAccountToken(ns!, name, sa.metadata.uid, seconds);
    sendJson(
      res,
      201,
      {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name, namespace: ns, creationTimestamp: null },
        spec: {
          audiences: input.spec?.audiences ?? ['https://kubernetes.default.svc.cluster.local'],
          expirationSeconds: seconds,
          boundObjectRef: input.spec?.boundObjectRef ?? null,
        },
        status: { token, expirationTimestamp: rfc3339(new Date(Date.now() + seconds * 1000)) },
      },
      entry,
    );
    return;
  }
  if (['exec', 'attach', 'portforward', 'proxy'].includes(sub)) throw badRequest('Upgrade request required');
  throw methodNotAllowed();
}

function podLog(
  c: Cluster,
  res: ServerResponse,
  t: ResourceType,
  ns: string | undefined,
  name: string,
  q: URLSearchParams,
  entry: RequestLogEntry,
): void {
  const pod = c.api.getStored(t, ns, name);
  const tail = numberParam(q, 'tailLines');
  const limit = numberParam(q, 'limitBytes');
  const since = numberParam(q, 'sinceSeconds');
  if (limit !== undefined && limit < 1) throw badRequest('limitBytes: Invalid value: must be greater than 0');
  const text = c.logs.read(pod, {
    container: q.get('container'),
    previous: q.get('previous') === 'true',
    ...(tail !== undefined ? { tailLines: tail } : {}),
    ...(limit !== undefined ? { limitBytes: limit } : {}),
    ...(since !== undefined ? { sinceSeconds: since } : {}),
    sinceTime: q.get('sinceTime'),
    timestamps: q.get('timestamps') === 'true',
  });
  const follow = q.get('follow') === 'true';
  res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'text/plain' });
  res.write(text);
  entry.status = 200;
  if (!follow) {
    res.end();
    return;
  }
  const container = q.get('container') || pod.spec?.containers?.[0]?.name;
  let n = 0;
  const timer = setInterval(() => {
    const line = JSON.stringify({ level: 'info', msg: 'heartbeat', seq: ++n });
    c.logs.append(pod.metadata.namespace, pod.metadata.name, container, [line]);
    res.write(`${q.get('timestamps') === 'true' ? `${new Date().toISOString()} ` : ''}${line}\n`);
  }, 1000);
  const stop = () => clearInterval(timer);
  res.on('close', stop);
  c.watches.serveStop(() => {
    stop();
    res.end();
  }, res);
}

// ---- metrics.k8s.io -----------------------------------------------------------------------------------------------

function metrics(
  c: Cluster,
  res: ServerResponse,
  t: ResourceType,
  info: RequestInfo,
  q: URLSearchParams,
  entry: RequestLogEntry,
): void {
  const now = new Date();
  const labels = parseLabelSelector(q.get('labelSelector'));
  const fields = parseFieldSelector(q.get('fieldSelector'));
  checkFieldSelector(fields, 'metrics');
  const ns = info.namespace || undefined;
  let items: JsonObject[];
  if (t.kind === 'NodeMetrics') {
    const pods = c.store.peekAll('pods');
    items = c.store
      .peekAll('nodes')
      .filter((n) => matchLabels(labels, n.metadata.labels) && matchFields(fields, n))
      .map((n) => nodeMetrics(n, pods, now));
  } else {
    items = c.store
      .peekAll('pods', ns)
      .filter((p) => isRunning(p) && matchLabels(labels, p.metadata.labels) && matchFields(fields, p))
      .map((p) => podMetrics(p, now));
  }
  const apiVersion = 'metrics.k8s.io/v1beta1';
  if (info.name) {
    const one = items.find((i) => i.metadata.name === info.name);
    if (!one) throw notFound('metrics.k8s.io', t.plural, info.name);
    sendJson(res, 200, { kind: t.kind, apiVersion, ...one }, entry);
    return;
  }
  sendJson(res, 200, { kind: `${t.kind}List`, apiVersion, metadata: {}, items }, entry);
  return;
}

// ---- access reviews ---------------------------------------------------------------------------------------------------

function review(
  c: Cluster,
  res: ServerResponse,
  t: ResourceType,
  ns: string | undefined,
  user: UserInfo,
  input: JsonObject,
  entry: RequestLogEntry,
): void {
  const out: JsonObject = {
    kind: t.kind,
    apiVersion: `${t.group}/${t.version}`,
    metadata: { creationTimestamp: null },
    spec: clone(input.spec ?? {}),
  };
  const spec = input.spec ?? {};
  const decide = (subject: UserInfo) => {
    if (isObj(spec.resourceAttributes)) {
      const ra = spec.resourceAttributes;
      return c.authorizer.authorize({
        user: subject,
        verb: ra.verb ?? '',
        resourceRequest: true,
        apiGroup: ra.group ?? '',
        resource: ra.resource ?? '',
        subresource: ra.subresource ?? '',
        namespace: t.kind === 'LocalSubjectAccessReview' ? ns : (ra.namespace ?? ''),
        name: ra.name ?? '',
      });
    }
    if (isObj(spec.nonResourceAttributes)) {
      return c.authorizer.authorize({
        user: subject,
        verb: spec.nonResourceAttributes.verb ?? '',
        resourceRequest: false,
        path: spec.nonResourceAttributes.path ?? '',
      });
    }
    throw new ApiError(
      422,
      'Invalid',
      `${t.kind}.${t.group} "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`,
    );
  };
  switch (t.kind) {
    case 'SelfSubjectAccessReview': {
      const d = decide(user);
      out.status = d.allowed ? { allowed: true, reason: d.reason } : { allowed: false };
      break;
    }
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      if (!spec.user && !(spec.groups ?? []).length) {
        throw new ApiError(
          422,
          'Invalid',
          `${t.kind}.${t.group} "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified`,
        );
      }
      if (
        t.kind === 'LocalSubjectAccessReview' &&
        spec.resourceAttributes?.namespace &&
        spec.resourceAttributes.namespace !== ns
      ) {
        throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${ns}`);
      }
      const subject: UserInfo = { username: spec.user ?? '', groups: [...(spec.groups ?? [])] };
      if (spec.user && !subject.groups.includes('system:authenticated'))
        subject.groups.push('system:authenticated');
      const d = decide(subject);
      out.status = d.allowed ? { allowed: true, reason: d.reason } : { allowed: false };
      if (ns) out.metadata.namespace = ns;
      break;
    }
    case 'SelfSubjectRulesReview': {
      const namespace = spec.namespace ?? '';
      const rules = c.authorizer.rulesFor(user, namespace);
      out.status = {
        resourceRules: rules
          .filter((r) => (r.resources ?? []).length > 0)
          .map((r) => ({
            verbs: r.verbs,
            apiGroups: r.apiGroups,
            resources: r.resources,
            ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}),
          })),
        nonResourceRules: rules
          .filter((r) => (r.nonResourceURLs ?? []).length > 0)
          .map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
        incomplete: false,
      };
      break;
    }
    case 'SelfSubjectReview':
      out.status = {
        userInfo: { username: user.username, groups: user.groups, ...(user.uid ? { uid: user.uid } : {}) },
      };
      delete out.spec;
      break;
    case 'TokenReview': {
      const u = c.authenticate(`Bearer ${spec.token ?? ''}`);
      out.status =
        u === 'invalid' || !spec.token
          ? { authenticated: false, user: {}, error: 'invalid bearer token' }
          : {
              authenticated: true,
              user: { username: u.username, groups: u.groups, ...(u.uid ? { uid: u.uid } : {}) },
              audiences: spec.audiences ?? ['https://kubernetes.default.svc.cluster.local'],
            };
      break;
    }
  }
  sendJson(res, 201, out, entry);
  return;
}
