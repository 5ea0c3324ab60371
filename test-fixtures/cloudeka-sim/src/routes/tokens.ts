import type { Ctx, RouteHandlers } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { CliToken } from '../state.js';

/** A cldkctl token record; its value only ever appears in the regenerate answer. */
function tokenView(t: CliToken) {
  return {
    id: t.id,
    name: t.name,
    status: t.status,
    expired_at: t.expired_at,
    last_used_at: t.last_used_at,
    created_at: t.created_at,
    updated_at: t.updated_at,
  };
}

/** The caller's own token; anyone else's reads as not found. */
function own(c: Ctx): CliToken {
  const id = c.str('token_id');
  const t = c.state.tokens.get(id);
  if (!t || t.user_id !== c.user.id) throw notFound('token', id);
  return t;
}

function update(c: Ctx) {
  const t = own(c);
  const name = c.str('name');
  if (name.length > 100) throw badRequest('name must be at most 100 characters');
  t.name = name;
  t.updated_at = c.state.now();
  return tokenView(t);
}

/** A new value (the old one stops working at once), valid for expiration_days (0: never expires). */
function regenerate(c: Ctx) {
  const t = own(c);
  const days = c.optInt('expiration_days');
  if (days === undefined) throw badRequest('expiration_days is required');
  if (days < 0) throw badRequest('expiration_days must be 0 or more');
  if (t.status === 'revoked') throw badRequest('token has been revoked');
  t.secret = c.state.newTokenSecret();
  t.expired_at = days === 0 ? null : new Date(Date.now() + days * 86_400_000).toISOString();
  t.updated_at = c.state.now();
  return { ...tokenView(t), token: t.secret };
}

export const tokenRoutes: RouteHandlers = {
  'PUT /core/cldkctl/token/:token_id': update,
  'POST /core/cldkctl/token/regenerate/:token_id': regenerate,
  // Extensions (not in endpoints.json): the portal's token list and delete.
  'GET /core/cldkctl/token': (c) =>
    [...c.state.tokens.values()].filter((t) => t.user_id === c.user.id).map(tokenView),
  'DELETE /core/cldkctl/token/:token_id': (c) => {
    const t = own(c);
    c.state.tokens.delete(t.id);
    return { id: t.id, deleted: true };
  },
};
