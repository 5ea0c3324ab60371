import { ANNOTATIONS, badInput, defineTool } from '@cloudmcp/toolkit';
import * as z from 'zod';
import {
  anyId,
  type Ctx,
  changeText,
  changeTool,
  field,
  getTool,
  isObject,
  listTool,
  loose,
  nonEmptyText,
  num,
  type Obj,
  projectId,
  projectIdInput,
  send,
  text,
} from '../tool-common.js';

export const organizationSchema = loose(
  {
    id: anyId,
    name: text,
    details: text,
    email: text,
    phone_number: text,
    address: text,
    city: text,
    status: text,
    member_count: num,
    project_count: num,
  },
  'Your organization',
);

export const memberSchema = loose(
  {
    id: anyId,
    user_id: anyId,
    name: text,
    fullname: text,
    email: text,
    role: z.unknown().optional(),
    role_id: anyId,
    status: text,
    active: z.boolean().nullish(),
  },
  'A member of the organization',
);

export const roleSchema = loose(
  { id: anyId, role_id: anyId, name: text, description: text, privileges: z.unknown().optional() },
  'A role of the organization',
);

const userId = nonEmptyText().describe('Member’s user id');
const roleId = nonEmptyText().describe('Role id');

export const organizationGet = getTool({
  name: 'organization_get',
  title: 'Your organization',
  description: 'Your organization: name, description, address, status, id.',
  toolset: 'organization',
  input: {},
  key: 'organization',
  schema: organizationSchema,
  request: () => ({ method: 'GET', route: '/core/user/organization' }),
});

const orgFields = {
  name: nonEmptyText().optional().describe('New name'),
  details: z.string().optional().describe('New description'),
  email: z.string().email('an email address').optional().describe('New contact email'),
  phone_number: z.string().optional().describe('New phone number'),
  address: z.string().optional().describe('New street address'),
  city: z.string().optional().describe('New city'),
  province: z.string().optional().describe('New province'),
  zip_code: z.string().optional().describe('New postal code'),
  npwp: z.string().optional().describe('New NPWP (tax number)'),
};

export const organizationUpdate = defineTool({
  name: 'organization_update',
  title: 'Update the organization',
  description: 'Changes your organization’s details (only the fields given; owners only).',
  toolset: 'organization',
  input: z.object({
    organization_id: nonEmptyText().optional().describe('Organization id; default: yours'),
    ...orgFields,
  }),
  output: z.object({
    done: z.string(),
    message: z.string().optional(),
    organization: organizationSchema.optional(),
  }),
  annotations: ANNOTATIONS.change,
  render: { kind: 'text', text: (out) => changeText(out, 'organization') },
  async handler({ organization_id, ...changes }, ctx: Ctx) {
    const id = organization_id ?? (await ctx.deps.client.session()).organization_id;
    if (!id) throw badInput('organization_id', 'required: the token exchange did not say your organization');
    const org_data = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    if (Object.keys(org_data).length === 0) {
      throw badInput('name', 'nothing to change: pass at least one field (name, details, email …)');
    }
    const answer = await send(ctx, {
      method: 'PUT',
      route: '/core/user/organization/edit/:organization_id',
      path: { organization_id: id },
      body: { org_data },
    });
    return {
      done: `Updated organization ${id} (${Object.keys(org_data).join(', ')}).`,
      ...(answer.message ? { message: answer.message } : {}),
      ...(isObject(answer.data) ? { organization: answer.data } : {}),
    };
  },
});

const memberName = (m: Obj) => field(m, 'name', 'fullname', 'full_name', 'username');
const roleName = (m: Obj) => field(m, 'role.name', 'role_name', 'role');

export const memberList = listTool({
  name: 'member_list',
  title: 'List members',
  description: 'Members of your organization: name, email, role, status, user id.',
  toolset: 'organization',
  input: {},
  item: memberSchema,
  noun: 'members',
  columns: [
    { header: 'name', value: memberName },
    { header: 'email', value: (m) => field(m, 'email') },
    { header: 'role', value: roleName },
    { header: 'status', value: (m) => field(m, 'status', 'active', 'is_active') },
    {
      header: 'projects',
      value: (m) =>
        Array.isArray(m['projects'])
          ? (m['projects'] as Obj[]).map((p) => p['name'] ?? p['id']).join(',')
          : undefined,
      maxWidth: 40,
    },
    { header: 'user_id', value: (m) => field(m, 'user_id', 'id') },
  ],
  request: () => ({ method: 'GET', route: '/core/user/organization/member' }),
});

export const memberAdd = changeTool({
  name: 'member_add',
  title: 'Add a member',
  description: 'Adds a user to the organization with a role and a project.',
  toolset: 'organization',
  kind: 'create',
  input: {
    user_id: nonEmptyText().describe('User id'),
    role_id: roleId,
    project_id: projectIdInput,
  },
  request: (input, ctx) => ({
    method: 'POST',
    route: '/core/user/organization/member',
    body: { user_id: input.user_id, role_id: input.role_id, project_id: projectId(ctx, input.project_id) },
  }),
  done: (input) => `Added user ${input.user_id} with role ${input.role_id}.`,
  result: { key: 'member', schema: memberSchema },
});

export const memberUpdate = changeTool({
  name: 'member_update',
  title: 'Change a member’s role',
  description: 'Gives a member another role and/or project.',
  toolset: 'organization',
  kind: 'change',
  input: { user_id: userId, role_id: roleId, project_id: projectIdInput },
  request: (input, ctx) => ({
    method: 'PUT',
    route: '/core/user/organization/member/:user_id',
    path: { user_id: input.user_id },
    body: { role_id: input.role_id, project_id: projectId(ctx, input.project_id) },
  }),
  done: (input) => `Member ${input.user_id} now has role ${input.role_id}.`,
  result: { key: 'member', schema: memberSchema },
});

export const memberDelete = changeTool({
  name: 'member_delete',
  title: 'Remove a member',
  description: 'Removes a member from the organization and every project.',
  toolset: 'organization',
  kind: 'destroy',
  input: { user_id: userId },
  confirm: (input) => `Remove member ${input.user_id} from the organization`,
  request: (input) => ({
    method: 'DELETE',
    route: '/core/user/organization/member/:user_id',
    path: { user_id: input.user_id },
  }),
  done: (input) => `Removed member ${input.user_id}.`,
});

export const memberActivate = changeTool({
  name: 'member_activate',
  title: 'Activate a member',
  description: 'Re-activates a deactivated member.',
  toolset: 'organization',
  kind: 'change',
  input: { user_id: userId },
  request: (input) => ({
    method: 'PUT',
    route: '/core/user/manageuser/active/:user_id',
    path: { user_id: input.user_id },
  }),
  done: (input) => `Member ${input.user_id} is active.`,
});

export const memberDeactivate = changeTool({
  name: 'member_deactivate',
  title: 'Deactivate a member',
  description: 'Suspends a member (nothing is deleted) until `member_activate`.',
  toolset: 'organization',
  kind: 'change',
  input: { user_id: userId },
  request: (input) => ({
    method: 'PUT',
    route: '/core/user/manageuser/deactive/:user_id',
    path: { user_id: input.user_id },
  }),
  done: (input) => `Member ${input.user_id} is deactivated.`,
});

export const roleList = listTool({
  name: 'role_list',
  title: 'List roles',
  description: 'Roles of your organization: name, description, id.',
  toolset: 'organization',
  input: {},
  item: roleSchema,
  noun: 'roles',
  columns: [
    { header: 'name', value: (r) => field(r, 'name', 'role_name') },
    { header: 'description', value: (r) => field(r, 'description'), maxWidth: 50 },
    { header: 'default', value: (r) => field(r, 'is_default') },
    { header: 'members', value: (r) => field(r, 'member_count') },
    {
      header: 'privileges',
      value: (r) => (Array.isArray(r['privileges']) ? r['privileges'].length : undefined),
    },
    { header: 'id', value: (r) => field(r, 'id', 'role_id') },
  ],
  request: () => ({ method: 'GET', route: '/core/user/organization/role' }),
});

export const roleGet = getTool({
  name: 'role_get',
  title: 'Get a role',
  description: 'One role with the privileges it grants.',
  toolset: 'organization',
  input: { role_id: roleId },
  key: 'role',
  schema: roleSchema,
  request: (input) => ({
    method: 'GET',
    route: '/core/user/organization/role/:role_id',
    path: { role_id: input.role_id },
  }),
});

const privileges = z
  .array(nonEmptyText())
  .optional()
  .describe('Privileges as Cloudeka names them (see `role_get`)');

export const roleCreate = changeTool({
  name: 'role_create',
  title: 'Create a role',
  description: 'Creates a role with privileges.',
  toolset: 'organization',
  kind: 'create',
  input: {
    name: nonEmptyText().max(100).describe('Role name'),
    description: z.string().optional().describe('What the role is for'),
    privileges,
  },
  request: (input) => ({
    method: 'POST',
    route: '/core/user/organization/role',
    body: { role_data: Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) },
  }),
  done: (input) => `Created role "${input.name}".`,
  result: { key: 'role', schema: roleSchema },
});

export const roleUpdate = changeTool({
  name: 'role_update',
  title: 'Update a role',
  description: 'Changes a custom role (only the fields given; privileges replaced as a whole).',
  toolset: 'organization',
  kind: 'change',
  input: {
    role_id: roleId,
    name: nonEmptyText().max(100).optional().describe('New name'),
    description: z.string().optional().describe('New description'),
    privileges,
  },
  request: ({ role_id, ...changes }) => ({
    method: 'PUT',
    route: '/core/user/organization/role/:role_id',
    path: { role_id },
    body: { role_data: Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) },
  }),
  done: (input) => `Updated role ${input.role_id}.`,
  result: { key: 'role', schema: roleSchema },
});

export const roleDelete = changeTool({
  name: 'role_delete',
  title: 'Delete a role',
  description: 'Deletes a role; its members need another first.',
  toolset: 'organization',
  kind: 'destroy',
  input: { role_id: roleId },
  confirm: (input) => `Delete role ${input.role_id}`,
  request: (input) => ({
    method: 'DELETE',
    route: '/core/user/organization/role/:role_id',
    path: { role_id: input.role_id },
  }),
  done: (input) => `Deleted role ${input.role_id}.`,
});

export const organizationTools = [
  organizationGet,
  organizationUpdate,
  memberList,
  memberAdd,
  memberUpdate,
  memberDelete,
  memberActivate,
  memberDeactivate,
  roleList,
  roleGet,
  roleCreate,
  roleUpdate,
  roleDelete,
];
