import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { applyFault, type Faults, sendAdminReply, type Timers } from 'sim-kit';
import { type AdminTarget, handleAdmin } from './admin.js';
import { authenticate } from './auth.js';
import { notAuthenticated, notFound, OciApiError } from './errors.js';
import { errorReply, type Reply, requestId, send } from './http.js';
import { faultBodies, faultCode } from './inject.js';
import type { Keyring } from './keyring.js';
import { type Ctx, resolve } from './routes/index.js';
import type { OciFault, OciRequestLogEntry } from './types.js';

/** Request bodies beyond this are refused (413). */
const MAX_BODY = 1024 * 1024;

export interface ServerDeps {
  keyring: Keyring;
  faults: Faults<OciFault, { operation: string; path: string }>;
  log: OciRequestLogEntry[];
  timers: Timers;
  /** Everything a handler needs but the request itself. */
  context: Omit<Ctx, 'principal' | 'params' | 'query' | 'headers' | 'body'>;
  admin: () => AdminTarget;
}

export function createOciServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((err: Error) => {
      console.error('oci-sim: unhandled request error', err);
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end();
    });
  });
}

async function readRaw(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const rawUrl = req.url ?? '/';
  const url = new URL(rawUrl, 'http://oci-sim');
  const method = req.method ?? 'GET';
  const body = await readRaw(req);
  const clientId = req.headers['opc-request-id'];
  const opcRequestId = requestId(Array.isArray(clientId) ? clientId[0] : clientId);

  if (url.pathname.startsWith('/__sim/')) {
    const reply = handleAdmin(deps.admin(), method, url.pathname, body?.toString('utf8') ?? '');
    sendAdminReply(res, reply);
    return;
  }

  const resolved = resolve(method, url.pathname);
  const operation = resolved?.route.operation ?? 'Unknown';
  const entry: OciRequestLogEntry = {
    at: new Date().toISOString(),
    method,
    path: url.pathname,
    query: url.search.slice(1),
    operation,
    auth: 'none',
    status: 0,
    opcRequestId,
  };
  deps.log.push(entry);

  // Faults come first, before authentication, as an overloaded front door would answer.
  const fault = deps.faults.take({ operation, path: url.pathname });
  if (fault) {
    entry.fault = fault.kind;
    const status = await applyFault(fault, req, res, deps.timers, faultBodies(fault, opcRequestId));
    if (status !== undefined) {
      entry.status = status;
      if (fault.kind === 'status') entry.code = faultCode(fault);
      return;
    }
  }

  let reply: Reply;
  if (body === undefined) {
    reply = errorReply(new OciApiError(413, 'RequestEntityTooLarge', 'The request body is too large'));
  } else {
    const outcome = authenticate(deps.keyring, { method, rawUrl, headers: req.headers, body });
    if (!outcome.ok) {
      entry.auth = outcome.auth;
      entry.authError = outcome.reason;
      reply = errorReply(notAuthenticated());
    } else {
      entry.auth = outcome.principal.auth;
      entry.principal = outcome.principal.userId;
      reply = dispatch(resolved, {
        ...deps.context,
        principal: outcome.principal,
        params: resolved?.params ?? [],
        query: url.searchParams,
        headers: req.headers,
        body,
      });
    }
  }
  entry.status = reply.status;
  const code = (reply.json as { code?: unknown } | undefined)?.code;
  if (reply.status >= 400 && typeof code === 'string') entry.code = code;
  send(res, reply, opcRequestId);
}

function dispatch(resolved: ReturnType<typeof resolve>, ctx: Ctx): Reply {
  try {
    if (!resolved) throw notFound();
    // IAM denies without telling: a write the caller may not do looks like a missing resource.
    if (resolved.route.write && ctx.principal.role !== 'admin') throw notFound();
    return resolved.route.handle(ctx);
  } catch (err) {
    if (err instanceof OciApiError) return errorReply(err);
    console.error('oci-sim: internal error', err);
    return errorReply(new OciApiError(500, 'InternalServerError', 'Internal error occurred'));
  }
}
