import { parseFault } from 'sim-kit';
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

export interface AdminReply {
  status: number;
  body?: unknown;
}

/** Test-only control endpoints under /__sim/, outside the CloudStack API and its authentication. */
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
        target.addFault(parseFault<Fault>(JSON.parse(body), 'command'));
        return { status: 204 };
      case 'DELETE /__sim/faults':
        target.clearFaults();
        return { status: 204 };
      case 'POST /__sim/config':
        target.setJobSteps(parseJobSteps(JSON.parse(body)));
        return { status: 204 };
      case 'POST /__sim/release-jobs':
        target.releaseJobs();
        return { status: 204 };
      case 'GET /__sim/credentials':
        return { status: 200, body: target.credentials };
      default:
        return { status: 404, body: { error: `no admin endpoint ${route}` } };
    }
  } catch (err) {
    return { status: 400, body: { error: (err as Error).message } };
  }
}
