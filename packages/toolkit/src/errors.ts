import { redactText } from '@cloudmcp/format';
import { UpstreamError } from './http.js';

export interface ToolErrorDetails {
  /** The upstream's own error code (HTTP status, CloudStack errorcode, Kubernetes reason …). */
  code?: string | number;
  /** The upstream's own error text, verbatim. */
  upstreamMessage?: string;
  /** What to do next, naming a tool or argument: "pass `zone_id`; list zones with `zone_list`". */
  next?: string;
  /** Extra fields for programs, sent as `_meta['cloudmcp/error']` (e.g. a job id to resume with). */
  data?: Record<string, unknown>;
  /**
   * What the call produced although it failed (a command's stdout, stderr and exit code): `text` is shown in
   * full under the error lines, and `structured` becomes the result's `structuredContent`, so it must fit
   * the tool's output schema.
   */
  output?: { structured: Record<string, unknown>; text: string };
}

/**
 * A failure the model should read and act on. Handlers throw it; the runtime turns it into an
 * `isError: true` result, never a protocol error.
 */
export class ToolError extends Error {
  readonly details: ToolErrorDetails;

  constructor(message: string, details: ToolErrorDetails = {}) {
    super(message);
    this.name = 'ToolError';
    this.details = details;
  }
}

/** One sentence naming the bad input fields: "Invalid input `zone`: …". */
export function invalidInputText(fields: string | readonly string[], problem: string): string {
  const names = (typeof fields === 'string' ? [fields] : fields).map((field) => `\`${field}\``);
  return `Invalid input ${names.join(', ')}: ${problem}`;
}

/** An input the handler found wrong after schema validation (unknown name, conflicting fields). */
export function badInput(field: string, problem: string, next?: string): ToolError {
  return new ToolError(invalidInputText(field, problem), next ? { next } : {});
}

export interface ErrorResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  isError: true;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Renders any thrown value as an error result: one-line cause, upstream code and message, next step. */
export function toErrorResult(error: unknown, toolName: string): ErrorResult {
  const toolError = asToolError(error, toolName);
  const { code, upstreamMessage, next, data, output } = toolError.details;
  const lines = [`Error: ${oneLine(toolError.message)}`];
  if (code !== undefined || upstreamMessage) {
    lines.push(`Upstream: ${[code, upstreamMessage && oneLine(upstreamMessage)].filter(Boolean).join(' ')}`);
  }
  if (next) lines.push(`Next: ${oneLine(next)}`);
  if (output) lines.push(output.text);
  const result: ErrorResult = {
    content: [{ type: 'text', text: redactText(lines.join('\n')) }],
    isError: true,
  };
  if (output) result['structuredContent'] = output.structured;
  // Not structuredContent: clients validate that against the tool's output schema even on errors, and an
  // error's fields do not fit it. `_meta` carries them for programs; the text says them to the model.
  if (data) result['_meta'] = { 'cloudmcp/error': { message: oneLine(toolError.message), ...data } };
  return result;
}

function asToolError(error: unknown, toolName: string): ToolError {
  if (error instanceof ToolError) return error;
  if (error instanceof UpstreamError) {
    switch (error.kind) {
      case 'timeout':
        if (!error.idempotent) {
          return new ToolError(
            'The upstream API did not answer in time while a change was being sent; it may or may not have been applied.',
            { next: 'Check the resource (or the job list) before trying again; changes are never re-sent.' },
          );
        }
        return new ToolError('The upstream API did not answer in time.', {
          next: 'Try again; if it keeps happening, raise the timeout option or check the endpoint.',
        });
      case 'aborted':
        return new ToolError('The call was cancelled.');
      case 'malformed':
        return new ToolError('The upstream API answered with a body that is not valid JSON.', {
          upstreamMessage: error.message,
          next: 'Try again; check that the API URL points at the API endpoint, not a web page or proxy.',
        });
      default:
        if (!error.idempotent) {
          // A reset or refusal while sending a change: it may have been applied, and is never re-sent.
          return new ToolError(
            'The connection failed while sending a change; it may or may not have been applied.',
            {
              code: error.causeCode,
              next: 'Check the resource (or the job list) before trying again; the server never re-sends changes itself.',
            },
          );
        }
        return new ToolError('Could not reach the upstream API.', {
          code: error.causeCode,
          upstreamMessage: error.message,
          next: 'Check the API URL and the network, then try again.',
        });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ToolError(`${toolName} failed unexpectedly: ${message}`, {
    next: 'This is a bug in the server; report it with the server logs.',
  });
}
