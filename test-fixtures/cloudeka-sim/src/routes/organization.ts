import type { Ctx, RouteHandlers } from '../context.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { Organization, Role, State, User } from '../state.js';
import { userView } from './account.js';

export function orgView(state: State, org: Organization) {
  const members = [...state.users.values()].filter((u) => u.organization_id === org.id);
  const projects = [...state.projects.values()].filter((p) => p.organization_id === org.id);
  return { ...org, member_count: members.length, project_count: projects.length };
}

function roleView(state: State, r: Role) {
  const members = [...state.users.values()].filter((u) => u.role_id === r.id).length;
  return { ...r, member_count: members };
}

const ORG_FIELDS = [
  'name',
  'details',
  'email',
  'phone_number',
  'address',
  'city',
  'province',
  'zip_code',
  'npwp',
] as const;

function editOrg(c: Ctx) {
  const id = c.str('organization_id');
  const org = c.state.organizations.get(id);
  if (!org) throw notFound('organization', id);
  if (org.id !== c.user.organization_id) throw forbidden('you can only edit your own organization');
  const data = c.data('org_data');
  for (const field of ORG_FIELDS) {
    const value = data[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw badRequest(`org_data.${field} must be a string`);
    if (field === 'name' && value.trim() === '') throw badRequest('org_data.name must not be empty');
    org[field] = value;
  }
  org.updated_at = c.state.now();
  return orgView(c.state, org);
}

/** A user of the caller's organization, or 404. */
function member(c: Ctx, id = c.str('user_id')): User {
  const u = c.state.users.get(id);
  if (!u || u.organization_id !== c.user.organization_id) throw notFound('user', id);
  return u;
}

function role(c: Ctx, id: string): Role {
  const r = c.state.roles.get(id);
  if (!r || r.organization_id !== c.user.organization_id) throw notFound('role', id);
  return r;
}

function owners(state: State, orgId: string | null): User[] {
  return [...state.users.values()].filter((u) => u.organization_id === orgId && u.role === 'Owner');
}

function keepAnOwner(c: Ctx, u: User): void {
  if (u.role === 'Owner' && owners(c.state, u.organization_id).length === 1) {
    throw badRequest('the organization must keep at least one Owner');
  }
}

function addMember(c: Ctx) {
  const id = c.str('user_id');
  const u = c.state.users.get(id);
  if (!u) throw notFound('user', id);
  if (u.organization_id === c.user.organization_id)
    throw conflict(`user ${id} is already a member of this organization`);
  if (u.organization_id) throw conflict(`user ${id} belongs to another organization`);
  const r = role(c, c.str('role_id'));
  const p = c.project();
  Object.assign(u, {
    organization_id: c.user.organization_id,
    role: r.name,
    role_id: r.id,
    project_ids: [p.id],
    updated_at: c.state.now(),
  });
  return userView(c.state, u);
}

function editMember(c: Ctx) {
  const u = member(c);
  const r = role(c, c.str('role_id'));
  const p = c.project();
  if (r.name !== 'Owner') keepAnOwner(c, u);
  u.role = r.name;
  u.role_id = r.id;
  if (!u.project_ids.includes(p.id)) u.project_ids.push(p.id);
  u.updated_at = c.state.now();
  return userView(c.state, u);
}

function deleteMember(c: Ctx) {
  const u = member(c);
  if (u.id === c.user.id) throw badRequest('you cannot remove yourself from the organization');
  keepAnOwner(c, u);
  Object.assign(u, {
    organization_id: null,
    role: 'Member',
    role_id: null,
    project_ids: [],
    updated_at: c.state.now(),
  });
  for (const [id, m] of c.state.registryMembers) if (m.user_id === u.id) c.state.registryMembers.delete(id);
  return { user_id: u.id, deleted: true };
}

function setActive(c: Ctx, active: boolean) {
  const u = member(c);
  if (u.id === c.user.id && !active) throw badRequest('you cannot deactivate yourself');
  if (u.status === 'pending') throw badRequest(`user ${u.id} has not accepted the invitation yet`);
  if (!active) keepAnOwner(c, u);
  u.status = active ? 'active' : 'inactive';
  u.updated_at = c.state.now();
  return userView(c.state, u);
}

/** name, description and privileges out of role_data, checked. */
function roleFields(c: Ctx, requireName: boolean) {
  const data = c.data('role_data');
  const out: Partial<Pick<Role, 'name' | 'description' | 'privileges'>> = {};
  if (data.name !== undefined || requireName) {
    if (data.name === undefined || data.name === null || data.name === '')
      throw badRequest('role_data.name is required');
    if (typeof data.name !== 'string') throw badRequest('role_data.name must be a string');
    out.name = data.name;
  }
  if (data.description !== undefined) {
    if (typeof data.description !== 'string') throw badRequest('role_data.description must be a string');
    out.description = data.description;
  }
  if (data.privileges !== undefined) {
    if (!Array.isArray(data.privileges) || data.privileges.some((p) => typeof p !== 'string')) {
      throw badRequest('role_data.privileges must be an array of strings');
    }
    out.privileges = data.privileges as string[];
  }
  return out;
}

function uniqueName(c: Ctx, name: string, except?: string): void {
  for (const r of c.state.roles.values()) {
    if (
      r.organization_id === c.user.organization_id &&
      r.id !== except &&
      r.name.toLowerCase() === name.toLowerCase()
    ) {
      throw conflict(`role "${name}" already exists`);
    }
  }
}

function addRole(c: Ctx) {
  const org = c.org();
  const fields = roleFields(c, true);
  uniqueName(c, fields.name!);
  const now = c.state.now();
  const r: Role = {
    id: c.state.id(),
    organization_id: org.id,
    name: fields.name!,
    description: fields.description ?? '',
    is_default: false,
    privileges: fields.privileges ?? [],
    created_at: now,
    updated_at: now,
  };
  c.state.roles.set(r.id, r);
  return roleView(c.state, r);
}

function editRole(c: Ctx) {
  const r = role(c, c.str('role_id'));
  if (r.is_default) throw badRequest(`default role ${r.name} cannot be changed`);
  const fields = roleFields(c, false);
  if (fields.name) uniqueName(c, fields.name, r.id);
  Object.assign(r, fields, { updated_at: c.state.now() });
  for (const u of c.state.users.values()) if (u.role_id === r.id) u.role = r.name;
  return roleView(c.state, r);
}

function deleteRole(c: Ctx) {
  const r = role(c, c.str('role_id'));
  if (r.is_default) throw badRequest(`default role ${r.name} cannot be deleted`);
  const users = [...c.state.users.values()].filter((u) => u.role_id === r.id).length;
  if (users > 0) throw badRequest(`role "${r.name}" is assigned to ${users} member(s)`);
  c.state.roles.delete(r.id);
  return { role_id: r.id, deleted: true };
}

export const organizationRoutes: RouteHandlers = {
  'GET /core/user/organization': (c) => orgView(c.state, c.org()),
  'PUT /core/user/organization/edit/:organization_id': editOrg,
  'GET /core/user/organization/member': (c) => {
    const org = c.org();
    return [...c.state.users.values()]
      .filter((u) => u.organization_id === org.id)
      .map((u) => userView(c.state, u));
  },
  'POST /core/user/organization/member': addMember,
  'PUT /core/user/organization/member/:user_id': editMember,
  'DELETE /core/user/organization/member/:user_id': deleteMember,
  'PUT /core/user/manageuser/active/:user_id': (c) => setActive(c, true),
  'PUT /core/user/manageuser/deactive/:user_id': (c) => setActive(c, false),
  'GET /core/user/organization/role': (c) => {
    const org = c.org();
    return [...c.state.roles.values()]
      .filter((r) => r.organization_id === org.id)
      .map((r) => roleView(c.state, r));
  },
  'POST /core/user/organization/role': addRole,
  'GET /core/user/organization/role/:role_id': (c) => roleView(c.state, role(c, c.str('role_id'))),
  'PUT /core/user/organization/role/:role_id': editRole,
  'DELETE /core/user/organization/role/:role_id': deleteRole,
};
