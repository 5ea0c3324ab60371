import type { ServerResponse } from 'node:http';
import { FAULT_KINDS, type FaultBodies, Faults } from 'sim-kit';
import type { Fault } from './types.js';

export interface FaultTarget {
  method: string;
  path: string;
  verb?: string;
  resource?: string;
}

function hits(f: Fault, target: FaultTarget): boolean {
  if (f.method && f.method.toUpperCase() !== target.method) return false;
  if (f.verb && f.verb !== target.verb) return false;
  if (f.resource && f.resource !== target.resource) return false;
  if (f.path instanceof RegExp) return f.path.test(target.path);
  if (typeof f.path === 'string') return target.path.includes(f.path);
  return true;
}

/** Armed faults, consumed first-added-first by requests they match (method, path, API verb, resource). */
export class ClusterFaults extends Faults<Fault, FaultTarget> {
  constructor() {
    super(hits);
  }

  override add(fault: Fault): void {
    if (!FAULT_KINDS.includes(fault.kind))
      throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
    super.add(fault);
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

function faultStatus(f: Fault): {
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

/** How an apiserver answers a fault: a real Status object, and a 200 whose JSON stops mid-object. */
export function apiserverBodies(fault: Fault, headers: Record<string, string>): FaultBodies {
  return {
    status(res: ServerResponse): boolean {
      const f = faultStatus(fault);
      res.writeHead(f.code, { ...headers, ...f.headers, 'Content-Type': 'application/json' });
      res.end(JSON.stringify(f.body));
      return true;
    },
    malformed(res: ServerResponse): void {
      // as when a proxy cuts the connection
      res.writeHead(200, { ...headers, 'Content-Type': 'application/json' });
      res.end('{"kind":"Status","apiVersion":"v1","metadata":{},"sta');
    },
  };
}
