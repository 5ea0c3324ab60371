import type { Fault } from './types.js';

const KINDS = ['latency', 'status', 'reset', 'hang', 'malformed'];

export interface FaultTarget {
  method: string;
  path: string;
  verb?: string;
  resource?: string;
}

/** Armed faults, consumed first-added-first by matching requests. */
export class Faults {
  private armed: (Fault & { left: number })[] = [];

  add(fault: Fault): void {
    if (!KINDS.includes(fault.kind)) throw new Error(`fault kind must be one of ${KINDS.join(', ')}`);
    this.armed.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  take(target: FaultTarget): Fault | undefined {
    const i = this.armed.findIndex((f) => {
      if (f.method && f.method.toUpperCase() !== target.method) return false;
      if (f.verb && f.verb !== target.verb) return false;
      if (f.resource && f.resource !== target.resource) return false;
      if (f.path instanceof RegExp) return f.path.test(target.path);
      if (typeof f.path === 'string') return target.path.includes(f.path);
      return true;
    });
    if (i < 0) return undefined;
    const fault = this.armed[i]!;
    if (--fault.left <= 0) this.armed.splice(i, 1);
    return fault;
  }
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

const MESSAGES: Record<number, string> = {
  429: 'Too many requests, please try again later.',
  500: 'Internal error occurred: injected fault',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
};

export function faultStatus(f: Fault): {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
} {
  const code = f.status ?? 500;
  const headers: Record<string, string> = {};
  const retry = f.retryAfter ?? (code === 429 || code === 503 ? 1 : undefined);
  if (retry !== undefined) headers['Retry-After'] = String(retry);
  const body: Record<string, unknown> = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: f.message ?? MESSAGES[code] ?? `injected fault ${code}`,
    reason: REASONS[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest'),
    details: retry !== undefined ? { retryAfterSeconds: retry } : {},
    code,
  };
  return { code, body, headers };
}
