import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireReply } from './wire.js';

/** Request bodies beyond this are refused, like a container's form size limit. */
export const MAX_BODY = 1024 * 1024;

/**
 * The servlet's parameter map: form fields (first value wins), then query parameters, which utf8Fixup
 * re-applies so they override the form (last value wins).
 */
export function mergeParams(query: URLSearchParams, form: string | undefined): Map<string, string> {
  const params = new Map<string, string>();
  if (form !== undefined) {
    for (const [name, value] of new URLSearchParams(form)) if (!params.has(name)) params.set(name, value);
  }
  for (const [name, value] of query) params.set(name, value);
  return params;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

export function send(res: ServerResponse, reply: WireReply): void {
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

export function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain'): void {
  res.writeHead(status, { 'Content-Type': `${type}; charset=UTF-8` });
  res.end(text);
}
