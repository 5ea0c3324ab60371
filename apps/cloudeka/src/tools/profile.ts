import { ANNOTATIONS, badInput, defineTool } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { identityOf } from '../client/client.js';
import {
  anyId,
  asObject,
  type Ctx,
  changeText,
  changeTool,
  getTool,
  isObject,
  loose,
  nonEmptyText,
  send,
  text,
} from '../tool-common.js';

export const userSchema = loose(
  {
    id: anyId,
    user_id: anyId,
    name: text,
    fullname: text,
    email: text,
    phone_number: text,
    address: text,
    role: z.unknown().optional(),
    organization_id: anyId,
  },
  'A Cloudeka user',
);

/** The user id to act on: the input, else the signed-in user's. */
async function selfId(ctx: Ctx, value: string | undefined): Promise<string> {
  if (value) return value;
  const session = await ctx.deps.client.session();
  if (!session.user_id) {
    throw badInput('user_id', 'required: the token exchange did not say who you are', 'pass `user_id`');
  }
  return session.user_id;
}

export const profileGet = getTool({
  name: 'profile_get',
  title: 'Your profile',
  description: 'Your user profile: name, email, phone, address, role, organization.',
  toolset: 'profile',
  input: {},
  key: 'profile',
  schema: userSchema,
  request: () => ({ method: 'GET', route: '/core/user/profile' }),
});

export const profileUpdate = defineTool({
  name: 'profile_update',
  title: 'Update a profile',
  description: 'Sets the name, email, phone and address (all four) of your profile, or an owner’s member’s.',
  toolset: 'profile',
  input: z.object({
    user_id: nonEmptyText().optional().describe('Member’s user id; default: you'),
    name: nonEmptyText().describe('Full name'),
    email: z.string().email('an email address').describe('Email address'),
    phone_number: z.string().min(3).describe('Phone number'),
    address: nonEmptyText().describe('Postal address'),
  }),
  output: z.object({ done: z.string(), message: z.string().optional(), profile: userSchema.optional() }),
  annotations: ANNOTATIONS.change,
  render: { kind: 'text', text: (out) => changeText(out, 'profile') },
  async handler(input, ctx: Ctx) {
    const userId = await selfId(ctx, input.user_id);
    const answer = await send(ctx, {
      method: 'PUT',
      route: '/core/user/organization/profile/member/:user_id',
      path: { user_id: userId },
      body: {
        name: input.name,
        email: input.email,
        phone_number: input.phone_number,
        address: input.address,
      },
    });
    return {
      done: `Updated the profile of user ${userId}.`,
      ...(answer.message ? { message: answer.message } : {}),
      ...(isObject(answer.data) ? { profile: answer.data } : {}),
    };
  },
});

export const profileChangePassword = changeTool({
  name: 'profile_change_password',
  title: 'Change your password',
  description: 'Changes your portal password; cldkctl tokens keep working.',
  toolset: 'profile',
  kind: 'destroy',
  annotations: { idempotentHint: false },
  input: {
    old_password: nonEmptyText().describe('Current password'),
    new_password: z.string().min(8, 'at least 8 characters').describe('New password'),
  },
  confirm: () => 'Change your Cloudeka portal password',
  request: (input) => ({
    method: 'POST',
    route: '/core/user/change-password',
    body: { old_password: input.old_password, new_password: input.new_password },
  }),
  done: () => 'Changed your password.',
});

export const loginVerify = defineTool({
  name: 'login_verify',
  title: 'Verify a portal login',
  description: 'Checks a portal username and password and says whose they are; the session is discarded.',
  toolset: 'profile',
  input: z.object({
    username: nonEmptyText().describe('Portal username (usually the email)'),
    password: nonEmptyText().describe('Portal password'),
  }),
  output: z.object({
    valid: z.boolean().describe('Whether Cloudeka accepted the login'),
    user: z.string().optional(),
    user_id: z.string().optional(),
    email: z.string().optional(),
    role: z.string().optional(),
    organization_id: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  render: {
    kind: 'text',
    text: (out) =>
      `The login is valid: ${out.user ?? 'a user'}${out.role ? ` (${out.role})` : ''}` +
      `${out.organization_id ? ` in organization ${out.organization_id}` : ''}.`,
  },
  async handler(input, ctx: Ctx) {
    const answer = await send(ctx, {
      method: 'POST',
      route: '/core/user/login',
      body: { username: input.username, password: input.password },
      anonymous: true,
    });
    const data = asObject(answer.data);
    const jwt = typeof data['token'] === 'string' ? data['token'] : '';
    const user = isObject(data['user']) ? { ...data, ...data['user'] } : data;
    return { valid: true, ...identityOf(user, jwt) };
  },
});

export const profileTools = [profileGet, profileUpdate, profileChangePassword, loginVerify];
