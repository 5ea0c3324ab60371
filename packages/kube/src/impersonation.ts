/**
 * Impersonation of the HTTP caller (`--impersonate-caller`): every request a call makes to an API server
 * carries `Impersonate-User`/`Impersonate-Group` (and every kubectl/helm command `--as`/`--as-group`), so the
 * cluster's RBAC decides as the person calling, not as the server's own identity.
 *
 * The identity comes only from the authenticated `Caller` (the validated token's `sub` and `groups`), never
 * from tool arguments, other request headers or kubeconfigs. It travels from the tool call to the client and
 * the CLI runner in an AsyncLocalStorage set by `impersonatingTools`, because the tools reach their clients
 * through shared code (`deps.kube.client(name)`, `runCli`) that does not see the call's context.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type AnyTool, type Caller, ToolError } from '@cloudmcp/toolkit';

/** Who the API server is asked to act as: the caller's names with the operator's prefixes, validated. */
export interface Impersonation {
  user: string;
  groups: readonly string[];
}

export interface ImpersonationSettings {
  /** Put before the caller's `sub` (`oidc:` → `oidc:alice`), as kube-apiserver's `--oidc-username-prefix`. */
  userPrefix: string;
  /** Put before each of the caller's groups, as kube-apiserver's `--oidc-groups-prefix`. */
  groupPrefix: string;
}

/**
 * `oidc:` for both: what the Kubernetes documentation uses for `--oidc-username-prefix`/`--oidc-groups-prefix`,
 * so RBAC written for a cluster that trusts the issuer directly (`User oidc:alice`) works unchanged, and no
 * claim can name a built-in identity (`system:masters` becomes `oidc:system:masters`).
 */
export const DEFAULT_IMPERSONATION_PREFIX = 'oidc:';

/** Longest impersonated name, prefix included (a header value and a command-line argument). */
export const MAX_IMPERSONATED_NAME = 256;
/** Most groups one caller may bring; a token with more is refused, not cut (cutting changes what RBAC allows). */
export const MAX_IMPERSONATED_GROUPS = 64;
/** Longest prefix the operator may configure. */
export const MAX_IMPERSONATION_PREFIX = 64;

// printable ASCII only: a header value cannot carry a line break (header injection) or bytes Node refuses
const PRINTABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** Why an operator's prefix is unusable, or undefined when it is fine (empty is allowed). */
export function impersonationPrefixProblem(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  if (prefix.length > MAX_IMPERSONATION_PREFIX)
    return `is longer than ${MAX_IMPERSONATION_PREFIX} characters`;
  if (!PRINTABLE.test(prefix)) return 'has spaces at its ends or characters other than printable ASCII';
  if (prefix.startsWith('system:')) return 'starts with `system:`, which Kubernetes reserves for itself';
  return undefined;
}

function refusal(message: string): ToolError {
  return new ToolError(`This server acts as its caller on the cluster, and ${message}; nothing was sent.`, {
    next: `Ask the identity provider's administrator for a token with a plain subject and at most ${MAX_IMPERSONATED_GROUPS} plain groups.`,
  });
}

/** `prefix` + `claim`, checked: the claim printable ASCII without spaces at its ends, the whole bounded. */
function checkedName(prefix: string, claim: string, what: string): string {
  if (prefix.length + claim.length > MAX_IMPERSONATED_NAME) {
    throw refusal(`your token's ${what} is longer than ${MAX_IMPERSONATED_NAME} characters`);
  }
  if (!PRINTABLE.test(claim)) {
    throw refusal(`your token's ${what} has control, space-edged or non-ASCII characters`);
  }
  const name = `${prefix}${claim}`;
  if (name.startsWith('system:')) {
    throw refusal(`your token's ${what} would be \`${name}\`, a name Kubernetes reserves for itself`);
  }
  return name;
}

/**
 * The impersonation for one caller, or a ToolError: no caller or no subject (the static token, stdio), a
 * name that is too long or not printable ASCII, more than `MAX_IMPERSONATED_GROUPS` groups, or a name in
 * Kubernetes' reserved `system:` space (possible with an empty prefix).
 */
export function impersonationOf(caller: Caller | undefined, settings: ImpersonationSettings): Impersonation {
  if (caller?.subject === undefined || caller.subject === '') {
    throw new ToolError(
      'This server acts as its caller on the cluster, and this request names no user (its credential has no subject); nothing was sent.',
      {
        next: 'Call with an OAuth access token of the configured issuer whose `sub` names you (the static --http-token names no one).',
      },
    );
  }
  const groups = caller.groups ?? [];
  if (groups.length > MAX_IMPERSONATED_GROUPS) {
    throw refusal(`your token names ${groups.length} groups, more than ${MAX_IMPERSONATED_GROUPS}`);
  }
  return {
    user: checkedName(settings.userPrefix, caller.subject, 'subject'),
    groups: [...new Set(groups.map((g) => checkedName(settings.groupPrefix, g, 'group')))],
  };
}

const acting = new AsyncLocalStorage<Impersonation>();

/** The impersonation of the tool call being run; undefined outside `impersonatingTools`' handlers. */
export function currentImpersonation(): Impersonation | undefined {
  return acting.getStore();
}

/** Runs `fn` (and all it starts) as `impersonation`. For library users and tests; servers wrap their tools. */
export function actingAs<T>(impersonation: Impersonation, fn: () => T): T {
  return acting.run(impersonation, fn);
}

/**
 * The tools with handlers that run as their caller: each call works out the impersonation from `ctx.caller`
 * first (refusing it, with nothing sent, when that is impossible) and runs the handler inside it, where the
 * clients of `KubeTargets` made with `impersonate` and the CLI runner pick it up.
 *
 * `settings` may be read from the call's dependencies instead (undefined: the handler runs as it is), for a
 * server whose tool list is built without them (OKE keeps them in its deps).
 */
export function impersonatingTools<D>(
  tools: readonly AnyTool<D>[],
  settings: ImpersonationSettings | ((deps: D) => ImpersonationSettings | undefined),
): AnyTool<D>[] {
  const settingsOf = typeof settings === 'function' ? settings : () => settings;
  return tools.map((tool) => ({
    ...tool,
    handler: async (input, ctx) => {
      const current = settingsOf(ctx.deps);
      if (current === undefined) return tool.handler(input, ctx);
      const impersonation = impersonationOf(ctx.caller, current);
      return acting.run(impersonation, () => tool.handler(input, ctx));
    },
  }));
}

/**
 * The `Impersonate-*` headers of one API request made as `impersonation`, as `node:http` takes them: one
 * `Impersonate-Group` line per group (an array value), since kube-apiserver reads each line as one group and
 * never splits a value at commas. A `Headers` object would join them into one line, so `kubeFetch` sets these
 * on the request itself (`KubeFetchOptions.actingAs`) rather than through the `HttpClient`'s headers.
 */
export function impersonationHeaders(impersonation: Impersonation): Record<string, string | string[]> {
  return {
    'impersonate-user': impersonation.user,
    ...(impersonation.groups.length > 0 ? { 'impersonate-group': [...impersonation.groups] } : {}),
  };
}
