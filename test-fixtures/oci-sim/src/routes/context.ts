import type { IncomingHttpHeaders } from 'node:http';
import { cannotParse } from '../errors.js';
import type { Reply } from '../http.js';
import type { Principal } from '../keyring.js';
import type { Sessions } from '../sessions.js';
import type { OciState } from '../state.js';
import type { WorkRequestEngine } from '../workrequests.js';

/** What an operation's handler gets once the request is routed and authenticated. */
export interface Ctx {
  state: OciState;
  engine: WorkRequestEngine;
  sessions: Sessions;
  principal: Principal;
  /** Decoded path parameters, in order. */
  params: string[];
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  pageLimit: number;
}

export interface Route {
  method: string;
  /** Matched against the path; its groups are the path parameters. */
  path: RegExp;
  operation: string;
  /** Needs more than read access: the reader is answered 404 NotAuthorizedOrNotFound, as OCI does. */
  write?: true;
  handle(ctx: Ctx): Reply;
}

/**
 * The request body as a JSON object, or 400 CannotParseRequest. An empty body is `{}`: the SDK sends no body
 * at all for details that serialize to `{}`.
 */
export function jsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw cannotParse('The request body could not be parsed as JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw cannotParse('The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Refuses fields outside `allowed` the way OCI refuses unknown properties. */
export function onlyFields(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw cannotParse(`Unrecognized field "${key}" in ${where}`);
  }
}
