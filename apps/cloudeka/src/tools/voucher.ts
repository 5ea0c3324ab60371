import * as z from 'zod';
import {
  anyId,
  changeTool,
  field,
  listTool,
  loose,
  nonEmptyText,
  num,
  projectId,
  projectIdInput,
  text,
} from '../tool-common.js';

export const voucherSchema = loose(
  {
    id: anyId,
    code: text,
    type: text,
    amount: num,
    description: text,
    expired_at: text,
    claimed_at: text,
    project_id: anyId,
  },
  'A voucher',
);

export const voucherList = listTool({
  name: 'voucher_list',
  title: 'List claimed vouchers',
  description: 'Vouchers your organization claimed: code, amount, project, dates.',
  toolset: 'voucher',
  input: {
    type: z.enum(['credit', 'trial']).default('credit').describe('Voucher type'),
  },
  item: voucherSchema,
  noun: 'vouchers',
  columns: [
    { header: 'code', value: (v) => field(v, 'code', 'voucher_code') },
    { header: 'type', value: (v) => field(v, 'type') },
    { header: 'amount', value: (v) => field(v, 'amount', 'credit') },
    { header: 'project', value: (v) => field(v, 'project_name', 'project_id') },
    { header: 'claimed', value: (v) => field(v, 'claimed_at') },
    { header: 'expires', value: (v) => field(v, 'expired_at', 'expires_at') },
  ],
  request: (input) => ({
    method: 'GET',
    route: input.type === 'trial' ? '/core/user/voucher/claimed' : '/core/user/voucher-credit/claimed',
  }),
});

export const voucherClaim = changeTool({
  name: 'voucher_claim',
  title: 'Claim a voucher',
  description: 'Claims a credit voucher code for a project’s balance (once per code).',
  toolset: 'voucher',
  kind: 'create',
  input: {
    code: nonEmptyText().max(64).describe('Voucher code'),
    project_id: projectIdInput,
  },
  request: (input, ctx) => ({
    method: 'POST',
    route: '/core/user/voucher-credit/claim',
    body: { claim_data: { voucher_code: input.code, project_id: projectId(ctx, input.project_id) } },
  }),
  done: (input, ctx) => `Claimed voucher ${input.code} for project ${projectId(ctx, input.project_id)}.`,
  result: { key: 'voucher', schema: voucherSchema },
});

export const voucherTools = [voucherList, voucherClaim];
