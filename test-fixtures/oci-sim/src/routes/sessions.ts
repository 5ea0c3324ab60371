import { notAuthenticated } from '../errors.js';
import { json } from '../http.js';
import { type Ctx, jsonObject, onlyFields, type Route } from './context.js';

/**
 * The auth service's token refresh (what `oci session refresh` calls): signed with the session being
 * refreshed, body `{"currentToken": …}`, answer `{"token": …}` for the same session key.
 */
function refresh(ctx: Ctx) {
  const body = jsonObject(ctx.body);
  onlyFields(body, ['currentToken'], 'the refresh request');
  if (ctx.principal.sessionToken === undefined || body.currentToken !== ctx.principal.sessionToken) {
    throw notAuthenticated();
  }
  const next = ctx.sessions.refresh(body.currentToken as string);
  if (!next) throw notAuthenticated();
  return json({ token: next.token });
}

export const sessionRoutes: Route[] = [
  {
    method: 'POST',
    path: /^\/v1\/authentication\/refresh$/,
    operation: 'RefreshSecurityToken',
    handle: refresh,
  },
];
