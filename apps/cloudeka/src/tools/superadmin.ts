import { badInput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { ApiRequest } from '../client/client.js';
import { changeTool, field, getTool, listTool, nonEmptyText } from '../tool-common.js';
import { balanceSchema, invoiceColumns, invoiceSchema } from './billing.js';
import { organizationSchema } from './organization.js';
import { projectSchema } from './project.js';

const organizationId = nonEmptyText().describe('Organization id');
const projectIdRequired = nonEmptyText().describe('Project id');

export const superadminProjectList = listTool({
  name: 'superadmin_project_list',
  title: 'All organizations’ projects (superadmin)',
  description: 'SuperAdmin: projects of every organization, with organization, payment type, status.',
  toolset: 'superadmin',
  input: {
    organization_id: z.string().optional().describe('Organization id'),
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
  description: 'SuperAdmin: one organization with its members and projects.',
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
  description: 'SuperAdmin: the balance of any organization’s project.',
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
  description: 'SuperAdmin: any organization’s invoices, sme or enterprise (one project).',
  toolset: 'superadmin',
  input: {
    organization_id: organizationId,
    type: z.enum(['sme', 'enterprise']).default('sme').describe('Invoice type'),
    project_id: projectIdRequired.optional().describe('Project id (enterprise)'),
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
  description: 'SuperAdmin: sends a pending user’s invitation email again.',
  toolset: 'superadmin',
  kind: 'change',
  annotations: { idempotentHint: false },
  input: { user_id: nonEmptyText().describe('User id') },
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
