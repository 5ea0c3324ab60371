import { ANNOTATIONS, defineTool, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { reserveTokenFile, tokenFileName } from '../token-dir.js';
import {
  anyId,
  asObject,
  type Ctx,
  changeTool,
  field,
  isObject,
  listTool,
  loose,
  nonEmptyText,
  num,
  text,
} from '../tool-common.js';

const tokenId = nonEmptyText().describe('Token id');

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
  description: 'Your cldkctl tokens (never their values): name, status, expiry, last use, id.',
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
  description: 'Renames a cldkctl token.',
  toolset: 'token',
  kind: 'change',
  input: { token_id: tokenId, name: nonEmptyText().max(100).describe('New name') },
  request: (input) => ({
    method: 'PUT',
    route: '/core/cldkctl/token/:token_id',
    path: { token_id: input.token_id },
    body: { name: input.name },
  }),
  done: (input) => `Renamed token ${input.token_id} to "${input.name}".`,
  result: { key: 'token_record', schema: tokenSchema },
});

/** The new value in a regenerate answer: `data.token`, a cldkctl token. */
function newValueOf(data: unknown): string | undefined {
  const value = isObject(data) ? data['token'] : undefined;
  return typeof value === 'string' && /^cldk(ctl)?_\S+$/.test(value) ? value : undefined;
}

export const tokenRegenerate = defineTool({
  name: 'token_regenerate',
  title: 'Regenerate a cldkctl token',
  description:
    'Gives a cldkctl token a new value, saved only to a new 0600 file in the operator’s token directory, never shown. Clients with the old value stop working (this server switches itself over). Without a token directory (HTTP) it refuses.',
  toolset: 'token',
  input: z.object({
    token_id: tokenId,
    expiration_days: z.number().int().min(0).max(3650).describe('Days valid (0: forever)'),
    token_file: tokenFileName.describe('New file name in the token directory'),
  }),
  output: z.object({
    token_record: tokenSchema.optional().describe('The token as Cloudeka reports it, without its value'),
    token_file: z.string().describe('Full path of the file holding the new value (mode 0600)'),
    server_switched: z
      .boolean()
      .describe('Whether this was the token this server runs with; it then uses the new value from now on'),
    switch_note: z.string().optional().describe('Why it could not tell whether it was this server’s token'),
  }),
  annotations: { ...ANNOTATIONS.destroy, idempotentHint: false },
  confirmMessage: (input) =>
    `Regenerate cldkctl token ${input.token_id}; its current value stops working everywhere it is used`,
  render: {
    kind: 'text',
    text: (out) =>
      [
        `Regenerated the token; its new value is in ${out.token_file} (mode 0600), the only copy. The old value no longer works.`,
        ...(out.server_switched
          ? [
              'This server ran with that token and now uses the new value; update CLDKCTL_TOKEN from the file before restarting it.',
            ]
          : []),
        ...(out.switch_note ? [out.switch_note] : []),
      ].join('\n'),
  },
  async handler(input, ctx: Ctx) {
    const { client, tokenDir } = ctx.deps;
    const file = await reserveTokenFile(tokenDir, input.token_file);
    // Not cancellable: once Cloudeka has replaced the value, the new one must be saved (and followed).
    let answer: Awaited<ReturnType<typeof client.request>>;
    try {
      answer = await client.request({
        method: 'POST',
        route: '/core/cldkctl/token/regenerate/:token_id',
        path: { token_id: input.token_id },
        body: { expiration_days: input.expiration_days },
      });
    } catch (error) {
      await file.discard();
      throw error;
    }
    const value = newValueOf(answer.data);
    if (!value) {
      await file.discard();
      throw new ToolError('Cloudeka answered the regeneration without a new token value.', {
        next: 'Check the token with `token_list`; if its old value no longer works, regenerate it in the portal.',
      });
    }
    let saveFailure: string | undefined;
    try {
      await file.write(value);
    } catch (error) {
      saveFailure = (error as NodeJS.ErrnoException).code ?? 'error';
    }
    let switched = false;
    let switchNote: string | undefined;
    try {
      switched = await client.followRegenerated(value);
    } catch (error) {
      switchNote =
        `Could not tell whether this server ran with that token (${(error as Error).message}); if its calls ` +
        'start failing with 401, set CLDKCTL_TOKEN from the file and restart it.';
    }
    if (saveFailure) {
      throw new ToolError(
        `Regenerated token ${input.token_id} but could not write its new value (${saveFailure}); the value is lost` +
          (switched ? ', though this server switched to it and keeps working until it restarts.' : '.'),
        { next: 'Regenerate it again with another `token_file`, or in the portal.' },
      );
    }
    const { token: _value, ...record } = asObject(answer.data);
    return {
      ...(Object.keys(record).length ? { token_record: record } : {}),
      token_file: file.path,
      server_switched: switched,
      ...(switchNote ? { switch_note: switchNote } : {}),
    };
  },
});

export const tokenDelete = changeTool({
  name: 'token_delete',
  title: 'Delete a cldkctl token',
  description:
    'Revokes a cldkctl token for good; every client using it stops working, this server too if it is its own.',
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
