import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { OciApiError } from './errors.js';

/** What a route answers; the server adds opc-request-id. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON value, or text with `contentType`; absent for an empty body. */
  json?: unknown;
  text?: string;
  contentType?: string;
}

export function json(value: unknown, headers: Record<string, string> = {}): Reply {
  return { status: 200, headers, json: value };
}

export function errorReply(err: OciApiError): Reply {
  return { status: err.status, json: { code: err.code, message: err.message } };
}

const hex = () => randomBytes(16).toString('hex').toUpperCase();

/**
 * opc-request-id as OCI forms it: the client's own id (when it sent one) or a fresh one, then two
 * server-generated segments.
 */
export function requestId(clientId: string | undefined): string {
  const own = clientId !== undefined && /^[\w.:-]{1,98}$/.test(clientId) ? clientId : hex();
  return `${own}/${hex()}/${hex()}`;
}

export function send(res: ServerResponse, reply: Reply, opcRequestId: string): void {
  const headers: Record<string, string> = { ...reply.headers, 'opc-request-id': opcRequestId };
  let body: string | undefined;
  if (reply.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(reply.json);
  } else if (reply.text !== undefined) {
    headers['Content-Type'] = reply.contentType ?? 'text/plain';
    body = reply.text;
  }
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  else headers['Content-Length'] = '0';
  res.writeHead(reply.status, headers);
  res.end(body);
}
