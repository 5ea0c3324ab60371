import { type Ctx, isManager, type RouteHandlers } from '../context.js';
import { badRequest, conflict, forbidden, notFound } from '../errors.js';
import type { State, User } from '../state.js';

/** A user as the API shows one: never the password or the registry secret. */
export function userView(state: State, u: User) {
  const org = u.organization_id ? state.organizations.get(u.organization_id) : undefined;
  return {
    id: u.id,
    user_id: u.id,
    name: u.name,
    email: u.email,
    phone_number: u.phone_number,
    address: u.address,
    role: u.role,
    role_id: u.role_id,
    organization_id: u.organization_id,
    organization_name: org?.name ?? null,
    status: u.status,
    verified: u.verified,
    projects: u.project_ids.map((id) => ({ id, name: state.projects.get(id)?.name ?? null })),
    invitation_sent_at: u.invitation_sent_at,
    created_at: u.created_at,
    updated_at: u.updated_at,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function updateProfile(c: Ctx) {
  const id = c.str('user_id');
  const target = c.state.users.get(id);
  if (!target || (target.organization_id !== c.user.organization_id && c.user.role !== 'SuperAdmin')) {
    throw notFound('user', id);
  }
  if (target.id !== c.user.id && !isManager(c.user)) {
    throw forbidden(`role ${c.user.role} is not allowed to edit other members' profiles`);
  }
  const email = c.str('email');
  if (!EMAIL.test(email)) throw badRequest('email is not a valid email address');
  const other = c.state.userByEmail(email);
  if (other && other.id !== target.id) throw conflict(`email ${email} is already used`);
  Object.assign(target, {
    name: c.str('name'),
    email,
    phone_number: c.str('phone_number'),
    address: c.str('address'),
    updated_at: c.state.now(),
  });
  return userView(c.state, target);
}

function changePassword(c: Ctx) {
  const oldPassword = c.str('old_password');
  const newPassword = c.str('new_password');
  if (oldPassword !== c.user.password) throw badRequest('old password is incorrect');
  if (newPassword.length < 8) throw badRequest('new_password must be at least 8 characters');
  if (newPassword === oldPassword) throw badRequest('new password must differ from the old one');
  c.user.password = newPassword;
  c.user.updated_at = c.state.now();
  return { user_id: c.user.id, updated_at: c.user.updated_at };
}

export const accountRoutes: RouteHandlers = {
  'GET /core/user/profile': (c) => userView(c.state, c.user),
  'PUT /core/user/organization/profile/member/:user_id': updateProfile,
  'POST /core/user/change-password': changePassword,
};
