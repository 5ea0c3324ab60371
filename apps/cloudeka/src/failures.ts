import { ToolError } from '@cloudmcp/toolkit';
import { CloudekaError, nextStepFor } from './client/errors.js';

/** What a tool knows better than the generic mapping: its own next step for one error. */
export interface FailureHint {
  next?: string;
}

/** Turns a CloudekaError into the ToolError a model reads: the HTTP status, Cloudeka's own message, a next step. */
export function toToolError(error: CloudekaError, hint: FailureHint = {}): ToolError {
  const next = hint.next ?? nextStepFor(error);
  const message = error.duringAuth
    ? 'Cloudeka refused the cldkctl token exchange (POST /core/cldkctl/auth).'
    : `Cloudeka refused ${error.route}.`;
  return new ToolError(message, {
    code: error.status,
    upstreamMessage: error.upstreamMessage,
    ...(next ? { next } : {}),
  });
}

/**
 * The server's `mapError`: Cloudeka errors as above. Transport failures (including a change cut off in
 * transit, "outcome unknown") are the toolkit's to explain.
 */
export function mapCloudekaError(error: unknown): ToolError | undefined {
  return error instanceof CloudekaError ? toToolError(error) : undefined;
}
