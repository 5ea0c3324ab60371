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

/**
 * An answer before serialisation: the servlet picks JSON or XML only when it writes the response, from the
 * request's `response` parameter (see wire.ts), so every answer is kept as the document both are made from.
 */
export type ApiReply = {
  status: number;
  headers: Record<string, string | string[]>;
} & (
  | /** `{"<name>": {...}}`, the shape the JSON serialiser writes; the XML one walks the same tree. */
  {
      document: Record<string, unknown>;
    } /** A body written as it is, in either format (the login authenticator's 405 message). */
  | { text: string }
);

/** Header values must be printable ASCII; error texts may echo user input. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

export function documentReply(
  status: number,
  document: Record<string, unknown>,
  headers: Record<string, string | string[]> = {},
): ApiReply {
  return { status, document, headers };
}

export function errorReply(status: number, document: Record<string, unknown>, description: string): ApiReply {
  return documentReply(status, document, { 'X-Description': headerSafe(description) });
}

export function textReply(status: number, text: string): ApiReply {
  return { status, text, headers: { 'X-Description': headerSafe(text) } };
}
