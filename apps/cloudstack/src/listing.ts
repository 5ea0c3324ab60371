import { cursorOffset, type OffsetPage, page } from '@cloudmcp/toolkit';
import type { ApiObject, CallOptions, CloudStackClient, Params } from './client/client.js';

/** CloudStack's own cap on `pagesize` (global setting `default.page.size`, 500 by default). */
export const MAX_PAGE_SIZE = 500;

export interface ListRequest {
  command: string;
  /** The item key of the response: `virtualmachine`, `zone`, `template` … */
  itemKey: string;
  params: Params;
  limit: number;
  cursor?: string | undefined;
}

async function fetchPage(
  client: CloudStackClient,
  req: ListRequest,
  pageNo: number,
  options: CallOptions,
): Promise<{ items: ApiObject[]; count: number }> {
  const answer = await client.call(
    req.command,
    { ...req.params, page: pageNo, pagesize: req.limit },
    options,
  );
  const items = (answer[req.itemKey] as ApiObject[] | undefined) ?? [];
  return { items, count: Number(answer['count'] ?? 0) };
}

/**
 * Maps the shared `limit`/`cursor` contract onto CloudStack's `page`/`pagesize`. Cursors carry an offset;
 * one that does not fall on a page boundary (after the token budget cut a page short) reads two pages.
 */
export async function listPaged(
  client: CloudStackClient,
  req: ListRequest,
  options: CallOptions,
): Promise<OffsetPage<ApiObject>> {
  const offset = cursorOffset(req.cursor);
  const first = Math.floor(offset / req.limit) + 1;
  const skip = offset % req.limit;
  const a = await fetchPage(client, req, first, options);
  let items = a.items.slice(skip);
  if (skip > 0 && offset + items.length < a.count) {
    const b = await fetchPage(client, req, first + 1, options);
    items = items.concat(b.items.slice(0, skip));
  }
  return page(items, { offset, total: a.count });
}

/** Reads every page of a (small) list, e.g. for name resolution. Stops at `max` items. */
export async function listAll(
  client: CloudStackClient,
  command: string,
  itemKey: string,
  params: Params,
  options: CallOptions,
  max = 2000,
): Promise<ApiObject[]> {
  const out: ApiObject[] = [];
  for (let pageNo = 1; out.length < max; pageNo++) {
    const { items, count } = await fetchPage(
      client,
      { command, itemKey, params, limit: MAX_PAGE_SIZE, cursor: undefined },
      pageNo,
      options,
    );
    out.push(...items);
    if (items.length === 0 || out.length >= count) break;
  }
  return out;
}
