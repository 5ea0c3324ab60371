import { ToolError, UpstreamError } from '@cloudmcp/toolkit';
import type { OciAuthMode } from './profile.js';

/** An OCI error answer as the SDK throws it (`OciError`); matched by shape, the SDK is not loaded here. */
interface OciErrorShape {
  statusCode: number;
  serviceCode: string;
  message: string;
  opcRequestId?: string | null;
}

function isOciError(error: unknown): error is OciErrorShape {
  const e = error as Partial<OciErrorShape> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.statusCode === 'number' &&
    typeof e.serviceCode === 'string'
  );
}

/** What the error mapping needs to know about the call. */
export interface OciFailureContext {
  /** The OCI operation, e.g. `ListClusters`. */
  operation: string;
  /** What the call was about, for the 404 advice: `cluster ocid1.cluster…`, `compartment ocid1…`. */
  subject?: string;
  authMode: OciAuthMode;
  profile: string;
  region?: string;
}

/**
 * Turns whatever an SDK call threw into a ToolError the model can act on: OCI's status, code, message and
 * opc-request-id, and a next step. Transport failures (the toolkit's UpstreamError) and our own ToolErrors
 * pass through unchanged: the runtime already words them. No request detail beyond the operation is used,
 * and OCI error messages never echo credentials.
 */
export function ociFailure(error: unknown, context: OciFailureContext): unknown {
  if (error instanceof ToolError || error instanceof UpstreamError) return error;
  if (isOciError(error)) return answerError(error, context);
  if (error instanceof SyntaxError) {
    return new ToolError(`OCI answered ${context.operation} with a body that is not valid JSON.`, {
      next: 'Try again; if an OCI endpoint override is set, check that it points at the OCI API.',
    });
  }
  // The SDK throws plain strings for a few local refusals (a service disabled by the developer tool
  // configuration file): the text names the service and the file, nothing secret.
  if (typeof error === 'string') return new ToolError(`The OCI SDK refused ${context.operation}: ${error}`);
  return error;
}

function answerError(error: OciErrorShape, context: OciFailureContext): ToolError {
  const status = error.statusCode;
  const requestId = error.opcRequestId || undefined;
  const upstreamMessage = requestId ? `${error.message} (opc-request-id ${requestId})` : error.message;
  return new ToolError(`OCI refused ${context.operation}: HTTP ${status} ${error.serviceCode}.`, {
    code: `${status} ${error.serviceCode}`,
    upstreamMessage,
    next: nextStep(status, error.serviceCode, context),
    data: { status, code: error.serviceCode, ...(requestId ? { opcRequestId: requestId } : {}) },
  });
}

function nextStep(status: number, code: string, context: OciFailureContext): string {
  const where = context.region ? ` in region ${context.region}` : '';
  switch (status) {
    case 400:
      return 'Check the arguments against the message (OCIDs, sizes, names) and try again.';
    case 401:
      return notAuthenticatedAdvice(context);
    case 403:
      return 'Your identity is authenticated but not allowed to do this: an IAM policy must grant it (ask a tenancy administrator).';
    case 404: {
      const what = context.subject ?? 'the OCID';
      return `Check ${what} (it must exist${where}) and that your IAM policy allows this call, e.g. \`Allow group <group> to manage cluster-family in compartment <compartment>\`; OCI answers ${code} for both.`;
    }
    case 409:
    case 412:
      return 'The resource changed or is busy (another work request may be running): list its work requests, wait for them, then try again.';
    case 429:
      return 'OCI is throttling requests (reads were already retried with backoff): wait a minute and try again.';
    default:
      if (status >= 500) {
        return 'OCI had an internal problem (reads were already retried): try again later; give the opc-request-id to Oracle support if it persists.';
      }
      return 'Check the arguments against the message and try again.';
  }
}

function notAuthenticatedAdvice(context: OciFailureContext): string {
  switch (context.authMode) {
    case 'security_token':
      return `The session may have ended: run \`oci session refresh --profile ${context.profile}\` (or \`oci session authenticate\` if it can no longer be refreshed), then try again; the token file is re-read when it changes. Also check the machine's clock (OCI allows 5 minutes of skew).`;
    case 'instance_principal':
      return "The instance's certificate or the dynamic group may be wrong: check that this instance is in a dynamic group with a policy for this call, and the machine's clock.";
    default:
      return `Check profile [${context.profile}]: \`user\`, \`tenancy\` and \`fingerprint\` must match an API key uploaded for that user, and \`key_file\` must be its private key; also check the machine's clock (OCI allows 5 minutes of skew). The auth describe view shows whether the fingerprint matches the key.`;
  }
}
