import { poll, type ToolContext } from '@cloudmcp/toolkit';
import type { ApiObject, CallOptions, CloudStackClient, Params } from './client.js';
import { CloudStackError } from './errors.js';

export interface JobResult {
  job_id: string;
  /** `succeeded`: finished; `pending`: still running (not waited for, timed out or cancelled). */
  job_status: 'succeeded' | 'pending';
  /** The id CloudStack returned with the job (the new VM, volume …), when it did. */
  resource_id?: string;
  /** The job's result object (`virtualmachine`, `volume`, `{success: true}` …), when finished. */
  result?: ApiObject;
  /** When pending: how to follow the job. */
  resume?: string;
}

interface AsyncJobAnswer {
  jobid?: string;
  id?: string;
}

export interface JobStatusAnswer {
  jobstatus?: number;
  jobprocstatus?: number;
  jobresultcode?: number;
  jobresult?: ApiObject & { errorcode?: number; errortext?: string };
  cmd?: string;
  created?: string;
  jobinstancetype?: string;
  jobinstanceid?: string;
}

export interface AsyncOptions {
  /** Wait for the job to finish (default) or return its id at once. */
  wait: boolean;
  timeoutMs: number;
  /** First wait between polls in milliseconds; tests and the simulator use small values. */
  pollIntervalMs?: number;
}

/** Reads a job's status once; a failed job becomes the CloudStackError it carries. */
export async function jobStatus(
  client: CloudStackClient,
  jobId: string,
  options: CallOptions = {},
): Promise<{ done: boolean; answer: JobStatusAnswer }> {
  const answer = await client.call<JobStatusAnswer>('queryAsyncJobResult', { jobid: jobId }, options);
  if (answer.jobstatus === 2) {
    const failure = answer.jobresult ?? {};
    throw new CloudStackError(
      commandOf(answer.cmd) ?? 'asyncjob',
      Number(failure.errorcode ?? answer.jobresultcode ?? 530),
      String(failure.errortext ?? 'the job failed'),
      undefined,
      jobId,
    );
  }
  return { done: answer.jobstatus === 1, answer };
}

/** `org.apache.cloudstack.api.command.user.vm.DeployVMCmd` → `DeployVMCmd`. */
export function commandOf(cmd: string | undefined): string | undefined {
  return cmd?.split('.').pop();
}

/**
 * Runs an async command: sends it exactly once, then (unless `wait` is false) polls
 * `queryAsyncJobResult` through the toolkit poller with progress notifications. A timeout or a
 * cancellation returns the job id and the tool to follow it with; the job keeps running in CloudStack.
 */
export async function runAsync(
  client: CloudStackClient,
  command: string,
  params: Params,
  ctx: Pick<ToolContext, 'signal' | 'progress' | 'log'>,
  options: AsyncOptions,
): Promise<JobResult> {
  const started = await client.call<AsyncJobAnswer>(command, params, { signal: ctx.signal });
  if (!started.jobid) throw new CloudStackError(command, 530, 'CloudStack did not return a job id');
  const jobId = started.jobid;
  const base = { job_id: jobId, ...(started.id ? { resource_id: started.id } : {}) };
  const pending = (why: string): JobResult => ({
    ...base,
    job_status: 'pending',
    resume: `${why} Follow it with job_status(job_id: "${jobId}").`,
  });
  if (!options.wait) return pending('Not waited for.');

  const outcome = await poll<ApiObject>({
    timeoutMs: options.timeoutMs,
    intervalMs: options.pollIntervalMs ?? 1000,
    signal: ctx.signal,
    check: async (signal) => {
      const { done, answer } = await jobStatus(client, jobId, { signal });
      return done
        ? { done: true, result: answer.jobresult ?? {} }
        : { done: false, message: `${command} job ${jobId} is running` };
    },
    onProgress: (p) => ctx.progress(p),
  });
  if (outcome.status === 'done') return { ...base, job_status: 'succeeded', result: outcome.result };
  if (outcome.status === 'cancelled') {
    ctx.log.warn(`${command}: stopped waiting (cancelled); job ${jobId} continues in CloudStack`);
    return pending('Stopped waiting: the call was cancelled; the job continues in CloudStack.');
  }
  const seconds = options.timeoutMs / 1000;
  return pending(`Still running after ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s.`);
}
