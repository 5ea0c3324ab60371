import { type AdminReply, parseFault, handleAdmin as simAdmin } from 'sim-kit';
import type { CloudStackSim, Fault } from './types.js';

export type AdminTarget = Pick<
  CloudStackSim,
  'log' | 'addFault' | 'clearFaults' | 'setJobSteps' | 'releaseJobs' | 'credentials'
>;

function parseJobSteps(body: unknown): number {
  const steps = (body as { jobSteps?: unknown } | null)?.jobSteps;
  if (steps === 'Infinity') return Number.POSITIVE_INFINITY;
  if (typeof steps !== 'number' || !(steps >= 0))
    throw new Error('jobSteps must be a non-negative number or "Infinity"');
  return steps;
}

/** Test-only control endpoints under /__sim/ (sim-kit's log and faults, and the async job controls). */
export function handleAdmin(target: AdminTarget, method: string, path: string, body: string): AdminReply {
  return simAdmin(
    {
      log: target.log,
      addFault: (f: Fault) => target.addFault(f),
      clearFaults: () => target.clearFaults(),
      parseFault: (b) => parseFault<Fault>(b, 'command'),
    },
    {
      'POST /__sim/config': (json) => {
        target.setJobSteps(parseJobSteps(json()));
        return { status: 204 };
      },
      'POST /__sim/release-jobs': () => {
        target.releaseJobs();
        return { status: 204 };
      },
      'GET /__sim/credentials': () => ({ status: 200, body: target.credentials }),
    },
    method,
    path,
    body,
  );
}
