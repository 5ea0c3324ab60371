import { ToolError } from '@cloudmcp/toolkit';
import { CloudStackError, nextStepFor } from './client/errors.js';

/** What a tool knows better than the generic mapping: its own cause and next step for one error. */
export interface FailureHint {
  message?: string;
  next?: string;
}

/**
 * Turns a CloudStack error into the ToolError a model reads: one-line cause, CloudStack's own code and
 * text, a next step, and the job id when an async job failed. Anything else is returned untouched.
 */
export function toToolError(error: unknown, hint: FailureHint = {}): unknown {
  if (!(error instanceof CloudStackError)) return error;
  const next = hint.next ?? nextStepFor(error);
  const message =
    hint.message ??
    (error.jobId
      ? `CloudStack job ${error.jobId} (${error.command}) failed.`
      : `CloudStack refused ${error.command}.`);
  return new ToolError(message, {
    code: error.errorcode,
    upstreamMessage: error.errortext,
    ...(next ? { next } : {}),
    ...(error.jobId ? { data: { job_id: error.jobId } } : {}),
  });
}

/**
 * The server's `mapError`: CloudStack errors as above. Transport failures (including a change cut off in
 * transit, "outcome unknown") are the toolkit's to explain.
 */
export function mapCloudStackError(error: unknown): ToolError | undefined {
  return error instanceof CloudStackError ? (toToolError(error) as ToolError) : undefined;
}
