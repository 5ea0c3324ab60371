import type { Jobs } from './jobs.js';
import type { Sessions } from './session.js';
import type { State } from './state.js';

/** Everything the API layer works on, independent of HTTP. */
export interface Engine {
  state: State;
  sessions: Sessions;
  jobs: Jobs;
}

/** One call to /client/api, parameters merged the way the servlet sees them. */
export interface ApiRequest {
  method: string;
  params: Map<string, string>;
  cookies: Map<string, string>;
}

export interface ApiReply {
  status: number;
  body: string;
  headers: Record<string, string | string[]>;
}

export const JSON_TYPE = 'application/json; charset=UTF-8';

/** Header values must be printable ASCII; error texts may echo user input. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): ApiReply {
  return { status, body: JSON.stringify(body), headers: { 'Content-Type': JSON_TYPE, ...headers } };
}

export function errorReply(status: number, body: unknown, description: string): ApiReply {
  return jsonReply(status, body, { 'X-Description': headerSafe(description) });
}
