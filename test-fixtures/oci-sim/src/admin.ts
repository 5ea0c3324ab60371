import { type AdminReply, parseFault, handleAdmin as simAdmin } from 'sim-kit';
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

/** Test-only control endpoints under /__sim/ (sim-kit's log and faults, and work-request advancing). */
export function handleAdmin(target: AdminTarget, method: string, path: string, body: string): AdminReply {
  return simAdmin(
    {
      log: target.log,
      addFault: (f: OciFault) => target.addFault(f),
      clearFaults: () => target.clearFaults(),
      parseFault: parseOciFault,
    },
    { 'POST /__sim/advance': () => ({ status: 200, body: { advanced: target.advanceWorkRequests() } }) },
    method,
    path,
    body,
  );
}
