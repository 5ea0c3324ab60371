import type { ServerResponse } from 'node:http';

/** What a test-only control endpoint answers: a status, and a JSON body or none. */
export interface AdminReply {
  status: number;
  body?: unknown;
}

/** What every simulator offers its tests: the request log and fault injection. */
export interface AdminCommon<F> {
  log: unknown[];
  addFault(fault: F): void;
  clearFaults(): void;
  /** Reads a fault posted as JSON (sim-kit's `parseFault` with the simulator's own fields). */
  parseFault(body: unknown): F;
}

/** A simulator's own control endpoints, by `METHOD /__sim/path`; each gets the parsed JSON body. */
export type AdminRoutes = Record<string, (body: () => unknown) => AdminReply>;

/**
 * Test-only control endpoints under /__sim/, outside the simulated API and its authentication:
 * `GET|DELETE /__sim/log`, `POST|DELETE /__sim/faults`, and the simulator's own routes. A bad body is a
 * 400 with its error, an unknown route a 404.
 */
export function handleAdmin<F>(
  common: AdminCommon<F>,
  routes: AdminRoutes,
  method: string,
  path: string,
  text: string,
): AdminReply {
  const route = `${method.toUpperCase()} ${path}`;
  const json = () => JSON.parse(text || 'null') as unknown;
  try {
    switch (route) {
      case 'GET /__sim/log':
        return { status: 200, body: common.log };
      case 'DELETE /__sim/log':
        common.log.length = 0;
        return { status: 204 };
      case 'POST /__sim/faults':
        common.addFault(common.parseFault(json()));
        return { status: 204 };
      case 'DELETE /__sim/faults':
        common.clearFaults();
        return { status: 204 };
    }
    const own = routes[route];
    return own ? own(json) : { status: 404, body: { error: `no admin endpoint ${route}` } };
  } catch (err) {
    return { status: 400, body: { error: (err as Error).message } };
  }
}

/** Writes an admin reply: JSON when it has a body. */
export function sendAdminReply(res: ServerResponse, reply: AdminReply): void {
  if (reply.body === undefined) res.writeHead(reply.status).end();
  else res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
}
