import { ANNOTATIONS, defineTool, pageInput, pageOutput, poll } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { CloudStackClient } from '../client/client.js';
import { CloudStackError } from '../client/errors.js';
import { commandOf, jobStatus } from '../client/jobs.js';
import { toToolError } from '../failures.js';
import { listPaged, MAX_PAGE_SIZE } from '../listing.js';
import { nonEmptyText } from '../schemas.js';
import type { Ctx } from '../tool-common.js';

const JOB_STATUS = ['pending', 'succeeded', 'failed'] as const;
type JobState = (typeof JOB_STATUS)[number];

const shortCmd = (cmd: unknown) => (typeof cmd === 'string' ? commandOf(cmd) : undefined);
const stateOf = (jobstatus: unknown): JobState | undefined => JOB_STATUS[Number(jobstatus)];

const jobStatusOutput = z.object({
  job_id: z.string().describe('CloudStack async job id'),
  job_status: z.enum(JOB_STATUS).describe('pending: still running; succeeded; failed: see `error`'),
  command: z.string().optional().describe('The command class the job runs, e.g. DeployVMCmd'),
  resource_type: z.string().optional().describe('Type of the resource the job works on, e.g. VirtualMachine'),
  resource_id: z.string().optional().describe('Id of that resource'),
  created: z.string().optional().describe('When the job started'),
  result: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('When succeeded: what the job returned (`virtualmachine`, `volume`, `success` …)'),
  error: z
    .object({
      code: z.number().describe('CloudStack errorcode'),
      text: z.string().describe('CloudStack errortext'),
    })
    .optional()
    .describe('When failed: why'),
  resume: z.string().optional().describe('When still pending after waiting: how to follow it'),
});
type JobStatusOutput = z.input<typeof jobStatusOutput>;

/** One read of a job. A failed job is an answer here, not an error: it is what the caller asked about. */
async function readJob(
  client: CloudStackClient,
  jobId: string,
  signal: AbortSignal,
): Promise<JobStatusOutput> {
  try {
    const { done, answer } = await jobStatus(client, jobId, { signal });
    const raw = answer;
    const command = shortCmd(raw.cmd);
    const type = raw.jobinstancetype;
    const resource = raw.jobinstanceid;
    return {
      job_id: jobId,
      job_status: done ? 'succeeded' : 'pending',
      ...(command ? { command } : {}),
      ...(typeof type === 'string' && type !== 'None' ? { resource_type: type } : {}),
      ...(resource !== undefined && resource !== null ? { resource_id: String(resource) } : {}),
      ...(typeof raw.created === 'string' ? { created: raw.created } : {}),
      ...(done ? { result: answer.jobresult ?? {} } : {}),
    };
  } catch (error) {
    if (error instanceof CloudStackError && error.jobId !== undefined) {
      return {
        job_id: jobId,
        job_status: 'failed',
        command: error.command,
        error: { code: error.errorcode, text: error.errortext },
      };
    }
    if (error instanceof CloudStackError && error.errorcode === 431) {
      throw toToolError(error, {
        message: `No job ${jobId} that this account can see.`,
        next: 'List jobs with `job_list` (with `start_date` for recent ones) and pass a `job_id` from it.',
      });
    }
    throw error;
  }
}

export const jobStatusTool = defineTool({
  name: 'job_status',
  title: 'Async job status',
  description: 'An async job: pending, its result, or CloudStack’s error.',
  toolset: 'jobs',
  input: z.object({
    job_id: nonEmptyText().describe('Async job id'),
    wait: z.boolean().optional().describe('Poll until it ends'),
  }),
  output: jobStatusOutput,
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const { client, jobs } = ctx.deps;
    const first = await readJob(client, input.job_id, ctx.signal);
    if (!input.wait || first.job_status !== 'pending') return first;
    let last = first;
    const outcome = await poll<JobStatusOutput>({
      timeoutMs: jobs.timeoutMs,
      intervalMs: jobs.pollIntervalMs,
      signal: ctx.signal,
      check: async (signal) => {
        last = await readJob(client, input.job_id, signal);
        return last.job_status === 'pending'
          ? { done: false, message: `job ${input.job_id} is running` }
          : { done: true, result: last };
      },
      onProgress: (p) => ctx.progress(p),
    });
    if (outcome.status === 'done') return outcome.result;
    const why =
      outcome.status === 'cancelled'
        ? 'Stopped waiting: the call was cancelled; the job continues in CloudStack.'
        : `Still running after ${Math.round(jobs.timeoutMs / 1000)} s.`;
    return { ...last, resume: `${why} Ask again with job_status(job_id: "${input.job_id}").` };
  },
});

const jobSchema = z.looseObject({
  jobid: z.string().describe('Async job id'),
  cmd: z.string().optional().describe('Command class'),
  jobstatus: z.number().optional().describe('0 pending, 1 succeeded, 2 failed'),
  jobresultcode: z.number().optional(),
  jobinstancetype: z.string().optional(),
  jobinstanceid: z.string().optional(),
  created: z.string().optional(),
});

export const jobList = defineTool({
  name: 'job_list',
  title: 'List async jobs',
  description: 'Async jobs, oldest first: command, status, resource, start time.',
  toolset: 'jobs',
  input: z.object({
    start_date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/, 'yyyy-MM-dd or "yyyy-MM-dd HH:mm:ss"')
      .optional()
      .describe('Started on or after'),
    ...pageInput({ defaultLimit: 50, maxLimit: MAX_PAGE_SIZE }),
  }),
  output: z.object(pageOutput(jobSchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'jobs',
    narrowHint: 'pass start_date',
    columns: [
      { header: 'job_id', value: (j) => j.jobid },
      { header: 'command', value: (j) => shortCmd(j.cmd), maxWidth: 40 },
      { header: 'status', value: (j) => stateOf(j.jobstatus) },
      {
        header: 'resource',
        value: (j) => (j.jobinstancetype && j.jobinstancetype !== 'None' ? j.jobinstancetype : ''),
      },
      { header: 'resource_id', value: (j) => j.jobinstanceid },
      { header: 'created', value: (j) => j.created },
    ],
  },
  async handler(input, ctx: Ctx) {
    return listPaged(
      ctx.deps.client,
      {
        command: 'listAsyncJobs',
        itemKey: 'asyncjobs',
        params: { listall: true, startdate: input.start_date },
        limit: input.limit,
        cursor: input.cursor,
      },
      { signal: ctx.signal },
    ) as never;
  },
});

export const jobTools = [jobStatusTool, jobList];
