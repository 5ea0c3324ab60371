import { type AdminReply, parseFault, handleAdmin as simAdmin } from 'sim-kit';
import type { CloudekaSim, Fault } from './types.js';

export interface AdminTarget {
  sim: CloudekaSim;
  authDbError(): boolean;
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

/** Test-only control endpoints under /__sim/ (sim-kit's log and faults, and the auth and JWT controls). */
export function handleAdmin(target: AdminTarget, method: string, path: string, text: string): AdminReply {
  const { sim } = target;
  return simAdmin(
    {
      log: sim.log,
      addFault: (f: Fault) => sim.addFault(f),
      clearFaults: () => sim.clearFaults(),
      parseFault: (b) => parseFault<Fault>(b, 'route'),
    },
    {
      'GET /__sim/auth-db-error': () => ({ status: 200, body: { on: target.authDbError() } }),
      'POST /__sim/auth-db-error': (json) => {
        sim.setAuthDbError(flag(json()));
        return { status: 204 };
      },
      'POST /__sim/expire-jwts': () => {
        sim.expireAllJwts();
        return { status: 204 };
      },
      'GET /__sim/exchanges': () => ({ status: 200, body: { count: sim.exchanges() } }),
      'POST /__sim/jwt-ttl': (json) => {
        sim.setJwtTtl(seconds(json()));
        return { status: 204 };
      },
      'GET /__sim/info': () => ({
        status: 200,
        body: {
          url: sim.url,
          environment: sim.environment,
          tokens: sim.tokens,
          passwords: sim.passwords,
          ids: sim.ids,
        },
      }),
    },
    method,
    path,
    text,
  );
}
