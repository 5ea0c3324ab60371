import { parseFault } from 'sim-kit';
import type { CloudekaSim, Fault } from './types.js';

export interface AdminTarget {
  sim: CloudekaSim;
  authDbError(): boolean;
}

export interface AdminReply {
  status: number;
  body?: unknown;
}

function flag(body: unknown): boolean {
  const on = (body as { on?: unknown } | null)?.on;
  if (typeof on !== 'boolean') throw new Error('body must be {"on": true|false}');
  return on;
}

function seconds(body: unknown): number {
  const s = (body as { seconds?: unknown } | null)?.seconds;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0)
    throw new Error('body must be {"seconds": N} with N >= 0');
  return s;
}

/** Test-only control endpoints under /__sim/, outside the API, its authentication and the request log. */
export function handleAdmin(target: AdminTarget, method: string, path: string, text: string): AdminReply {
  const { sim } = target;
  const route = `${method} ${path}`;
  const json = () => JSON.parse(text || 'null') as unknown;
  try {
    switch (route) {
      case 'GET /__sim/log':
        return { status: 200, body: sim.log };
      case 'DELETE /__sim/log':
        sim.log.length = 0;
        return { status: 204 };
      case 'POST /__sim/faults':
        sim.addFault(parseFault<Fault>(json(), 'route'));
        return { status: 204 };
      case 'DELETE /__sim/faults':
        sim.clearFaults();
        return { status: 204 };
      case 'GET /__sim/auth-db-error':
        return { status: 200, body: { on: target.authDbError() } };
      case 'POST /__sim/auth-db-error':
        sim.setAuthDbError(flag(json()));
        return { status: 204 };
      case 'POST /__sim/expire-jwts':
        sim.expireAllJwts();
        return { status: 204 };
      case 'GET /__sim/exchanges':
        return { status: 200, body: { count: sim.exchanges() } };
      case 'POST /__sim/jwt-ttl':
        sim.setJwtTtl(seconds(json()));
        return { status: 204 };
      case 'GET /__sim/info':
        return {
          status: 200,
          body: {
            url: sim.url,
            environment: sim.environment,
            tokens: sim.tokens,
            passwords: sim.passwords,
            ids: sim.ids,
          },
        };
      default:
        return { status: 404, body: { error: `no admin endpoint ${route}` } };
    }
  } catch (err) {
    return { status: 400, body: { error: (err as Error).message } };
  }
}
