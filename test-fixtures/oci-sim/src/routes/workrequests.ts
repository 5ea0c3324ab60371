import { notFound } from '../errors.js';
import { json } from '../http.js';
import { pagedReply } from '../paging.js';
import { manyOf, oneOf, required, SORT_ORDERS, sorted } from '../params.js';
import { etagOf, type WorkRequest } from '../state.js';
import * as views from '../views.js';
import { listCompartment } from './clusters.js';
import type { Ctx, Route } from './context.js';

const STATUSES = ['ACCEPTED', 'IN_PROGRESS', 'FAILED', 'SUCCEEDED', 'CANCELING', 'CANCELED'] as const;
const SORT_BY = ['ID', 'OPERATION_TYPE', 'STATUS', 'TIME_ACCEPTED', 'TIME_STARTED', 'TIME_FINISHED'] as const;

function sortKey(w: WorkRequest, by: string): string {
  switch (by) {
    case 'ID':
      return w.id;
    case 'OPERATION_TYPE':
      return w.operationType;
    case 'STATUS':
      return w.status;
    case 'TIME_STARTED':
      return w.timeStarted ?? '';
    case 'TIME_FINISHED':
      return w.timeFinished ?? '';
    default:
      return w.timeAccepted;
  }
}

function listWorkRequests(ctx: Ctx) {
  const compartmentId = listCompartment(ctx);
  const clusterId = ctx.query.get('clusterId');
  const resourceId = ctx.query.get('resourceId');
  const resourceType = oneOf(ctx.query, 'resourceType', ['CLUSTER', 'NODEPOOL'] as const);
  const statuses = manyOf(ctx.query, 'status', STATUSES);
  const sortBy = oneOf(ctx.query, 'sortBy', SORT_BY);
  const sortOrder = oneOf(ctx.query, 'sortOrder', SORT_ORDERS);
  const items = ctx.state.workRequests.filter(
    (w) =>
      w.compartmentId === compartmentId &&
      (clusterId === null || w.clusterId === clusterId) &&
      (statuses.length === 0 || statuses.includes(w.status)) &&
      w.resources.some(
        (r) =>
          (resourceId === null || r.identifier === resourceId) &&
          (resourceType === undefined || r.entityType.toUpperCase() === resourceType),
      ),
  );
  return pagedReply(
    sorted(items, sortBy, sortOrder, sortKey).map(views.workRequest),
    ctx.query,
    ctx.pageLimit,
  );
}

function workRequestOr404(ctx: Ctx): WorkRequest {
  const w = ctx.state.workRequest(ctx.params[0]!);
  if (!w) throw notFound();
  return w;
}

function getWorkRequest(ctx: Ctx) {
  const w = workRequestOr404(ctx);
  return json(views.workRequest(w), { etag: etagOf(w.id, `${w.status}/${w.logs.length}`) });
}

/** Errors and logs of a work request: compartmentId is required and must be the work request's. */
function entriesOf(ctx: Ctx): WorkRequest {
  const compartmentId = required(ctx.query, 'compartmentId');
  const w = workRequestOr404(ctx);
  if (w.compartmentId !== compartmentId) throw notFound();
  return w;
}

export const workRequestRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/20180222\/workRequests$/,
    operation: 'ListWorkRequests',
    handle: listWorkRequests,
  },
  {
    method: 'GET',
    path: /^\/20180222\/workRequests\/([^/]+)$/,
    operation: 'GetWorkRequest',
    handle: getWorkRequest,
  },
  {
    method: 'GET',
    path: /^\/20180222\/workRequests\/([^/]+)\/errors$/,
    operation: 'ListWorkRequestErrors',
    handle: (ctx) => json(entriesOf(ctx).errors),
  },
  {
    method: 'GET',
    path: /^\/20180222\/workRequests\/([^/]+)\/logs$/,
    operation: 'ListWorkRequestLogs',
    handle: (ctx) => json(entriesOf(ctx).logs),
  },
];
