import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { applyFault, type Faults, readBody, sendAdminReply, type Timers } from 'sim-kit';
import { type AdminTarget, handleAdmin } from './admin.js';
import { type Answer, AUTH_ROUTE, type Auth, LOGIN_ROUTE } from './auth.js';
import { Ctx, type SimEnv } from './context.js';
import { errorBody, Reply, SimError, successBody } from './errors.js';
import { MAX_BODY, queryRecord, sendJson, sendText } from './http.js';
import { FAULT_BODIES, type FaultKey } from './inject.js';
import { isObject } from './kube-objects.js';
import { MASK, redact, redactPath, redactRecord, redactText } from './log.js';
import type { RouteDef, RouteMatch, Router } from './router.js';
import { HANDLERS } from './routes/index.js';
import type { User } from './state.js';
import type { Fault, RouteLogEntry } from './types.js';
import { type Args, checkArgs, QUERY_METHODS } from './validate.js';

export interface ServerDeps {
  env: SimEnv;
  auth: Auth;
  router: Router;
  faults: Faults<Fault, FaultKey>;
  log: RouteLogEntry[];
  timers: Timers;
  admin: () => AdminTarget;
  /** Called for every answered POST /core/cldkctl/auth (any status). */
  onExchange: () => void;
}

/**
 * What an unknown path (or a known path with another method) answers: Go's net/http and gin default, the
 * backend being Go (its `pq:` error). Inferred: the seed's live test saw the 404 status (the audit-log route),
 * not the body.
 */
const NOT_FOUND_TEXT = '404 page not found';

/** POSTs that only read: not recorded in the audit log. */
const READ_ONLY_POSTS = new Set([
  'POST /core/virtual-machine/detail-vm',
  'POST /core/billing/monthly-cost/history',
  'POST /core/dekaregistry/v2/user/password/show',
  'POST /core/pods/console',
]);

/** Fails fast when a route of the table has no handler or a handler has no route. */
export function checkCoverage(router: Router): void {
  const routes = new Set(router.all().map((r) => r.key));
  const missing = [...routes].filter((k) => k !== AUTH_ROUTE && k !== LOGIN_ROUTE && !HANDLERS[k]);
  const stray = Object.keys(HANDLERS).filter((k) => !routes.has(k));
  if (missing.length || stray.length) {
    throw new Error(
      `cloudeka-sim: routes without handler: ${missing.join(', ')}; handlers without route: ${stray.join(', ')}`,
    );
  }
}

export function createSimServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((err: Error) => {
      if (res.headersSent) res.destroy();
      else sendText(res, 500, err.stack ?? err.message);
    });
  });
}

type Parsed = { ok: true; value: unknown } | { ok: false };

function parseJson(text: string | undefined): Parsed {
  if (text === undefined || text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Requests whose `*_data` is a Secret manifest even without `kind: Secret`. */
function secretRoute(match: RouteMatch | undefined): boolean {
  return /^secrets?$/i.test(match?.params.resource ?? '') || match?.route.path === '/core/kubernetes/secrets';
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  const text = await readBody(req, MAX_BODY);
  if (url.pathname.startsWith('/__sim/')) {
    const reply = handleAdmin(deps.admin(), method, url.pathname, text ?? '');
    sendAdminReply(res, reply);
    return;
  }

  const match = deps.router.match(method, url.pathname);
  const params = match?.params ?? {};
  const query = queryRecord(url.searchParams);
  const parsed = parseJson(text);
  const authorization = req.headers.authorization;
  const entry: RouteLogEntry = {
    at: Date.now(),
    method,
    path: redactPath(decodePath(url.pathname), params),
    route: match?.route.path ?? '',
    params: redactRecord(params),
    query: redactRecord(query),
    body:
      text === undefined ? MASK : parsed.ok ? redact(parsed.value, '', secretRoute(match)) : redactText(text),
    auth: deps.auth.inspect(authorization).kind,
    status: 0,
  };
  deps.log.push(entry);
  const exchange = match?.route.key === AUTH_ROUTE;
  const finish = (status: number) => {
    entry.status = status;
    if (exchange && status > 0) deps.onExchange();
  };

  // Faults come first, before authentication, like a proxy or an overloaded server would.
  const fault = deps.faults.take({ method, route: entry.route });
  if (fault) {
    const status = await applyFault(fault, req, res, deps.timers, FAULT_BODIES);
    if (status !== undefined) return finish(status);
  }
  if (text === undefined) {
    sendJson(res, 413, errorBody(413, 'request body too large'));
    return finish(413);
  }
  if (!match) {
    sendText(res, 404, NOT_FOUND_TEXT);
    return finish(404);
  }
  let answer: Answer;
  try {
    answer = dispatch(deps, match.route, params, query, parsed, authorization);
  } catch (err) {
    if (!(err instanceof SimError)) throw err;
    answer = { status: err.status, body: errorBody(err.status, err.message) };
  }
  if (answer.text !== undefined) sendText(res, answer.status, answer.text);
  else sendJson(res, answer.status, answer.body);
  finish(answer.status);
}

function dispatch(
  deps: ServerDeps,
  route: RouteDef,
  params: Record<string, string>,
  query: Record<string, string>,
  parsed: Parsed,
  authorization: string | undefined,
): Answer {
  const body = (): Record<string, unknown> => {
    if (!parsed.ok) throw new SimError(400, 'invalid JSON body');
    if (parsed.value === undefined) return {};
    if (!isObject(parsed.value)) throw new SimError(400, 'request body must be a JSON object');
    return parsed.value;
  };
  if (route.key === AUTH_ROUTE) return wrap(deps.auth.exchange(body()));
  if (route.key === LOGIN_ROUTE) return wrap(deps.auth.login(body()));

  const user = deps.auth.authenticate(authorization);
  deps.auth.authorize(route, user);
  const args: Args = { params, values: QUERY_METHODS.has(route.method) ? query : body() };
  checkArgs(route.contract, args);
  const ctx = new Ctx(deps.env, user, route, args);
  const result = HANDLERS[route.key]!(ctx);
  if (route.method !== 'GET' && !READ_ONLY_POSTS.has(route.key)) audit(ctx, user);
  return result instanceof Reply
    ? { status: 200, body: successBody(result.data, result.extra) }
    : { status: 200, body: successBody(result) };
}

function wrap(answer: Answer): Answer {
  return answer.text !== undefined || answer.status !== 200
    ? answer
    : { status: 200, body: successBody(answer.body) };
}

/** A successful mutation enters the organization's audit log under the seed's tool name. */
function audit(ctx: Ctx, user: User): void {
  const inner = Object.values(ctx.args.values).find((v) => isObject(v) && typeof v.project_id === 'string') as
    | { project_id: string }
    | undefined;
  const projectId = ctx.arg('project_id');
  ctx.state.audit.push({
    id: ctx.state.id(),
    organization_id: user.organization_id,
    user_id: user.id,
    user_name: user.name,
    email: user.email,
    role: user.role,
    activity: ctx.route.contract.tool,
    method: ctx.route.method,
    endpoint: ctx.route.path,
    project_id: typeof projectId === 'string' ? projectId : (inner?.project_id ?? null),
    status: 'success',
    ip_address: '127.0.0.1',
    created_at: ctx.state.now(),
  });
}
