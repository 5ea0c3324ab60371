import * as z from 'zod';
import { anyId, changeTool, field, listTool, loose, num, text } from '../tool-common.js';

const tokenId = z.string().min(1).describe('Id of the cldkctl token (portal: profile → API → Token)');

export const tokenSchema = loose(
  {
    id: anyId,
    name: text,
    status: text,
    expired_at: text,
    last_used_at: text,
    created_at: text,
    expiration_days: num,
  },
  'A cldkctl token (its value is never shown)',
);

export const tokenList = listTool({
  name: 'token_list',
  title: 'List cldkctl tokens',
  description:
    'Lists your cldkctl tokens (never their values): name, status, expiry, last use and id. Rename with ' +
    '`token_update`, replace the value with `token_regenerate`, revoke with `token_delete`.',
  toolset: 'token',
  input: {},
  item: tokenSchema,
  noun: 'tokens',
  columns: [
    { header: 'name', value: (t) => field(t, 'name') },
    { header: 'status', value: (t) => field(t, 'status') },
    { header: 'expires', value: (t) => field(t, 'expired_at', 'expiration_date') ?? 'never' },
    { header: 'last_used', value: (t) => field(t, 'last_used_at') },
    { header: 'id', value: (t) => field(t, 'id') },
  ],
  request: () => ({ method: 'GET', route: '/core/cldkctl/token' }),
});

export const tokenUpdate = changeTool({
  name: 'token_update',
  title: 'Rename a cldkctl token',
  description: 'Renames a cldkctl token. Its value and expiry stay the same.',
  toolset: 'token',
  kind: 'change',
  input: { token_id: tokenId, name: z.string().min(1).max(100).describe('New name of the token') },
  request: (input) => ({
    method: 'PUT',
    route: '/core/cldkctl/token/:token_id',
    path: { token_id: input.token_id },
    body: { name: input.name },
  }),
  done: (input) => `Renamed token ${input.token_id} to "${input.name}".`,
  result: { key: 'token_record', schema: tokenSchema },
});

export const tokenRegenerate = changeTool({
  name: 'token_regenerate',
  title: 'Regenerate a cldkctl token',
  description:
    'Replaces the value of a cldkctl token with a new one valid for `expiration_days` (asks the user to ' +
    'confirm): every client still using the old value stops working — this server too, if it is the ' +
    'CLDKCTL_TOKEN it runs with. The new value is redacted here; the user copies it from the portal.',
  toolset: 'token',
  kind: 'destroy',
  annotations: { idempotentHint: false },
  input: {
    token_id: tokenId,
    expiration_days: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .describe('Days the new value stays valid (0: never expires)'),
  },
  confirm: (input) => `Regenerate cldkctl token ${input.token_id}; its current value stops working`,
  request: (input) => ({
    method: 'POST',
    route: '/core/cldkctl/token/regenerate/:token_id',
    path: { token_id: input.token_id },
    body: { expiration_days: input.expiration_days },
  }),
  done: (input) =>
    `Regenerated token ${input.token_id}; the old value no longer works. The new value is not shown here.`,
  result: { key: 'token_record', schema: tokenSchema },
});

export const tokenDelete = changeTool({
  name: 'token_delete',
  title: 'Delete a cldkctl token',
  description:
    'Revokes a cldkctl token for good (asks the user to confirm): every client using it stops working — ' +
    'this server too, if it is the CLDKCTL_TOKEN it runs with.',
  toolset: 'token',
  kind: 'destroy',
  input: { token_id: tokenId },
  confirm: (input) => `Delete cldkctl token ${input.token_id}; clients using it stop working`,
  request: (input) => ({
    method: 'DELETE',
    route: '/core/cldkctl/token/:token_id',
    path: { token_id: input.token_id },
  }),
  done: (input) => `Deleted token ${input.token_id}.`,
});

export const tokenTools = [tokenList, tokenUpdate, tokenRegenerate, tokenDelete];
