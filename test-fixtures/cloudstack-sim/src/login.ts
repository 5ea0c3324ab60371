import {
  type ApiReply,
  type ApiRequest,
  documentReply,
  type Engine,
  errorReply,
  textReply,
} from './engine.js';
import { ApiError, Code, errorBody } from './errors.js';
import { ROOT_DOMAIN } from './state.js';

function accountError(text: string): ApiReply {
  return errorReply(
    Code.ACCOUNT_ERROR,
    errorBody('loginresponse', new ApiError(Code.ACCOUNT_ERROR, text)),
    text,
  );
}

/** DefaultLoginAPIAuthenticatorCmd.getDomainName: the path gets a leading and a trailing slash. */
function domainPath(domain: string): string {
  let path = domain.startsWith('/') ? domain : `/${domain}`;
  if (!path.endsWith('/')) path += '/';
  return path;
}

/** DefaultLoginAPIAuthenticatorCmd + ApiServer.loginUser; the servlet drops any previous session first. */
export function login(engine: Engine, req: ApiRequest): ApiReply {
  if (req.method !== 'POST') {
    // The authenticator's exception message is written as the whole body, not as an error document.
    return textReply(Code.METHOD_NOT_ALLOWED, 'Please use HTTP POST to authenticate using this API');
  }
  const old = engine.sessions.find(req.cookies.get('JSESSIONID'));
  if (old) engine.sessions.invalidate(old.id);

  const { params } = req;
  const { state } = engine;
  const domainId = params.get('domainid') ?? params.get('domainId');
  if (domainId !== undefined) {
    if (domainId !== state.domainId && domainId !== String(ROOT_DOMAIN.internalId)) {
      if (!/^\d+$/.test(domainId)) {
        const text = 'Invalid domain id entered, please enter a valid one';
        return errorReply(
          Code.UNAUTHORIZED,
          errorBody('loginresponse', new ApiError(Code.UNAUTHORIZED, text)),
          text,
        );
      }
      return accountError(`Unable to find the domain from the path ${params.get('domain') ?? 'null'}`);
    }
  } else {
    const path = domainPath(params.get('domain') ?? '/');
    if (path !== ROOT_DOMAIN.path) return accountError(`Unable to find the domain from the path ${path}`);
  }

  const username = params.get('username');
  if (username === undefined)
    return accountError('failed to authenticate user, check if username/password are correct');
  const user = state.userByName(username);
  if (!user || user.password !== params.get('password') || user.state !== 'enabled') {
    return accountError(
      `Failed to authenticate user ${username} in domain ${ROOT_DOMAIN.internalId}; please provide valid credentials`,
    );
  }
  const account = state.account(user.accountId);
  const session = engine.sessions.create(user.id);
  return documentReply(
    200,
    {
      loginresponse: {
        username: user.username,
        userid: user.id,
        domainid: state.domainId,
        timeout: engine.sessions.timeoutSec,
        account: account.name,
        firstname: user.firstname,
        lastname: user.lastname,
        type: String(account.type),
        timezone: user.timezone,
        timezoneoffset: '0.0',
        registered: 'false',
        sessionkey: session.key,
        is2faenabled: 'false',
        is2faverified: 'true',
        issuerfor2fa: 'CloudStack',
      },
    },
    {
      'Set-Cookie': [
        `JSESSIONID=${session.id}; Path=/client; HttpOnly`,
        `sessionkey=${session.key};HttpOnly`,
      ],
    },
  );
}

/** Always "success"; the session (if any) is invalidated and every cookie sent is cleared. */
export function logout(engine: Engine, req: ApiRequest): ApiReply {
  const session = engine.sessions.find(req.cookies.get('JSESSIONID'));
  if (session) engine.sessions.invalidate(session.id);
  const cleared = [...req.cookies.keys()].map(
    (name) => `${name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
  );
  return documentReply(
    200,
    { logoutresponse: { description: 'success' } },
    cleared.length > 0 ? { 'Set-Cookie': cleared } : {},
  );
}
