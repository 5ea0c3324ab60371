import type { Ctx, RouteHandlers } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { Invoice, Project, State } from '../state.js';

const SERVICES = ['virtual_machine', 'kubernetes', 'registry', 'notebook', 'storage'] as const;

function dailyRows(p: Project) {
  return p.daily.map((d) => ({
    date: d.date,
    total: SERVICES.reduce((sum, s) => sum + d[s], 0),
    ...Object.fromEntries(SERVICES.map((s) => [s, d[s]])),
    currency: 'IDR',
  }));
}

export function balanceView(state: State, p: Project) {
  const vouchers = [...state.vouchers.values()].filter((v) => v.project_id === p.id && v.type === 'credit');
  return {
    project_id: p.id,
    project_name: p.name,
    payment_type: p.payment_type,
    balance: p.balance,
    currency: 'IDR',
    month_to_date_cost: dailyRows(p).reduce((sum, d) => sum + d.total, 0),
    total_voucher_credit: vouchers.reduce((sum, v) => sum + v.amount, 0),
    updated_at: p.updated_at,
  };
}

export function invoiceView(state: State, inv: Invoice, detail = false) {
  const { items, ...rest } = inv;
  return {
    ...rest,
    project_name: state.projects.get(inv.project_id)?.name ?? null,
    currency: 'IDR',
    ...(detail ? { items } : {}),
  };
}

export function invoicesOf(state: State, type: Invoice['type'], match: (inv: Invoice) => boolean) {
  return [...state.invoices.values()]
    .filter((inv) => inv.type === type && match(inv))
    .sort((a, b) => b.issued_at.localeCompare(a.issued_at))
    .map((inv) => invoiceView(state, inv));
}

function invoiceDetail(c: Ctx, type: Invoice['type']) {
  const id = c.str('invoice_id');
  const inv = c.state.invoices.get(id);
  if (!inv || inv.type !== type || inv.organization_id !== c.user.organization_id)
    throw notFound('invoice', id);
  c.project(inv.project_id);
  return invoiceView(c.state, inv, true);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function history(c: Ctx) {
  const p = c.project();
  const start = c.str('start');
  const end = c.str('end');
  for (const [name, value] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (!DATE.test(value) || Number.isNaN(Date.parse(value)))
      throw badRequest(`${name} must be a date in YYYY-MM-DD format`);
  }
  if (start > end) throw badRequest('start must not be after end');
  const invoices = [...c.state.invoices.values()].filter((i) => i.project_id === p.id);
  return p.monthly
    .filter((m) => m.period >= start.slice(0, 7) && m.period <= end.slice(0, 7))
    .map((m) => ({
      period: m.period,
      project_id: p.id,
      total: m.total,
      currency: 'IDR',
      status: invoices.find((i) => i.period === m.period)?.status ?? 'billed',
    }));
}

function gpuQuota(p: Project) {
  return p.gpu_quota.map((q) => ({ ...q, available: q.quota - q.used }));
}

export const billingRoutes: RouteHandlers = {
  'GET /core/balance/accumulated/:project_id': (c) => balanceView(c.state, c.project()),
  'GET /core/payment/history': (c) => {
    const visible = new Set(c.visibleProjects().map((p) => p.id));
    return [...c.state.payments.values()]
      .filter((pay) => visible.has(pay.project_id))
      .sort((a, b) => b.paid_at.localeCompare(a.paid_at))
      .map((pay) => ({
        ...pay,
        invoice_number: c.state.invoices.get(pay.invoice_id)?.invoice_number ?? null,
        project_name: c.state.projects.get(pay.project_id)?.name ?? null,
        currency: 'IDR',
      }));
  },
  'GET /core/billing/v2/daily-cost/:project_id': (c) => dailyRows(c.project()),
  'GET /core/billing/monthly-cost/total-billed/:project_id': (c) => {
    const p = c.project();
    const rows = dailyRows(p);
    const breakdown = Object.fromEntries(SERVICES.map((s) => [s, p.daily.reduce((sum, d) => sum + d[s], 0)]));
    return {
      project_id: p.id,
      period: '2025-06',
      total_billed: rows.reduce((sum, d) => sum + d.total, 0),
      currency: 'IDR',
      breakdown,
    };
  },
  'POST /core/billing/monthly-cost/history': history,
  'GET /core/balance/history/invoice': (c) => {
    const visible = new Set(c.visibleProjects().map((p) => p.id));
    return invoicesOf(c.state, 'sme', (i) => visible.has(i.project_id));
  },
  'GET /core/balance/history/invoice/detail/:invoice_id': (c) => invoiceDetail(c, 'sme'),
  'GET /core/billing/invoice/:project_id': (c) => {
    const p = c.project();
    return invoicesOf(c.state, 'enterprise', (i) => i.project_id === p.id);
  },
  'GET /core/billing/v2/invoice/detail/:invoice_id': (c) => invoiceDetail(c, 'enterprise'),
  'GET /mid/billing/projectdekagpu/quota/:project_id': (c) => {
    const p = c.project();
    return { project_id: p.id, payment_type: p.payment_type, quota: gpuQuota(p) };
  },
  'GET /mid/billing/projectflavorgpu/project/:project_id': (c) => {
    const p = c.project();
    return gpuQuota(p).map((q) => {
      const flavor = c.state.catalog.flavors.find((f) => f.gpu === q.gpu_type);
      return { project_id: p.id, flavor_id: flavor?.id ?? null, flavor_name: flavor?.name ?? null, ...q };
    });
  },
};
