// CORS for the browser origins the server accepts (`--allowed-origins`, or loopback origins without a
// list). The preflight is answered before authentication: a browser never sends credentials with it, and
// refusing it would keep every browser client out. Whatever a preflight allows, the request itself still
// passes the Host check, the Origin check and authentication. A foreign origin never gets here: it is
// refused with 403, its preflight included.

/** What a browser client sends besides CORS-safelisted headers: the MCP headers of both eras, auth, ids. */
const MCP_REQUEST_HEADERS = [
  'content-type',
  'accept',
  'authorization',
  'mcp-protocol-version',
  'mcp-session-id',
  'mcp-method',
  'mcp-name',
  'last-event-id',
  'x-request-id',
];

/** What a browser client may read from our answers. */
const EXPOSED_HEADERS = ['mcp-session-id', 'mcp-protocol-version', 'www-authenticate', 'x-request-id'];

/** A tool argument mirrored into a header (2026-07-28, `Mcp-Param-{Name}`): the names vary per tool. */
const PARAM_HEADER = /^mcp-param-[a-z0-9_-]{1,64}$/;

/** How long a browser may reuse a preflight's answer. */
const MAX_AGE_SECONDS = 600;

export interface CorsPolicy {
  /** Headers for any answer to an accepted origin. */
  response(origin: string): Record<string, string>;
  /** The preflight's answer for a route serving `methods`, given what the browser asks to send. */
  preflight(
    origin: string,
    methods: readonly string[],
    requested: string | undefined,
  ): Record<string, string>;
}

/** `callerHeaders`: the server's per-user headers (X-Kubeconfig, X-Cloudeka-Environment…). */
export function corsPolicy(callerHeaders: readonly string[]): CorsPolicy {
  const allowed = [...MCP_REQUEST_HEADERS, ...callerHeaders.map((name) => name.toLowerCase())];
  const response = (origin: string) => ({
    'access-control-allow-origin': origin,
    'access-control-expose-headers': EXPOSED_HEADERS.join(', '),
  });
  return {
    response,
    preflight(origin, methods, requested) {
      const params = (requested ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter((name) => PARAM_HEADER.test(name));
      return {
        ...response(origin),
        'access-control-allow-methods': methods.join(', '),
        'access-control-allow-headers': [...new Set([...allowed, ...params])].join(', '),
        'access-control-max-age': String(MAX_AGE_SECONDS),
      };
    },
  };
}
