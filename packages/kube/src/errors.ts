import { ToolError, type UpstreamError } from '@cloudmcp/toolkit';

/** A Kubernetes `Status` object, as every API error returns it. */
export interface KubeStatus {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
    retryAfterSeconds?: number;
  };
}

/** What the failed request was about, so an error can name it and suggest the next step. */
export interface KubeRequestInfo {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The target (context or cluster) name. */
  target: string;
  /** How messages name the target: `context "prod"`, `cluster "oke-prod"` (default: as a context). */
  described?: string;
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
}

/** An HTTP error answer from a Kubernetes API server, with its `Status` body. */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly status: KubeStatus;
  readonly request: KubeRequestInfo;
  /** For 404s: close names a tool found, offered in the error. */
  suggestions?: string[];

  constructor(httpStatus: number, status: KubeStatus, request: KubeRequestInfo) {
    const reason = status.reason || reasonFor(httpStatus);
    super(status.message || `${request.method} ${request.path} answered HTTP ${httpStatus}`);
    this.name = 'KubeApiError';
    this.code = status.code || httpStatus;
    this.reason = reason;
    this.status = status;
    this.request = request;
  }
}

function reasonFor(code: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Expired',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? 'Unknown';
}

/** Parses an error body into a Status (a proxy or load balancer may answer with HTML or plain text). */
export function parseStatus(text: string, httpStatus: number): KubeStatus {
  try {
    const parsed = JSON.parse(text) as KubeStatus;
    if (parsed && typeof parsed === 'object' && (parsed.kind === 'Status' || parsed.message)) return parsed;
  } catch {
    // not JSON: fall through
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return {
    kind: 'Status',
    status: 'Failure',
    code: httpStatus,
    reason: reasonFor(httpStatus),
    message: flat ? (flat.length > 200 ? `${flat.slice(0, 200)}…` : flat) : `HTTP ${httpStatus}`,
  };
}

/** Hints a tool adds to the generic mapping of one failure. */
export interface ErrorHints {
  /** For 404: close names the tool found, to offer instead. */
  suggestions?: string[];
  /** For 404: what was looked for, e.g. `pod "web" in namespace "default"`. */
  notFound?: string;
  /** Overrides the next step. */
  next?: string;
}

function where(request: KubeRequestInfo): string {
  return request.namespace ? ` in namespace "${request.namespace}"` : '';
}

/** Turns a Kubernetes API error (or a transport failure) into the ToolError a model reads. */
export function kubeToolError(error: unknown, hints: ErrorHints = {}): unknown {
  if (error instanceof KubeApiError) return fromStatus(error, hints);
  if (error instanceof KubeTransportError) return error.toToolError();
  return error;
}

function fromStatus(error: KubeApiError, hints: ErrorHints): ToolError {
  const { request } = error;
  const base = {
    code: `${error.code} ${error.reason}`,
    upstreamMessage: error.message,
  };
  const on = request.described ?? `context "${request.target}"`;
  const what = request.resource ?? 'that resource';
  switch (error.code) {
    case 401:
      return new ToolError(`The API server of ${on} rejected the credentials (401 Unauthorized).`, {
        ...base,
        next:
          hints.next ??
          'The token or client certificate in the kubeconfig is invalid or expired: refresh the credentials ' +
            '(e.g. log in again or regenerate the kubeconfig) and retry.',
      });
    case 403:
      return new ToolError(
        `Forbidden: your credentials may not ${request.verb ?? 'access'} ${what}${where(request)} on ${on}.`,
        {
          ...base,
          next:
            hints.next ??
            `Check what you may do with \`can_i\` (verb "${request.verb ?? 'get'}", resource "${what}"` +
              `${request.namespace ? `, namespace "${request.namespace}"` : ''}); ask a cluster admin for a ` +
              'Role or ClusterRole binding if you need it.',
        },
      );
    case 404: {
      const subject =
        hints.notFound ??
        (request.name ? `${what} "${request.name}"${where(request)}` : `${what}${where(request)}`);
      const suggestions = hints.suggestions ?? error.suggestions ?? [];
      const next =
        hints.next ??
        (suggestions.length
          ? `Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?`
          : request.name
            ? `List what exists with \`resource_list\` (or \`pod_list\`)${request.namespace ? ' or try another namespace' : ''}.`
            : 'Check the resource type with `api_resource_list`.');
      return new ToolError(`Not found: ${subject} on ${on}.`, {
        ...base,
        next,
      });
    }
    case 409: {
      const causes = error.status.details?.causes ?? [];
      if (error.reason === 'Conflict' && causes.some((c) => c.reason === 'FieldManagerConflict')) {
        const fields = causes
          .map((c) => c.field ?? c.message)
          .filter(Boolean)
          .slice(0, 8);
        return new ToolError(
          `Server-side apply conflict: ${fields.length} field(s) are owned by another field manager.`,
          {
            ...base,
            next:
              hints.next ??
              'Every field of an object has an owner (its field manager: kubectl, a controller, helm …). ' +
                'Drop the conflicting fields from the manifest, or apply again with `force: true` to make ' +
                'the `cloudmcp` manager take them over (the other manager may change them back).' +
                (fields.length ? ` Conflicting: ${fields.join('; ')}.` : ''),
          },
        );
      }
      if (error.reason === 'AlreadyExists') {
        return new ToolError(`Already exists: ${what} "${request.name ?? ''}"${where(request)} on ${on}.`, {
          ...base,
          next: hints.next ?? 'Use `resource_apply` to update it, or pick another name.',
        });
      }
      return new ToolError(`Conflict on ${what}${where(request)}: it changed while being updated.`, {
        ...base,
        next: hints.next ?? 'Read it again and retry the change.',
      });
    }
    case 410:
      return new ToolError('The listing cursor has expired (the API server no longer holds that snapshot).', {
        ...base,
        next: hints.next ?? 'Start the listing again without `cursor`.',
      });
    case 422: {
      const causes = (error.status.details?.causes ?? [])
        .map((c) => [c.field, c.message].filter(Boolean).join(': '))
        .filter(Boolean);
      const named = request.name ? `${what} "${request.name}"` : what;
      return new ToolError(`The API server refused the object as invalid: ${named}${where(request)}.`, {
        ...base,
        next:
          hints.next ??
          (causes.length
            ? `Fix ${causes.slice(0, 5).join('; ')} and try again.`
            : 'Fix the manifest and try again.'),
      });
    }
    case 400:
      return new ToolError(`The API server refused the request as malformed (400 ${error.reason}).`, {
        ...base,
        next: hints.next ?? 'Check the arguments named in the message above and try again.',
      });
    case 429:
      return new ToolError(`The API server of ${on} is throttling requests (429).`, {
        ...base,
        next: hints.next ?? 'Wait a little and try again, with narrower queries.',
      });
    default:
      if (error.code >= 500) {
        return new ToolError(`The API server of ${on} failed (${error.code} ${error.reason}).`, {
          ...base,
          next:
            hints.next ??
            'This is a server-side problem: try again shortly; if it persists, check the control plane.',
        });
      }
      return new ToolError(`The API server of ${on} answered ${error.code} ${error.reason}.`, {
        ...base,
        ...(hints.next ? { next: hints.next } : {}),
      });
  }
}

/** A request that never got an HTTP answer (unreachable, reset, timeout, TLS failure). */
export class KubeTransportError extends Error {
  readonly upstream: UpstreamError;
  readonly mutation: boolean;
  /** How messages name the target: `context "prod"`, `cluster "oke-prod"`. */
  readonly described: string;
  readonly server: string;

  constructor(cause: UpstreamError, info: { described: string; server: string; mutation: boolean }) {
    super(cause.message);
    this.name = 'KubeTransportError';
    this.upstream = cause;
    this.mutation = info.mutation;
    this.described = info.described;
    this.server = info.server;
  }

  toToolError(): ToolError {
    const { upstream: cause, described, server } = this;
    if (cause.kind === 'aborted') return new ToolError('The call was cancelled.');
    const on = `the API server of ${described} (${server})`;
    if (cause.kind === 'timeout') {
      return new ToolError(`${capital(on)} did not answer in time.`, {
        upstreamMessage: cause.message,
        next: this.mutation
          ? 'The change may or may not have been applied: read the object before trying again.'
          : 'Try again; if it keeps happening, check that the cluster is up and reachable.',
      });
    }
    const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO/i.test(cause.causeCode ?? '');
    if (tls) {
      return new ToolError(`Could not verify the TLS certificate of ${on}.`, {
        code: cause.causeCode,
        upstreamMessage: cause.message,
        next: "Check the cluster's certificate-authority-data in the kubeconfig (or the server URL).",
      });
    }
    if (this.mutation) {
      return new ToolError(
        `The connection to ${on} failed while sending a change; it may or may not have been applied.`,
        {
          code: cause.causeCode,
          upstreamMessage: cause.message,
          next: 'Read the object (resource_get) before trying again; changes are never re-sent automatically.',
        },
      );
    }
    return new ToolError(`Could not reach ${on}.`, {
      code: cause.causeCode,
      upstreamMessage: cause.message,
      next: 'Check that the cluster is up and reachable from here, then try again.',
    });
  }
}

export function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A `mapError` for servers that call `KubeClient` from their own tools: Kubernetes errors become
 * ToolErrors, anything else is left to the toolkit.
 */
export function mapKubeError(error: unknown): ToolError | undefined {
  const mapped = kubeToolError(error);
  return mapped instanceof ToolError ? mapped : undefined;
}
