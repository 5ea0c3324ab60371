import { ToolError, UpstreamError } from '@cloudmcp/toolkit';
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
 * The server's `mapError`: CloudStack errors as above; a write that failed in transit is reported as
 * "outcome unknown", since it may have reached CloudStack and is never re-sent automatically.
 */
export function mapCloudStackError(error: unknown): ToolError | undefined {
  if (error instanceof CloudStackError) return toToolError(error) as ToolError;
  if (error instanceof UpstreamError && error.kind === 'network' && /^POST /.test(error.message)) {
    return new ToolError(
      'The connection failed while sending a change; it may or may not have been applied.',
      {
        code: error.causeCode,
        next: 'Check the resource (or job_list) before trying again; the server never re-sends changes itself.',
      },
    );
  }
  return undefined;
}
