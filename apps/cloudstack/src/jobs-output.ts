import type { JobResult } from './client/jobs.js';

type JobFields = Omit<JobResult, 'result'>;

/**
 * Shapes the result of an async command for a tool's output: the job fields, plus the entity the finished
 * job returned under `key` (`virtualmachine`, `volume`, `ipaddress` …), renamed to `as`.
 */
export function jobWith<T, K extends string>(
  result: JobResult,
  key: string,
  as: K,
): JobFields & { [P in K]?: T } {
  const { result: payload, ...job } = result;
  const entity = payload?.[key] as T | undefined;
  return { ...job, ...(entity ? { [as]: entity } : {}) } as JobFields & { [P in K]?: T };
}

/** The job fields alone, for commands whose job returns only `{success: true}` (deletes, releases). */
export function jobOnly(result: JobResult): JobFields {
  const { result: _payload, ...job } = result;
  return job;
}

/** One line for a job's outcome: `Done (job …): <summary>.`, or how to follow it while it runs. */
export function jobText(
  out: { job_id: string; job_status: string; resource_id?: string | undefined; resume?: string | undefined },
  summary?: string,
): string {
  if (out.job_status === 'succeeded') return `Done (job ${out.job_id})${summary ? `: ${summary}` : ''}.`;
  const what = out.resource_id ? ` for ${out.resource_id}` : '';
  return `Job ${out.job_id} is still running${what}. ${out.resume ?? ''}`.trim();
}
