/**
 * User impersonation as kube-apiserver does it (k8s.io/apiserver pkg/endpoints/filters/impersonation.go):
 * `Impersonate-User`, one `Impersonate-Group` line per group (a value is never split at commas),
 * `Impersonate-Uid` and `Impersonate-Extra-<key>`. The authenticated user must be allowed the `impersonate`
 * verb on each thing asked for — `users`, `groups`, `serviceaccounts` (namespaced, for a
 * `system:serviceaccount:<ns>:<name>` user) in the core group, `uids` and `userextras/<key>` in
 * `authentication.k8s.io` — or the request gets the apiserver's 403, e.g.
 * `users "x" is forbidden: User "y" cannot impersonate resource "users" in API group "" at the cluster scope`.
 * Then the request runs as the impersonated user: RBAC, SelfSubjectReview (`kubectl auth whoami`) and the
 * 403s of the request itself name that user.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, forbidden } from './errors.js';
import type { Attributes, Authorizer, UserInfo } from './rbac.js';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA = 'impersonate-extra-';
const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):([^:]+)$/;

interface Asked {
  resource: string;
  apiGroup: string;
  subresource?: string;
  namespace?: string;
  name: string;
}

/**
 * The user a request runs as: `authenticated`, or whom its `Impersonate-*` headers name once `authorizer`
 * allowed each; throws the apiserver's ApiError otherwise.
 */
export function impersonatedUser(
  req: IncomingMessage,
  authenticated: UserInfo,
  authorizer: Authorizer,
): UserInfo {
  // headersDistinct: Node joins repeated lines in `headers` with ", "; Go's http.Header keeps each line
  const headers = req.headersDistinct;
  const username = headers[USER]?.[0] ?? '';
  const groups = headers[GROUP] ?? [];
  const uid = headers[UID]?.[0] ?? '';
  const extras = Object.entries(headers).filter(([name]) => name.startsWith(EXTRA));
  if (username === '') {
    if (groups.length || uid || extras.length) {
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: requested impersonation of groups, extras or a uid without impersonating a user',
      );
    }
    return authenticated;
  }

  const asked: Asked[] = [];
  const sa = SERVICE_ACCOUNT.exec(username);
  asked.push(
    sa
      ? { resource: 'serviceaccounts', apiGroup: '', namespace: sa[1]!, name: sa[2]! }
      : { resource: 'users', apiGroup: '', name: username },
  );
  for (const group of groups) asked.push({ resource: 'groups', apiGroup: '', name: group });
  const extra: Record<string, string[]> = {};
  for (const [name, values] of extras) {
    const key = decodeURIComponent(name.slice(EXTRA.length));
    extra[key] = values ?? [];
    for (const value of values ?? []) {
      asked.push({
        resource: 'userextras',
        subresource: key,
        apiGroup: 'authentication.k8s.io',
        name: value,
      });
    }
  }
  if (uid) asked.push({ resource: 'uids', apiGroup: 'authentication.k8s.io', name: uid });

  for (const a of asked) {
    const attributes: Attributes = {
      user: authenticated,
      verb: 'impersonate',
      resourceRequest: true,
      apiGroup: a.apiGroup,
      resource: a.resource,
      name: a.name,
      ...(a.subresource ? { subresource: a.subresource } : {}),
      ...(a.namespace ? { namespace: a.namespace } : {}),
    };
    if (!authorizer.authorize(attributes).allowed) {
      throw forbidden(
        authenticated.username,
        'impersonate',
        a.apiGroup,
        a.resource,
        a.subresource ?? '',
        a.namespace ?? '',
        a.name,
      );
    }
  }

  // a service account's groups are known when none are asked for; everyone else gets only what is asked
  const effective =
    sa && groups.length === 0 ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`] : [...groups];
  if (
    username !== 'system:anonymous' &&
    !effective.includes('system:authenticated') &&
    !effective.includes('system:unauthenticated')
  ) {
    effective.push('system:authenticated');
  }
  return {
    username,
    groups: effective,
    ...(uid ? { uid } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}
