import { Prng } from 'sim-kit';
import type { Ctx, RouteHandlers } from '../context.js';
import { isManager } from '../context.js';
import { badRequest, conflict, notFound, Reply } from '../errors.js';
import { fakeCertificate } from '../factories.js';
import type { Registry, RegistryLabel, RegistryLog, State, TagRule, User } from '../state.js';

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const COLOR = /^#[0-9A-Fa-f]{6}$/;
/** Registry storage a project may allocate across its registries. */
export const PROJECT_REGISTRY_QUOTA_GB = 200;
const PAGE_SIZE = 10;

const usedBytes = (state: State, registryId: string) =>
  [...state.artifacts.values()]
    .filter((a) => a.registry_id === registryId)
    .reduce((sum, a) => sum + a.size, 0);

function registryView(c: Ctx, r: Registry) {
  return {
    ...r,
    registry_id: r.id,
    project_name: c.state.projects.get(r.project_id)?.name ?? null,
    visibility: r.public ? 'public' : 'private',
    used_bytes: usedBytes(c.state, r.id),
    repository_count: [...c.state.repositories.values()].filter((x) => x.registry_id === r.id).length,
    url: `${c.env.registryHost}/${r.name}`,
  };
}

/** Whether the caller sees an organization's registry data: its own, or any for SuperAdmin. */
export function sameOrg(c: Ctx, organizationId: string): boolean {
  return organizationId === c.user.organization_id || c.user.role === 'SuperAdmin';
}

/** A registry of the caller's organization, in a project they may use. */
export function registryFor(c: Ctx, id: string = c.str('registry_id')): Registry {
  const r = c.state.registries.get(id);
  if (!r || !sameOrg(c, r.organization_id)) throw notFound('registry', id);
  c.project(r.project_id);
  return r;
}

export function registryLog(
  c: Ctx,
  r: Registry,
  operation: RegistryLog['operation'],
  resource: string,
): void {
  c.state.registryLogs.push({
    id: c.state.id(),
    registry_id: r.id,
    username: c.user.email,
    operation,
    resource,
    op_time: c.state.now(),
  });
}

/** Harbor-style pattern: `**` any string, `*` any run without '/', `?` one character. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '.'),
    )
    .join('.*');
  return new RegExp(`^${re}$`).test(value);
}

function list(c: Ctx) {
  const projectId = c.optStr('project-id');
  const projects = projectId ? [c.project(projectId)] : c.visibleProjects();
  const page = c.optInt('page') ?? 1;
  if (page < 1) throw badRequest('page must be a positive integer');
  const ids = new Set(projects.map((p) => p.id));
  const all = [...c.state.registries.values()]
    .filter((r) => ids.has(r.project_id))
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  return new Reply(
    all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => registryView(c, r)),
    {
      pagination: {
        page,
        per_page: PAGE_SIZE,
        total: all.length,
        total_pages: Math.max(1, Math.ceil(all.length / PAGE_SIZE)),
      },
    },
  );
}

function allocated(state: State, projectId: string, except?: string): number {
  return [...state.registries.values()]
    .filter((r) => r.project_id === projectId && r.id !== except)
    .reduce((sum, r) => sum + r.size_limit_gb, 0);
}

/** public, size_limit_gb, description out of registry_data, checked. */
function settings(c: Ctx, projectId: string, except?: string) {
  const data = c.inner('registry_data');
  const out: Partial<Pick<Registry, 'public' | 'size_limit_gb' | 'description'>> = {};
  const isPublic = data.optBool('public');
  if (isPublic !== undefined) out.public = isPublic;
  const size = data.optInt('size_limit_gb');
  if (size !== undefined) {
    if (size < 1) throw badRequest('registry_data.size_limit_gb must be at least 1');
    if (allocated(c.state, projectId, except) + size > PROJECT_REGISTRY_QUOTA_GB) {
      throw badRequest(
        `registry quota exceeded: the project may allocate ${PROJECT_REGISTRY_QUOTA_GB} GB in total`,
      );
    }
    out.size_limit_gb = size;
  }
  const description = data.optStr('description');
  if (description !== undefined) out.description = description;
  return out;
}

function create(c: Ctx) {
  const data = c.inner('registry_data');
  const p = c.project(data.str('project_id'));
  const name = data.str('name');
  if (name.length < 2 || name.length > 255 || !NAME.test(name)) {
    throw badRequest('registry_data.name must be 2-255 lower-case letters, digits and ._- separators');
  }
  if ([...c.state.registries.values()].some((r) => r.name === name))
    throw conflict(`registry "${name}" already exists`);
  const now = c.state.now();
  const r: Registry = {
    id: c.state.id(),
    project_id: p.id,
    organization_id: p.organization_id,
    name,
    public: false,
    size_limit_gb: 20,
    status: 'active',
    description: '',
    created_at: now,
    updated_at: now,
  };
  Object.assign(r, settings(c, p.id));
  if (allocated(c.state, p.id) + r.size_limit_gb > PROJECT_REGISTRY_QUOTA_GB) {
    throw badRequest(
      `registry quota exceeded: the project may allocate ${PROJECT_REGISTRY_QUOTA_GB} GB in total`,
    );
  }
  c.state.registries.set(r.id, r);
  const m = {
    id: c.state.id(),
    registry_id: r.id,
    user_id: c.user.id,
    role: 'project_admin' as const,
    created_at: now,
  };
  c.state.registryMembers.set(m.id, m);
  registryLog(c, r, 'create', r.name);
  return registryView(c, r);
}

function update(c: Ctx) {
  const r = registryFor(c);
  const name = c.inner('registry_data').optStr('name');
  if (name !== undefined && name !== r.name) throw badRequest('registry_data.name cannot be changed');
  Object.assign(r, settings(c, r.project_id, r.id), { updated_at: c.state.now() });
  return registryView(c, r);
}

function overview(c: Ctx) {
  const r = registryFor(c);
  const count = <T extends { registry_id: string }>(m: Map<string, T>) =>
    [...m.values()].filter((x) => x.registry_id === r.id).length;
  const artifacts = [...c.state.artifacts.values()].filter((a) => a.registry_id === r.id);
  const used = usedBytes(c.state, r.id);
  return {
    registry_id: r.id,
    name: r.name,
    repository_count: count(c.state.repositories),
    artifact_count: artifacts.length,
    tag_count: artifacts.reduce((sum, a) => sum + a.tags.length, 0),
    member_count: count(c.state.registryMembers),
    label_count: count(c.state.labels),
    pull_count: [...c.state.repositories.values()]
      .filter((x) => x.registry_id === r.id)
      .reduce((s, x) => s + x.pull_count, 0),
    used_bytes: used,
    size_limit_gb: r.size_limit_gb,
    usage_percent: Math.round((used / (r.size_limit_gb * 1024 ** 3)) * 1000) / 10,
  };
}

function memberView(
  state: State,
  m: { id: string; registry_id: string; user_id: string; role: string; created_at: string },
) {
  const u = state.users.get(m.user_id);
  return { ...m, member_id: m.id, name: u?.name ?? null, email: u?.email ?? null };
}

/** Users who may work in the project: managers and the members assigned to it. */
function projectUsers(c: Ctx, projectId: string): User[] {
  return [...c.state.users.values()].filter(
    (u) =>
      u.organization_id === c.user.organization_id &&
      u.status !== 'pending' &&
      (isManager(u) || u.project_ids.includes(projectId)),
  );
}

const ROLES = ['project_admin', 'maintainer', 'developer', 'guest'] as const;

function addMember(c: Ctx) {
  const r = registryFor(c);
  const userId = c.str('user_id');
  const u = c.state.users.get(userId);
  if (!u || u.organization_id !== c.user.organization_id) throw notFound('user', userId);
  if (!projectUsers(c, r.project_id).includes(u))
    throw badRequest(`user ${userId} is not a member of the registry's project`);
  const role = c.optStr('role') ?? 'developer';
  if (!(ROLES as readonly string[]).includes(role))
    throw badRequest(`role must be one of ${ROLES.join(', ')}`);
  if ([...c.state.registryMembers.values()].some((m) => m.registry_id === r.id && m.user_id === u.id)) {
    throw conflict(`user ${userId} is already a member of registry ${r.name}`);
  }
  const m = {
    id: c.state.id(),
    registry_id: r.id,
    user_id: u.id,
    role: role as (typeof ROLES)[number],
    created_at: c.state.now(),
  };
  c.state.registryMembers.set(m.id, m);
  return memberView(c.state, m);
}

/** The labels routes carry organization, user, project and registry in the path; all must line up. */
function labelScope(c: Ctx): Registry {
  const orgId = c.str('organization_id');
  if (orgId !== c.user.organization_id) throw notFound('organization', orgId);
  const userId = c.str('user_id');
  const u = c.state.users.get(userId);
  if (!u || u.organization_id !== orgId) throw notFound('user', userId);
  const p = c.project();
  const r = registryFor(c);
  if (r.project_id !== p.id) throw notFound('registry', r.id);
  return r;
}

function labelFields(c: Ctx, registryId: string, except?: string) {
  const data = c.inner('labels_data');
  const out: Partial<Pick<RegistryLabel, 'name' | 'color' | 'description'>> = {};
  const name = data.optStr('name');
  if (name !== undefined) {
    const taken = [...c.state.labels.values()].some(
      (l) => l.registry_id === registryId && l.id !== except && l.name === name,
    );
    if (taken) throw conflict(`label "${name}" already exists`);
    out.name = name;
  }
  const color = data.optStr('color');
  if (color !== undefined) {
    if (!COLOR.test(color)) throw badRequest('labels_data.color must be a #RRGGBB colour');
    out.color = color;
  }
  const description = data.optStr('description');
  if (description !== undefined) out.description = description;
  return out;
}

function createLabel(c: Ctx) {
  const r = labelScope(c);
  c.inner('labels_data').str('name');
  const now = c.state.now();
  const l: RegistryLabel = {
    id: c.state.id(),
    registry_id: r.id,
    name: '',
    color: '#757575',
    description: '',
    created_at: now,
    updated_at: now,
  };
  Object.assign(l, labelFields(c, r.id));
  c.state.labels.set(l.id, l);
  return l;
}

function updateLabel(c: Ctx) {
  const r = labelScope(c);
  const id = c.inner('labels_data').str('id');
  const l = c.state.labels.get(id);
  if (!l || l.registry_id !== r.id) throw notFound('label', id);
  Object.assign(l, labelFields(c, r.id, l.id), { updated_at: c.state.now() });
  return l;
}

function deleteLabel(c: Ctx) {
  const r = labelScope(c);
  const id = c.str('labels_id');
  const l = c.state.labels.get(id);
  if (!l || l.registry_id !== r.id) throw notFound('label', id);
  c.state.labels.delete(id);
  for (const a of c.state.artifacts.values()) a.label_ids = a.label_ids.filter((x) => x !== id);
  return { labels_id: id, deleted: true };
}

function tagRuleFor(c: Ctx): TagRule {
  const id = c.str('tag_id');
  const t = c.state.tagRules.get(id);
  const r = t && c.state.registries.get(t.registry_id);
  if (!t || !r || !sameOrg(c, r.organization_id)) throw notFound('tag', id);
  registryFor(c, r.id);
  return t;
}

function tagFields(c: Ctx, registryId: string, current?: TagRule) {
  const data = c.inner('tag_data');
  const tag = data.optStr('tag') ?? current?.tag;
  if (!tag) throw badRequest('tag_data.tag is required');
  const repository = data.optStr('repository') ?? current?.repository ?? '**';
  const clash = [...c.state.tagRules.values()].some(
    (t) =>
      t.registry_id === registryId && t.id !== current?.id && t.tag === tag && t.repository === repository,
  );
  if (clash) throw conflict(`a tag rule for ${repository}:${tag} already exists`);
  return { tag, repository };
}

function setDisabled(c: Ctx, disabled: boolean) {
  const t = tagRuleFor(c);
  t.disabled = disabled;
  t.updated_at = c.state.now();
  return t;
}

const registryCa = () => fakeCertificate(new Prng('cloudeka-sim/registry-ca'), 'Deka Registry CA');

export const registryRoutes: RouteHandlers = {
  'GET /core/dekaregistry/v2/registry': list,
  'POST /core/dekaregistry/v2/registry': create,
  'GET /core/dekaregistry/v2/registry/:registry_id': (c) => registryView(c, registryFor(c)),
  'PUT /core/dekaregistry/v2/registry/:registry_id': update,
  'GET /core/dekaregistry/v2/registry/:registry_id/overview': overview,
  'GET /core/dekaregistry/v2/registry/:registry_id/logs': (c) => {
    const r = registryFor(c);
    return c.state.registryLogs.filter((l) => l.registry_id === r.id).reverse();
  },
  'GET /core/dekaregistry/v2/member/:registry_id': (c) => {
    const r = registryFor(c);
    return [...c.state.registryMembers.values()]
      .filter((m) => m.registry_id === r.id)
      .map((m) => memberView(c.state, m));
  },
  'POST /core/dekaregistry/v2/member/:registry_id': addMember,
  'DELETE /core/dekaregistry/v2/member/:registry_id/detail/:member_id': (c) => {
    const r = registryFor(c);
    const id = c.str('member_id');
    const m = c.state.registryMembers.get(id);
    if (!m || m.registry_id !== r.id) throw notFound('registry member', id);
    c.state.registryMembers.delete(id);
    return { member_id: id, deleted: true };
  },
  'GET /core/dekaregistry/v2/project/member/:project_id': (c) => {
    const p = c.project();
    return projectUsers(c, p.id).map((u) => ({ user_id: u.id, name: u.name, email: u.email, role: u.role }));
  },
  'GET /core/dekaregistry/v2/project/quota/:project_id': (c) => {
    const p = c.project();
    const registries = [...c.state.registries.values()].filter((r) => r.project_id === p.id);
    return {
      project_id: p.id,
      limit_gb: PROJECT_REGISTRY_QUOTA_GB,
      allocated_gb: allocated(c.state, p.id),
      used_bytes: registries.reduce((sum, r) => sum + usedBytes(c.state, r.id), 0),
      registry_count: registries.length,
    };
  },
  'GET /core/dekaregistry/v1/registry/downloadcrt': () => ({ filename: 'ca.crt', certificate: registryCa() }),
  'POST /core/dekaregistry/v2/user/password/show': (c) => {
    const password = c.inner('password_data').str('password');
    if (password !== c.user.password) throw badRequest('password is incorrect');
    return { username: c.user.email, password: c.user.registry_secret };
  },
  'GET /core/dekaregistry/v1/registry/lislabels/:organization_id/:user_id/:project_id/:registry_id': (c) => {
    const r = labelScope(c);
    return [...c.state.labels.values()].filter((l) => l.registry_id === r.id);
  },
  'POST /core/dekaregistry/v1/registry/createlabels/:organization_id/:user_id/:project_id/:registry_id':
    createLabel,
  'PUT /core/dekaregistry/v1/registry/updatelabels/:organization_id/:user_id/:project_id/:registry_id':
    updateLabel,
  'DELETE /core/dekaregistry/v1/registry/deletelabels/:organization_id/:user_id/:project_id/:labels_id/:registry_id':
    deleteLabel,
  'GET /core/dekaregistry/v2/tag/:registry_id': (c) => {
    const r = registryFor(c);
    return [...c.state.tagRules.values()].filter((t) => t.registry_id === r.id);
  },
  'POST /core/dekaregistry/v2/tag/:registry_id': (c) => {
    const r = registryFor(c);
    const now = c.state.now();
    const t: TagRule = {
      id: c.state.id(),
      registry_id: r.id,
      ...tagFields(c, r.id),
      disabled: false,
      created_at: now,
      updated_at: now,
    };
    c.state.tagRules.set(t.id, t);
    return t;
  },
  'PUT /core/dekaregistry/v2/tag/detail/:tag_id': (c) => {
    const t = tagRuleFor(c);
    Object.assign(t, tagFields(c, t.registry_id, t), { updated_at: c.state.now() });
    return t;
  },
  'DELETE /core/dekaregistry/v2/tag/detail/:tag_id': (c) => {
    const t = tagRuleFor(c);
    c.state.tagRules.delete(t.id);
    return { tag_id: t.id, deleted: true };
  },
  'POST /core/dekaregistry/v2/tag/detail/:tag_id/disable': (c) => setDisabled(c, true),
  'POST /core/dekaregistry/v2/tag/detail/:tag_id/enable': (c) => setDisabled(c, false),
};
