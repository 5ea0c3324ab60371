import { type ServerResponse, STATUS_CODES } from 'node:http';
import type { FaultBodies } from 'sim-kit';
import { errorBody } from './errors.js';
import { JSON_TYPE, sendJson } from './http.js';
import type { Fault } from './types.js';

/** What a fault is matched against: the request's method and route template ('' when none matched). */
export interface FaultKey {
  method: string;
  route: string;
}

export function faultMatches(fault: Fault, { method, route }: FaultKey): boolean {
  if (fault.route === undefined) return true;
  const space = fault.route.indexOf(' ');
  if (space < 0) return fault.route === route;
  return (
    fault.route.slice(0, space).toUpperCase() === method && fault.route.slice(space + 1).trim() === route
  );
}

/** Cloudeka's answers to injected faults. */
export const FAULT_BODIES: FaultBodies = {
  status: (res: ServerResponse, status: number, retry: Record<string, string>) => {
    // 5xx comes from the nginx ingress in front of the API, as an HTML page.
    if (status >= 500) return false;
    // The API's own rate limiter / gateway answers in its JSON error shape.
    sendJson(res, status, errorBody(status, STATUS_CODES[status] ?? 'Error'), retry);
    return true;
  },
  malformed: (res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': JSON_TYPE });
    res.end('{"code":200,"status":"success","message":"Success","data":[{"id":"');
  },
};
