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

const userId = z.string().min(1).describe('User id of the member (see `member_list`)');
const roleId = z.string().min(1).describe('Role id (see `role_list`)');

export const organizationGet = getTool({
  name: 'organization_get',
  title: 'Your organization',
  description:
    'Your organization as YAML: name, description, address, status and id. Members: `member_list`; roles: ' +
    '`role_list`; projects: `project_list`.',
  toolset: 'organization',
  input: {},
  key: 'organization',
  schema: organizationSchema,
  request: () => ({ method: 'GET', route: '/core/user/organization' }),
});

const orgFields = {
  name: z.string().min(1).optional().describe('New name'),
  details: z.string().optional().describe('New description of the organization'),
  email: z.string().email('an email address').optional().describe('New contact email'),
  phone_number: z.string().optional().describe('New phone number'),
  address: z.string().optional().describe('New street address'),
  city: z.string().optional().describe('New city'),
  province: z.string().optional().describe('New province'),
  zip_code: z.string().optional().describe('New postal code'),
  npwp: z.string().optional().describe('New NPWP (Indonesian tax number)'),
};

export const organizationUpdate = defineTool({
  name: 'organization_update',
  title: 'Update the organization',
  description:
    'Changes your organization’s name, description (details), contact email, phone, address, city, ' +
    'province, postal code or NPWP — only the fields given. Owners only. Read the current values with ' +
    '`organization_get`.',
  toolset: 'organization',
  input: z.object({
    organization_id: z.string().min(1).optional().describe('Organization id; default: yours (see `status`)'),
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
  description:
    'Lists the members of your organization: name, email, role, status and user id. Change one with ' +
    '`member_update`, `member_activate`/`member_deactivate` or `member_delete`.',
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
  description:
    'Adds a user to the organization with a role, giving access to a project. Find roles with `role_list`.',
  toolset: 'organization',
  kind: 'create',
  input: {
    user_id: z.string().min(1).describe('Id of the user to add'),
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
  description: 'Gives a member another role and/or project. Find roles with `role_list`.',
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
  description:
    'Removes a member from the organization (asks the user to confirm); they lose access to every project. ' +
    'To suspend instead, use `member_deactivate`.',
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
  description: 'Re-activates a deactivated member so they can sign in again.',
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
  description:
    'Suspends a member: they cannot sign in until `member_activate`. Nothing of theirs is deleted.',
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
  description: 'Lists the roles of your organization: name, description, id. Details: `role_get`.',
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
  description: 'One role as YAML, with the privileges it grants.',
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
  .array(z.string().min(1))
  .optional()
  .describe('Privileges the role grants, as Cloudeka names them (see an existing role with `role_get`)');

export const roleCreate = changeTool({
  name: 'role_create',
  title: 'Create a role',
  description: 'Creates a role with a name, a description and privileges. Assign it with `member_update`.',
  toolset: 'organization',
  kind: 'create',
  input: {
    name: z.string().min(1).max(100).describe('Name of the role'),
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
  description:
    'Changes the name, description or privileges of a custom role (only the fields given; privileges are ' +
    'replaced as a whole). The built-in Owner and Member roles cannot be changed.',
  toolset: 'organization',
  kind: 'change',
  input: {
    role_id: roleId,
    name: z.string().min(1).max(100).optional().describe('New name'),
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
  description: 'Deletes a role (asks the user to confirm). Members holding it must get another role first.',
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
