import { createHash, timingSafeEqual } from 'node:crypto';
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

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time bearer check (hashing first makes lengths equal). */
export function tokenAllowed(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), digest(token));
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
