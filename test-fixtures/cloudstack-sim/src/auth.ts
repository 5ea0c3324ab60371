import { COMMANDS_BY_NAME } from './commands/index.js';
import type { Caller } from './commands/types.js';
import type { ApiRequest, Engine } from './engine.js';
import { ApiError, SESSION_FAILURE, SIGNATURE_FAILURE, unauthorized, unsupportedCommand } from './errors.js';
import { sessionKeyValid } from './session.js';
import { computeSignature, parseExpires, signaturesEqual } from './signature.js';
import type { State, User } from './state.js';

function callerOf(state: State, user: User): Caller {
  const account = state.account(user.accountId);
  return { user, account, isAdmin: account.type === 1 };
}

/** The role check (RoleBasedAPIAccessChecker): unknown and admin-only commands are "not available" (432). */
function checkAvailable(caller: Caller, command: string): void {
  const def = COMMANDS_BY_NAME.get(command);
  if (!def || (def.adminOnly && !caller.isAdmin)) throw unsupportedCommand(command);
}

/**
 * ApiServlet + ApiServer.verifyRequest: a live session (JSESSIONID cookie) must present its session key;
 * otherwise the request must carry a valid API key signature. Throws ApiError on failure.
 */
export function authenticate(engine: Engine, req: ApiRequest, command: string | undefined): Caller {
  const session = engine.sessions.find(req.cookies.get('JSESSIONID'));
  if (session) {
    const user = engine.state.get('user', session.userId);
    if (
      !sessionKeyValid(session, req.cookies.get('sessionkey'), req.params.get('sessionkey')) ||
      user?.state !== 'enabled'
    ) {
      // The servlet invalidates the session on a bad key, so the right key no longer helps afterwards.
      engine.sessions.invalidate(session.id);
      throw unauthorized(SESSION_FAILURE);
    }
    if (command === undefined) throw new ApiError(400, 'no command specified');
    engine.sessions.touch(session);
    const caller = callerOf(engine.state, user);
    checkAvailable(caller, command);
    return caller;
  }
  return verifySignature(engine.state, req.params, command);
}

function verifySignature(state: State, params: Map<string, string>, command: string | undefined): Caller {
  const fail = unauthorized(SIGNATURE_FAILURE);
  if (command === undefined || !COMMANDS_BY_NAME.has(command)) throw fail;
  let signature: string | undefined;
  let apiKey: string | undefined;
  let version: string | undefined;
  let expires: string | undefined;
  for (const [name, value] of params) {
    const lower = name.toLowerCase();
    if (lower === 'signature') signature = value;
    else if (lower === 'apikey') apiKey = value;
    else if (lower === 'signatureversion') version = value;
    else if (lower === 'expires') expires = value;
  }
  if (signature === undefined || apiKey === undefined) throw fail;
  if (version === '3') {
    const at = expires === undefined ? undefined : parseExpires(expires);
    if (at === undefined || at < Date.now()) throw fail;
  }
  const user = state.userByApiKey(apiKey);
  if (user?.state !== 'enabled') throw fail;
  const caller = callerOf(state, user);
  // verifyRequest checks availability before the signature: a 432 can precede a bad-signature 401.
  checkAvailable(caller, command);
  if (!user.secretKey || !signaturesEqual(signature, computeSignature(params, user.secretKey))) throw fail;
  return caller;
}
