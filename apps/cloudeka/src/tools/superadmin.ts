import { badInput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { ApiRequest } from '../client/client.js';
import { changeTool, field, getTool, listTool } from '../tool-common.js';
import { balanceSchema, invoiceColumns, invoiceSchema } from './billing.js';
import { organizationSchema } from './organization.js';
import { projectSchema } from './project.js';

const organizationId = z.string().min(1).describe('Organization id (see `superadmin_project_list`)');
const projectIdRequired = z.string().min(1).describe('Project id (see `superadmin_project_list`)');

export const superadminProjectList = listTool({
  name: 'superadmin_project_list',
  title: 'All organizations’ projects (superadmin)',
  description:
    'SuperAdmin only: lists the projects of every organization on the platform, with organization, payment ' +
    'type and status. Ids go into the other superadmin_* tools.',
  toolset: 'superadmin',
  input: {
    organization_id: z.string().optional().describe('Only projects of this organization'),
  },
  item: projectSchema,
  noun: 'projects',
  narrowHint: 'filter by organization_id',
  columns: [
    {
      header: 'organization',
      value: (p) => field(p, 'organization_name', 'organization.name', 'organization_id'),
    },
    { header: 'project', value: (p) => field(p, 'name', 'project_name') },
    { header: 'payment', value: (p) => field(p, 'payment_type') },
    { header: 'status', value: (p) => field(p, 'status') },
    { header: 'project_id', value: (p) => field(p, 'id', 'project_id') },
    { header: 'organization_id', value: (p) => field(p, 'organization_id', 'organization.id') },
  ],
  request: () => ({ method: 'GET', route: '/core/superadmin/list/manageorgproject' }),
  filter: (items, input) =>
    input.organization_id
      ? items.filter((p) => String(field(p, 'organization_id', 'organization.id')) === input.organization_id)
      : items,
});

export const superadminOrganizationGet = getTool({
  name: 'superadmin_organization_get',
  title: 'Any organization (superadmin)',
  description: 'SuperAdmin only: one organization of the platform as YAML, with its members and projects.',
  toolset: 'superadmin',
  input: { organization_id: organizationId },
  key: 'organization',
  schema: organizationSchema,
  request: (input) => ({
    method: 'GET',
    route: '/core/superadmin/manageorg/:organization_id',
    path: { organization_id: input.organization_id },
  }),
});

export const superadminBalanceGet = getTool({
  name: 'superadmin_balance_get',
  title: 'Any project’s balance (superadmin)',
  description: 'SuperAdmin only: the accumulated balance of any organization’s project, as YAML.',
  toolset: 'superadmin',
  input: { organization_id: organizationId, project_id: projectIdRequired },
  key: 'balance',
  schema: balanceSchema,
  request: (input) => ({
    method: 'GET',
    route: '/core/superadmin/balance/accumulated/:organization_id/:project_id',
    path: { organization_id: input.organization_id, project_id: input.project_id },
  }),
});

export const superadminInvoiceList = listTool({
  name: 'superadmin_invoice_list',
  title: 'Any organization’s invoices (superadmin)',
  description:
    'SuperAdmin only: the invoices of any organization — `type: sme` its balance invoices, `enterprise` ' +
    'the postpaid invoices of one of its projects (`project_id` required).',
  toolset: 'superadmin',
  input: {
    organization_id: organizationId,
    type: z.enum(['sme', 'enterprise']).default('sme').describe('sme or enterprise invoices'),
    project_id: projectIdRequired.optional().describe('With type enterprise: the project'),
  },
  item: invoiceSchema,
  noun: 'invoices',
  columns: invoiceColumns,
  request: (input): ApiRequest => {
    if (input.type === 'enterprise') {
      if (!input.project_id) throw badInput('project_id', 'required with type enterprise');
      return {
        method: 'GET',
        route: '/core/superadmin/invoice/:organization_id/:project_id',
        path: { organization_id: input.organization_id, project_id: input.project_id },
      };
    }
    return {
      method: 'GET',
      route: '/core/superadmin/balance/history/invoice/:organization_id',
      path: { organization_id: input.organization_id },
    };
  },
});

export const superadminInvitationResend = changeTool({
  name: 'superadmin_invitation_resend',
  title: 'Resend an invitation (superadmin)',
  description:
    'SuperAdmin only (the route is under /core/superadmin): sends the verification (invitation) email once ' +
    'more to a user who has not verified yet; find them with `member_list` (status pending).',
  toolset: 'superadmin',
  kind: 'change',
  annotations: { idempotentHint: false },
  input: { user_id: z.string().min(1).describe('User id of the invited user (see `member_list`)') },
  request: (input) => ({
    method: 'POST',
    route: '/core/superadmin/manageuser/resend-verified/:user_id',
    path: { user_id: input.user_id },
  }),
  done: (input) => `Sent the invitation to user ${input.user_id} again.`,
});

export const superadminTools = [
  superadminProjectList,
  superadminOrganizationGet,
  superadminBalanceGet,
  superadminInvoiceList,
  superadminInvitationResend,
];
