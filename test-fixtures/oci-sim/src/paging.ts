import { invalidParameter } from './errors.js';
import { json, type Reply } from './http.js';

/** Page tokens are opaque to clients; here the base64url of the offset (URL-safe, since SDKs send it raw). */
const encodePage = (offset: number) => Buffer.from(`page:${offset}`).toString('base64url');

function decodePage(token: string): number | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const m = /^page:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m && encodePage(Number(m[1])) === token ? Number(m[1]) : undefined;
}

/** `limit` (1–1000, default `defaultLimit`) and `page` from the query. */
export function pageOf(query: URLSearchParams, defaultLimit: number): { offset: number; limit: number } {
  const rawLimit = query.get('limit');
  let limit = defaultLimit;
  if (rawLimit !== null) {
    if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 1000) {
      throw invalidParameter(`Invalid limit: ${rawLimit}. The limit must be between 1 and 1000`);
    }
    limit = Number(rawLimit);
  }
  const page = query.get('page');
  if (page === null) return { offset: 0, limit };
  const offset = decodePage(page);
  if (offset === undefined) throw invalidParameter('Invalid page token');
  return { offset, limit };
}

/** A bare JSON array of one page, with `opc-next-page` when more follow. */
export function pagedReply<T>(items: T[], query: URLSearchParams, defaultLimit: number): Reply {
  const { offset, limit } = pageOf(query, defaultLimit);
  const page = items.slice(offset, offset + limit);
  const headers: Record<string, string> = {};
  if (offset + limit < items.length) headers['opc-next-page'] = encodePage(offset + limit);
  return json(page, headers);
}
