import { invalidParameter } from '../errors.js';
import { pagedReply } from '../paging.js';
import { bool, oneOf, SORT_ORDERS, sorted } from '../params.js';
import type { Compartment } from '../state.js';
import * as views from '../views.js';
import { listCompartment } from './clusters.js';
import type { Ctx, Route } from './context.js';

const STATES = ['CREATING', 'ACTIVE', 'INACTIVE', 'DELETING', 'DELETED'] as const;

/** The compartments under `parentId`: its children, or with `subtree` every descendant. */
function under(all: Compartment[], parentId: string, subtree: boolean): Compartment[] {
  const children = all.filter((c) => c.parentId === parentId);
  return subtree ? children.flatMap((c) => [c, ...under(all, c.id, true)]) : children;
}

function listCompartments(ctx: Ctx) {
  const compartmentId = listCompartment(ctx);
  const subtree = bool(ctx.query, 'compartmentIdInSubtree') ?? false;
  if (subtree && compartmentId !== ctx.state.tenancyId) {
    throw invalidParameter(
      'compartmentIdInSubtree may only be set to true when performing ListCompartments on the tenancy (root compartment).',
    );
  }
  const accessLevel = oneOf(ctx.query, 'accessLevel', ['ANY', 'ACCESSIBLE'] as const);
  const state = oneOf(ctx.query, 'lifecycleState', STATES);
  const name = ctx.query.get('name');
  const sortBy = oneOf(ctx.query, 'sortBy', ['TIMECREATED', 'NAME'] as const);
  const sortOrder = oneOf(ctx.query, 'sortOrder', SORT_ORDERS);
  const items = under(ctx.state.compartments, compartmentId, subtree).filter(
    (c) => (state === undefined || c.lifecycleState === state) && (name === null || c.name === name),
  );
  const ordered = sorted(items, sortBy === 'TIMECREATED' ? 'TIME_CREATED' : sortBy, sortOrder, (c, by) =>
    by === 'NAME' ? c.name : c.timeCreated,
  );
  return pagedReply(
    ordered.map((c) => views.compartment(c, accessLevel !== undefined)),
    ctx.query,
    ctx.pageLimit,
  );
}

export const compartmentRoutes: Route[] = [
  {
    method: 'GET',
    path: /^\/20160918\/compartments$/,
    operation: 'ListCompartments',
    handle: listCompartments,
  },
];
