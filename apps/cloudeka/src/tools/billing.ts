import { ANNOTATIONS, badInput, defineTool } from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { ApiAnswer } from '../client/client.js';
import {
  anyId,
  asList,
  asObject,
  type Ctx,
  field,
  getTool,
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

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .describe('Date as YYYY-MM-DD');

export const balanceSchema = loose(
  {
    project_id: anyId,
    project_name: text,
    payment_type: text,
    balance: num,
    currency: text,
    month_to_date_cost: num,
    total_voucher_credit: num,
  },
  'Balance of a project',
);

export const balanceGet = getTool({
  name: 'balance_get',
  title: 'Project balance',
  description: 'A project’s accumulated balance: credit, usage, what is left.',
  toolset: 'billing',
  input: { project_id: projectIdInput },
  key: 'balance',
  schema: balanceSchema,
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/balance/accumulated/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const paymentSchema = loose(
  {
    id: anyId,
    amount: num,
    currency: text,
    status: text,
    method: text,
    reference: text,
    paid_at: text,
    invoice_number: text,
    project_id: anyId,
    project_name: text,
  },
  'A payment',
);

export const paymentList = listTool({
  name: 'payment_list',
  title: 'Payment history',
  description: 'Payments (top-ups) of your organization: date, amount, method, status.',
  toolset: 'billing',
  input: {},
  item: paymentSchema,
  noun: 'payments',
  columns: [
    { header: 'paid', value: (p) => field(p, 'paid_at', 'created_at', 'date') },
    { header: 'amount', value: (p) => field(p, 'amount', 'total') },
    { header: 'currency', value: (p) => field(p, 'currency') },
    { header: 'method', value: (p) => field(p, 'method', 'payment_method') },
    { header: 'status', value: (p) => field(p, 'status') },
    { header: 'project', value: (p) => field(p, 'project_name', 'project_id') },
    { header: 'invoice', value: (p) => field(p, 'invoice_number', 'invoice_id') },
  ],
  request: () => ({ method: 'GET', route: '/core/payment/history' }),
});

export const costSchema = loose(
  {
    date: text,
    period: text,
    total: num,
    total_billed: num,
    currency: text,
    breakdown: z.unknown().optional(),
  },
  'Costs of one day or month, with a breakdown per service',
);

const service = (name: string) => (c: Obj) => field(c, name, `breakdown.${name}`);

export const billingCostGet = defineTool({
  name: 'billing_cost_get',
  title: 'Project costs',
  description: 'A project’s costs per service: daily this month, the monthly total, or monthly history.',
  toolset: 'billing',
  input: z.object({
    project_id: projectIdInput,
    period: z.enum(['daily', 'monthly', 'history']).default('daily').describe('Which costs'),
    start: date.optional().describe('History: first day'),
    end: date.optional().describe('History: last day'),
  }),
  output: z.object({
    project_id: z.string(),
    period: z.enum(['daily', 'monthly', 'history']),
    items: z.array(costSchema).describe('Cost lines'),
    summary: z.record(z.string(), z.unknown()).optional().describe('Totals Cloudeka reported'),
  }),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'cost lines',
    columns: [
      { header: 'date', value: (c) => field(c, 'date', 'period', 'month') },
      { header: 'total', value: (c) => field(c, 'total', 'total_billed', 'amount') },
      { header: 'vm', value: service('virtual_machine') },
      { header: 'kubernetes', value: service('kubernetes') },
      { header: 'registry', value: service('registry') },
      { header: 'notebook', value: service('notebook') },
      { header: 'storage', value: service('storage') },
      { header: 'status', value: (c) => field(c, 'status') },
    ],
  },
  async handler(input, ctx: Ctx) {
    const project = projectId(ctx, input.project_id);
    const path = { project_id: project };
    let answer: ApiAnswer;
    if (input.period === 'history') {
      if (!input.start || !input.end) {
        throw badInput(
          input.start ? 'end' : 'start',
          'required with period history',
          'pass start and end as YYYY-MM-DD',
        );
      }
      answer = await send(ctx, {
        method: 'POST',
        route: '/core/billing/monthly-cost/history',
        body: { project_id: project, start: input.start, end: input.end },
        idempotent: true,
      });
    } else if (input.period === 'monthly') {
      answer = await send(ctx, {
        method: 'GET',
        route: '/core/billing/monthly-cost/total-billed/:project_id',
        path,
      });
    } else {
      answer = await send(ctx, { method: 'GET', route: '/core/billing/v2/daily-cost/:project_id', path });
    }
    const items = asList(answer.data);
    const summary = asObject(answer.data);
    const totals = Object.fromEntries(Object.entries(summary).filter(([, v]) => !Array.isArray(v)));
    return {
      project_id: project,
      period: input.period,
      items: items.length ? items : Object.keys(totals).length ? [totals] : [],
      ...(Object.keys(totals).length && items.length ? { summary: totals } : {}),
    };
  },
});

export const invoiceSchema = loose(
  {
    id: anyId,
    invoice_number: text,
    type: text,
    period: text,
    amount: num,
    tax: num,
    total: num,
    currency: text,
    status: text,
    issued_at: text,
    due_at: text,
    project_id: anyId,
    project_name: text,
  },
  'An invoice',
);

export const invoiceColumns = [
  { header: 'number', value: (i: Obj) => field(i, 'invoice_number', 'number') },
  { header: 'period', value: (i: Obj) => field(i, 'period', 'month') },
  { header: 'total', value: (i: Obj) => field(i, 'total', 'amount') },
  { header: 'currency', value: (i: Obj) => field(i, 'currency') },
  { header: 'status', value: (i: Obj) => field(i, 'status', 'payment_status') },
  { header: 'due', value: (i: Obj) => field(i, 'due_at', 'due_date') },
  { header: 'project', value: (i: Obj) => field(i, 'project_name', 'project_id') },
  { header: 'id', value: (i: Obj) => field(i, 'id', 'invoice_id') },
];

const invoiceType = z
  .enum(['sme', 'enterprise'])
  .default('sme')
  .describe('sme: prepaid; enterprise: postpaid, of a project');

export const invoiceList = listTool({
  name: 'invoice_list',
  title: 'List invoices',
  description: 'Invoices: sme (prepaid, organization) or enterprise (postpaid, one project).',
  toolset: 'billing',
  input: {
    type: invoiceType,
    project_id: projectIdInput.describe('Project id (enterprise)'),
  },
  item: invoiceSchema,
  noun: 'invoices',
  columns: invoiceColumns,
  request: (input, ctx) =>
    input.type === 'enterprise'
      ? {
          method: 'GET',
          route: '/core/billing/invoice/:project_id',
          path: { project_id: projectId(ctx, input.project_id) },
        }
      : { method: 'GET', route: '/core/balance/history/invoice' },
});

export const invoiceGet = getTool({
  name: 'invoice_get',
  title: 'Get an invoice',
  description: 'One invoice in full: lines, amounts, tax, status.',
  toolset: 'billing',
  input: {
    invoice_id: nonEmptyText().describe('Invoice id'),
    type: invoiceType,
  },
  key: 'invoice',
  schema: invoiceSchema,
  request: (input) => ({
    method: 'GET',
    route:
      input.type === 'enterprise'
        ? '/core/billing/v2/invoice/detail/:invoice_id'
        : '/core/balance/history/invoice/detail/:invoice_id',
    path: { invoice_id: input.invoice_id },
  }),
});

export const billingTools = [balanceGet, paymentList, billingCostGet, invoiceList, invoiceGet];
