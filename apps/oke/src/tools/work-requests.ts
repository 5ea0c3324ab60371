import { ANNOTATIONS, defineTool, poll, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { WorkRequest, WorkRequestSummary } from '../oci/api.js';
import { assertOcid } from '../oci/ocid.js';
import {
  type Ctx,
  clusterField,
  clusterOf,
  compartmentField,
  compartmentOf,
  ociPageInput,
  ociPageOutput,
  shortTime,
} from './common.js';

const STATUSES = ['ACCEPTED', 'IN_PROGRESS', 'FAILED', 'SUCCEEDED', 'CANCELING', 'CANCELED'] as const;
const ENDED = new Set(['FAILED', 'SUCCEEDED', 'CANCELED']);

const workRequestRow = z.object({
  id: z.string().optional(),
  operation: z.string().optional(),
  status: z.string().optional(),
  resources: z.array(z.string()).optional().describe('What it changes: "<type> <action> <OCID>"'),
  accepted: z.string().optional(),
  finished: z.string().optional(),
});

function rowOf(w: WorkRequestSummary | WorkRequest): z.input<typeof workRequestRow> {
  return {
    id: w.id,
    operation: w.operationType,
    status: w.status,
    resources: w.resources?.map(
      (r) => `${r.entityType ?? '?'} ${r.actionType ?? '?'} ${r.identifier ?? '?'}`,
    ),
    accepted: shortTime(w.timeAccepted),
    finished: shortTime(w.timeFinished),
  };
}

export const workRequestList = defineTool({
  name: 'work_request_list',
  title: 'List work requests',
  description:
    'Container Engine work requests (cluster and node pool changes) of a compartment, newest first.',
  toolset: 'oci',
  input: z.object({
    compartment: compartmentField,
    cluster: clusterField.describe("Only this cluster's (name or OCID)"),
    resource: z.string().optional().describe('Only those on this resource OCID'),
    status: z.array(z.enum(STATUSES)).optional().describe('Only these statuses'),
    ...ociPageInput(50),
  }),
  output: z.object(ociPageOutput(workRequestRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'work requests',
    columns: [
      { header: 'operation', value: (w) => w.operation },
      { header: 'status', value: (w) => w.status },
      { header: 'accepted', value: (w) => w.accepted },
      { header: 'finished', value: (w) => w.finished },
      { header: 'id', value: (w) => w.id },
    ],
  },
  async handler(input, ctx: Ctx) {
    const compartmentId = compartmentOf(input, ctx);
    const cluster = input.cluster !== undefined ? await clusterOf(input, ctx) : undefined;
    if (input.resource !== undefined) assertOcid(input.resource, 'resource');
    const answer = await ctx.deps.oci.listWorkRequests({
      compartmentId,
      ...(cluster ? { clusterId: cluster.id } : {}),
      ...(input.resource !== undefined ? { resourceId: input.resource } : {}),
      ...(input.status ? { statuses: [...input.status] } : {}),
      sortBy: 'TIME_ACCEPTED',
      sortOrder: 'DESC',
      limit: input.limit,
      ...(input.cursor !== undefined ? { page: input.cursor } : {}),
      signal: ctx.signal,
    });
    return { items: answer.items.map(rowOf), ...(answer.nextPage ? { next_cursor: answer.nextPage } : {}) };
  },
});

const workRequestDetail = workRequestRow.extend({
  started: z.string().optional(),
  errors: z.array(z.object({ code: z.string(), message: z.string(), at: z.string().optional() })).optional(),
  log: z.array(z.string()).optional().describe('The last log lines, oldest first'),
  resume: z.string().optional().describe('How to keep following it, when the wait ended before it did'),
});
type Detail = z.input<typeof workRequestDetail>;

const LOG_LINES = 20;

/** One work request's state (GetWorkRequest): what a poll needs. */
async function readStatus(
  ctx: Ctx,
  id: string,
  signal: AbortSignal,
): Promise<Detail & { compartmentId?: string }> {
  const w = await ctx.deps.oci.getWorkRequest(id, { signal });
  return {
    ...rowOf(w),
    started: shortTime(w.timeStarted),
    ...(w.compartmentId ? { compartmentId: w.compartmentId } : {}),
  };
}

/** Adds a work request's errors and the tail of its log (two more requests), once it is worth reading. */
async function withErrorsAndLog(
  ctx: Ctx,
  { compartmentId: own, ...detail }: Detail & { compartmentId?: string },
  signal: AbortSignal,
): Promise<Detail> {
  const compartmentId = own ?? ctx.deps.defaults.compartment;
  if (!compartmentId || !detail.id) return detail;
  const [errors, logs] = await Promise.all([
    ctx.deps.oci.listWorkRequestErrors(compartmentId, detail.id, { signal }),
    ctx.deps.oci.listWorkRequestLogs(compartmentId, detail.id, { signal }),
  ]);
  if (errors.length) {
    detail.errors = errors.map((e) => ({ code: e.code, message: e.message, at: shortTime(e.timestamp) }));
  }
  if (logs.length) {
    detail.log = logs
      .slice(-LOG_LINES)
      .map((l) => `${shortTime(l.timestamp) ?? ''} ${l.message ?? ''}`.trim());
  }
  return detail;
}

/**
 * Follows a work request until it ends, with MCP progress (a poll count: OKE work requests carry no
 * percent complete), or until the wait ends (timeout, cancel): then it answers with how to resume.
 * Each poll reads the status only; the errors and log are read once, at the end. Cancelling stops the
 * wait, not the work.
 */
export async function followWorkRequest(ctx: Ctx, id: string): Promise<Detail> {
  let last = await readStatus(ctx, id, ctx.signal);
  if (ENDED.has(last.status ?? '')) return withErrorsAndLog(ctx, last, ctx.signal);
  const { workRequestTimeoutMs, workRequestPollMs } = ctx.deps.settings;
  const outcome = await poll<Detail>({
    timeoutMs: workRequestTimeoutMs,
    intervalMs: workRequestPollMs,
    maxIntervalMs: workRequestPollMs * 5,
    signal: ctx.signal,
    check: async (signal) => {
      last = await readStatus(ctx, id, signal);
      return ENDED.has(last.status ?? '')
        ? { done: true, result: last }
        : {
            done: false,
            message: `${last.operation ?? 'work request'} ${last.status ?? ''}`.trim(),
          };
    },
    onProgress: (p) => ctx.progress(p),
  });
  if (outcome.status === 'done') return withErrorsAndLog(ctx, last, ctx.signal);
  const why =
    outcome.status === 'cancelled'
      ? 'Stopped waiting: the call was cancelled; the work goes on in OCI.'
      : `Still running after ${Math.round(workRequestTimeoutMs / 1000)} s.`;
  const { compartmentId: _, ...shown } = last;
  return { ...shown, resume: `${why} Follow it with work_request_get(work_request: "${id}", wait: true).` };
}

export const workRequestGet = defineTool({
  name: 'work_request_get',
  title: 'Get a work request',
  description: 'One work request with its errors and log; can wait for it to end.',
  toolset: 'oci',
  input: z.object({
    work_request: z.string().describe('Work request OCID'),
    wait: z.boolean().default(false).describe('Poll until it ends'),
  }),
  output: workRequestDetail,
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    assertOcid(input.work_request, 'work_request');
    if (input.wait) return followWorkRequest(ctx, input.work_request);
    return withErrorsAndLog(ctx, await readStatus(ctx, input.work_request, ctx.signal), ctx.signal);
  },
});

/** A failed work request as the tool's error: what OCI said went wrong. */
export function failedWorkRequest(detail: Detail, what: string): ToolError {
  const reasons = (detail.errors ?? []).map((e) => `${e.code}: ${e.message}`).join('; ');
  return new ToolError(
    `${what} failed: work request ${detail.id} ended ${detail.status}${reasons ? ` (${reasons})` : ''}.`,
    {
      next: `See work_request_get(work_request: "${detail.id}") for its log.`,
    },
  );
}
