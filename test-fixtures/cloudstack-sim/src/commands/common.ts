import { invalidValue, paramError, permissionDenied } from '../errors.js';
import type { ParamDef, Params, Ref } from '../params.js';
import type { Project } from '../state.js';
import type { Caller, Ctx, ProjectScope } from './types.js';

/** Global setting default.page.size: the largest pagesize and the page length when none is given. */
export const MAX_PAGE_SIZE = 500;

type Obj = Record<string, unknown>;

export const P = {
  id: (entity: ParamDef['entity'], description: string, required = false): ParamDef => ({
    name: 'id',
    type: 'uuid',
    entity,
    description,
    required,
  }),
  zoneid: (description = 'the ID of the zone'): ParamDef => ({
    name: 'zoneid',
    type: 'uuid',
    entity: 'zone',
    description,
  }),
  name: (description: string): ParamDef => ({ name: 'name', type: 'string', description }),
  projectid: (): ParamDef => ({
    name: 'projectid',
    type: 'uuid',
    entity: 'project',
    description: 'list objects by project; if projectid=-1 lists All VMs',
  }),
};

/**
 * AccountManagerImpl.buildACLSearchParameters: `projectid` lists one project's resources, `-1` those of every
 * project the caller belongs to; a project the caller is not in is refused.
 */
export function projectScope(caller: Caller, p: Params): ProjectScope {
  const ref = p.ref('projectid', 'project');
  if (ref === undefined) return undefined;
  if ('gone' in ref) {
    if (ref.gone === '-1') return 'all';
    throw invalidValue(`Unable to find project by id ${ref.gone}`);
  }
  if (!canAccessProject(caller, ref.found)) {
    throw permissionDenied(
      `Account Acct[${caller.account.id}-${caller.account.name}] can't access project id=${ref.found.id}`,
    );
  }
  return ref.found;
}

function canAccessProject(caller: Caller, project: Project): boolean {
  return caller.isAdmin || project.memberAccountIds.includes(caller.account.id);
}

/** BaseListCmd (keyword, page, pagesize) and, for account resources, BaseListAccountResourcesCmd (listall). */
export function listParams(own: readonly ParamDef[], accountResources: boolean): ParamDef[] {
  return [
    ...own,
    { name: 'keyword', type: 'string', description: 'List by keyword' },
    { name: 'page', type: 'integer', description: 'Page number, 1-based; requires pagesize' },
    {
      name: 'pagesize',
      type: 'integer',
      description: `Items per page, at most ${MAX_PAGE_SIZE}; -1 for unlimited; requires page`,
    },
    ...(accountResources
      ? [
          {
            name: 'listall',
            type: 'boolean',
            description:
              "If set to false, list only resources belonging to the command's caller; if set to true - list resources that the caller is authorized to see. Default value is false",
          } satisfies ParamDef,
        ]
      : []),
  ];
}

/** BaseListCmd.validateSpecificParameters. */
export function checkPaging(p: Params): void {
  const pagesize = p.int('pagesize');
  if (p.str('page') === undefined && pagesize !== undefined && pagesize !== -1) {
    throw paramError('"page" parameter is required when "pagesize" is specified');
  }
  if (pagesize === undefined && p.str('page') !== undefined) {
    throw paramError('"pagesize" parameter is required when "page" is specified');
  }
}

/**
 * ListResponse serialisation: `count` is the total before paging and only appears when non-zero; the item
 * array only when the page is non-empty, so an empty result is `{}`.
 */
export function listResult<T>(ctx: Ctx, items: readonly T[], key: string, render: (t: T) => Obj): Obj {
  const page = ctx.p.int('page');
  const pagesize = ctx.p.int('pagesize');
  if (pagesize !== undefined && pagesize > MAX_PAGE_SIZE) {
    throw invalidValue(`Page size can't exceed max allowed page size value: ${MAX_PAGE_SIZE}`);
  }
  if (pagesize === -1 && page !== undefined) {
    throw invalidValue("Can't specify page parameter when pagesize is -1 (Unlimited)");
  }
  let shown: readonly T[] = items;
  if (pagesize !== -1) {
    const size = Math.max(pagesize ?? MAX_PAGE_SIZE, 0);
    const start = page !== undefined && page > 0 ? (page - 1) * size : 0;
    shown = items.slice(start, start + size);
  }
  const out: Obj = {};
  if (items.length > 0) out.count = items.length;
  if (shown.length > 0) out[key] = shown.map(render);
  return out;
}

/**
 * Account scoping of list calls: callers see their own account; only admins widen it with listall=true.
 * A project's resources are listed only through `projectid` (SkipProjectResources otherwise), and then
 * nothing else is.
 */
export function visible(ctx: Ctx, accountId: string | undefined): boolean {
  if (accountId === undefined) return true;
  const project = ctx.state.projectOf(accountId);
  if (ctx.project !== undefined || project !== undefined) {
    if (project === undefined || ctx.project === undefined) return false;
    return ctx.project === 'all' ? canAccessProject(ctx.caller, project) : ctx.project === project;
  }
  if (ctx.caller.isAdmin && ctx.p.bool('listall')) return true;
  return accountId === ctx.caller.account.id;
}

/** An `id`-style filter: absent matches everything, a translated-but-gone id matches nothing. */
export function matches<T>(ref: Ref<T> | undefined, item: T): boolean {
  return ref === undefined || ('found' in ref && ref.found === item);
}

/** A filter on a related id (zoneid, virtualmachineid …): absent matches everything, gone matches nothing. */
export function refIs(ref: Ref<{ id: string }> | undefined, id: string | undefined): boolean {
  return ref === undefined || ('found' in ref && ref.found.id === id);
}

/** MySQL LIKE '%keyword%' on the given fields, case-insensitive. */
export function keywordMatch(p: Params, ...fields: string[]): boolean {
  const k = p.str('keyword')?.toLowerCase();
  return !k || fields.some((f) => f.toLowerCase().includes(k));
}

export function nameMatch(p: Params, name: string): boolean {
  const n = p.str('name');
  return n === undefined || n.toLowerCase() === name.toLowerCase();
}

/** The entity behind a required id, or the manager's "not found" error for ids that translate to nothing. */
export function found<T>(ref: Ref<T> | undefined, notFound: string): T {
  if (ref && 'found' in ref) return ref.found;
  throw invalidValue(notFound);
}

/** AccountManager.checkAccess for entities owned by an account. */
export function ensureAccess(ctx: Ctx, ownerAccountId: string, resourceId: string): void {
  if (ctx.caller.isAdmin || ownerAccountId === ctx.caller.account.id) return;
  const project = ctx.state.projectOf(ownerAccountId);
  if (project && canAccessProject(ctx.caller, project)) return;
  throw permissionDenied(
    `Account ${ctx.caller.account.name} does not have permission to operate with resource ${resourceId}`,
  );
}

/** The simulator does not queue work on one entity; a second operation fails while the first runs. */
export function busyText(kind: string, id: string): string {
  return `Unable to complete the operation: ${kind} ${id} has another operation in progress, please retry later`;
}
