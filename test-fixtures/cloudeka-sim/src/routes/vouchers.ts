import type { Ctx, RouteHandlers } from '../context.js';
import { badRequest, SimError } from '../errors.js';
import type { State, Voucher } from '../state.js';

function voucherView(state: State, v: Voucher) {
  return {
    id: v.id,
    code: v.code,
    voucher_code: v.code,
    type: v.type,
    amount: v.amount,
    currency: 'IDR',
    description: v.description,
    expired_at: v.expired_at,
    claimed_at: v.claimed_at,
    claimed_by: v.claimed_by,
    project_id: v.project_id,
    project_name: v.project_id ? (state.projects.get(v.project_id)?.name ?? null) : null,
  };
}

/** claim_data: {voucher_code, project_id}; a credit voucher adds its amount to the project's balance. */
function claim(c: Ctx) {
  const data = c.inner('claim_data');
  const code = data.str('voucher_code');
  const p = c.project(data.str('project_id'));
  const v = c.state.vouchers.get(code.trim().toUpperCase());
  if (!v) throw new SimError(404, `voucher ${code} not found`);
  if (v.claimed_at) throw badRequest(`voucher ${v.code} has already been claimed`);
  if (Date.parse(v.expired_at) <= Date.now()) throw badRequest(`voucher ${v.code} has expired`);
  Object.assign(v, {
    claimed_by: c.user.id,
    organization_id: p.organization_id,
    project_id: p.id,
    claimed_at: c.state.now(),
  });
  if (v.type === 'credit') p.balance += v.amount;
  return voucherView(c.state, v);
}

function claimed(c: Ctx, type: Voucher['type']) {
  const org = c.org();
  return [...c.state.vouchers.values()]
    .filter((v) => v.type === type && v.organization_id === org.id)
    .sort((a, b) => (b.claimed_at ?? '').localeCompare(a.claimed_at ?? ''))
    .map((v) => voucherView(c.state, v));
}

export const voucherRoutes: RouteHandlers = {
  'POST /core/user/voucher-credit/claim': claim,
  'GET /core/user/voucher-credit/claimed': (c) => claimed(c, 'credit'),
  'GET /core/user/voucher/claimed': (c) => claimed(c, 'trial'),
};
