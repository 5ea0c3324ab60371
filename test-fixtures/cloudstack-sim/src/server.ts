import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { applyFault, type Faults, readBody, sendAdminReply, type Timers } from 'sim-kit';
import { type AdminTarget, handleAdmin } from './admin.js';
import { handleApi } from './api.js';
import type { Engine } from './engine.js';
import { isForm, MAX_BODY, mergeParams, parseCookies, send, sendText } from './http.js';
import { faultBodies } from './inject.js';
import { authKind, redact } from './log.js';
import type { Fault, LogEntry } from './types.js';
import { responseFormat, serialize } from './wire.js';

export interface ServerDeps {
  engine: Engine;
  faults: Faults<Fault, string>;
  log: LogEntry[];
  timers: Timers;
  admin: () => AdminTarget;
}

export function createSimServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch((err: Error) => {
      if (res.headersSent) res.destroy();
      else sendText(res, 500, err.stack ?? err.message);
    });
  });
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const body = await readBody(req, MAX_BODY);
  if (body === undefined) return sendText(res, 413, 'Form too large');
  if (url.pathname.startsWith('/__sim/')) {
    const reply = handleAdmin(deps.admin(), method, url.pathname, body);
    sendAdminReply(res, reply);
    return;
  }
  if (url.pathname !== '/client/api' && url.pathname !== '/client/api/')
    return sendText(res, 404, 'Not Found');

  const params = mergeParams(url.searchParams, isForm(req) ? body : undefined);
  const cookies = parseCookies(req.headers.cookie);
  const command = params.get('command');
  const format = responseFormat(params);
  const entry: LogEntry = {
    at: Date.now(),
    method,
    command: command ?? '',
    params: redact(params),
    auth: authKind(deps.engine.sessions, params, cookies),
    status: 0,
  };
  deps.log.push(entry);
  // Observed, never acted on: a client that gives up on a request, or cancels it, closes the connection
  // before the answer (the only trace a cancellation leaves at a real server, too).
  res.once('close', () => {
    if (!res.writableFinished) entry.clientClosed = true;
  });

  // Faults come first, before authentication, like a proxy or an overloaded server would.
  const fault = deps.faults.take(command ?? '');
  if (fault) {
    const status = await applyFault(fault, req, res, deps.timers, faultBodies(command, format));
    if (status !== undefined) {
      entry.status = status;
      return;
    }
  }
  if (method !== 'GET' && method !== 'POST') {
    entry.status = 405;
    return sendText(res, 405, `HTTP method ${method} is not supported by this URL`);
  }
  const reply = handleApi(deps.engine, { method, params, cookies });
  entry.status = reply.status;
  send(res, serialize(reply, format));
}
