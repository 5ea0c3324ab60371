import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopback } from './http-hosts.js';

/** Browsers send Origin; only loopback origins (or the configured list) may call. Non-browser clients send none. */
export function originAllowed(req: IncomingMessage, allowed: readonly string[] | undefined): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed?.length) return allowed.includes(origin);
  try {
    return isLoopback(new URL(origin).hostname);
  } catch {
    return false;
  }
}

// A request id we take from the client: short, and nothing that could break a log line or a header.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:/+=-]{1,128}$/;

/** The client's `X-Request-Id` when it is a safe token of at most 128 characters; otherwise a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

export class BodyTooLarge extends Error {}

/** Reads a request body, refusing more than `limit` bytes without buffering the excess. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
