import { parseFault } from 'sim-kit';
import type { OciFault, OciSim } from './types.js';

export type AdminTarget = Pick<OciSim, 'log' | 'addFault' | 'clearFaults' | 'advanceWorkRequests'>;

/** A fault received as JSON: sim-kit's fields plus `operation`, `path`, `code` and `message`. */
function parseOciFault(body: unknown): OciFault {
  const fault = parseFault<OciFault>(body, 'operation');
  const b = body as Record<string, unknown>;
  for (const key of ['path', 'code', 'message'] as const) {
    if (b[key] === undefined) continue;
    if (typeof b[key] !== 'string') throw new Error(`${key} must be a string`);
    fault[key] = b[key];
  }
  return fault;
}

export interface AdminReply {
  status: number;
  body?: unknown;
}

/** Test-only control endpoints under /__sim/, outside the OCI APIs and their authentication. */
export function handleAdmin(target: AdminTarget, method: string, path: string, body: string): AdminReply {
  const route = `${method} ${path}`;
  try {
    switch (route) {
      case 'GET /__sim/log':
        return { status: 200, body: target.log };
      case 'DELETE /__sim/log':
        target.log.length = 0;
        return { status: 204 };
      case 'POST /__sim/faults':
        target.addFault(parseOciFault(JSON.parse(body)));
        return { status: 204 };
      case 'DELETE /__sim/faults':
        target.clearFaults();
        return { status: 204 };
      case 'POST /__sim/advance':
        return { status: 200, body: { advanced: target.advanceWorkRequests() } };
      default:
        return { status: 404, body: { error: `no admin endpoint ${route}` } };
    }
  } catch (err) {
    return { status: 400, body: { error: (err as Error).message } };
  }
}
