/** The text production's auth answers with when its token table is missing: the seed's fallback trigger. */
export const DB_TOKENS_MISSING = 'pq: relation "cldkctl_tokens" does not exist';

/** An HTTP error Cloudeka answered with: the status and the body's own message, verbatim. */
export class CloudekaError extends Error {
  override name = 'CloudekaError';

  constructor(
    /** `GET /core/user/project/detail/:project_id`: the route, never the filled-in path or query. */
    readonly route: string,
    readonly status: number,
    /** The upstream's own message (`message`, `error` …), or an excerpt of a body that has none. */
    readonly upstreamMessage: string,
    /** Set when the error came from the token exchange (`POST /core/cldkctl/auth`). */
    readonly duringAuth = false,
    /** The exchange answered with the missing-table database error (the seed's fallback trigger). */
    readonly isTokenTableMissing = false,
  ) {
    super(`${route}: ${status} ${upstreamMessage}`);
  }
}

/** What to try next for a Cloudeka HTTP status. */
export function nextStepFor(error: CloudekaError): string | undefined {
  if (error.duringAuth) {
    if (error.isTokenTableMissing) {
      return (
        'Production cannot exchange cldkctl tokens right now; use `switch_environment` (staging) — over ' +
        'HTTP, the X-Cloudeka-Environment: staging header in your client — or --environment auto.'
      );
    }
    return 'Check CLDKCTL_TOKEN (a cldkctl_… token from the portal: profile → API → Token) and that it has not expired; `status` shows which environment is used.';
  }
  switch (error.status) {
    case 400:
    case 422:
      return 'Fix the argument the message names and try again.';
    case 401:
      return 'The JWT was refused even after a fresh exchange; check CLDKCTL_TOKEN with `auth`.';
    case 403:
      return "Your role may not do this; see your role with `status` and the organization's roles with `role_list`.";
    case 404:
      return 'Check the id (and project_id); list what exists with the matching *_list tool.';
    case 409:
      return 'It conflicts with something that exists (a name in use?); look it up with the matching *_list tool.';
    case 429:
      return 'Cloudeka is rate-limiting this account; wait a little and try again.';
    default:
      return error.status >= 500
        ? 'Cloudeka failed while doing it; try again later or check `status`.'
        : undefined;
  }
}
