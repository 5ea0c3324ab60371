/**
 * URLs the tools fetch for a caller (`kubectl apply -f https://…`, `helm --repo URL`, `oci://` charts),
 * compared with the operator's allowed prefixes on their parsed, normalised form.
 */

/** A URL in the only spelling the runner accepts: a lower-case scheme, `://`, then a host. */
const PLAIN = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/;
/** A host name, IPv4 or bracketed IPv6 address, and an optional port (after any userinfo), nothing else. */
const AUTHORITY =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', oci: '443' };

export interface ParsedUrl {
  scheme: string;
  host: string;
  port: string;
  /** Always starts with `/`; dot segments resolved. */
  path: string;
  /** It carried a user name or password (`user:pass@host`). */
  userinfo: boolean;
}

/** Something that may be read as a URL by some tool: a scheme-like prefix and `://` (in any case). */
export function looksLikeUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/**
 * Parses a URL the runner will let a tool fetch, or says why not. Refused: other spellings of the scheme
 * (`HTTPS://` is a local path to kubectl), backslashes, spaces, control characters, and percent-encoded
 * `/`, `\` or `.` (servers decode them differently from the prefix check).
 */
export function parseUrl(value: string, schemes: readonly string[]): ParsedUrl | string {
  const m = PLAIN.exec(value);
  if (!m) return 'it is not written as a plain lower-case URL (`https://host/path`)';
  const [, scheme, authority, rawPath] = m as unknown as [string, string, string, string];
  if (!schemes.includes(scheme)) {
    return `the tool does not fetch \`${scheme}://\` URLs here (only ${schemes.map((s) => `${s}://`).join(', ')})`;
  }
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  const auth = AUTHORITY.exec(hostPort);
  if (!auth) return 'its host is not a plain host name or address';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\\\s\x00-\x1f\x7f]|%(?:2f|5c|2e)/i.test(value)) {
    return 'it contains a backslash, a space, a control character or an encoded `/`, `\\` or `.`';
  }
  const port = auth[1] ?? DEFAULT_PORTS[scheme] ?? '';
  const host = hostPort.slice(0, hostPort.length - (auth[1] ? auth[1].length + 1 : 0)).toLowerCase();
  return { scheme, host: host.replace(/\.$/, ''), port, path: resolveDots(rawPath), userinfo: at >= 0 };
}

function resolveDots(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/').slice(1)) {
    if (segment === '..') out.pop();
    else if (segment !== '.') out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** The URL falls under the prefix: same scheme, host and port, and its path at or below the prefix's. */
export function underPrefix(url: ParsedUrl, prefix: ParsedUrl): boolean {
  if (url.scheme !== prefix.scheme || url.host !== prefix.host || url.port !== prefix.port) return false;
  const base = prefix.path.endsWith('/') ? prefix.path : `${prefix.path}/`;
  return url.path === prefix.path || url.path.startsWith(base);
}

/**
 * Checks a URL against `allowed` (undefined: any plain URL). Returns why it is refused, or undefined.
 * With a list, a URL carrying a user name or password is refused, and prefixes that do not parse never match.
 */
export function urlRefusal(
  value: string,
  schemes: readonly string[],
  allowed: readonly string[] | undefined,
): string | undefined {
  const url = parseUrl(value, schemes);
  if (typeof url === 'string') return url;
  if (allowed === undefined) return undefined;
  if (url.userinfo) return 'it carries a user name or password';
  for (const entry of allowed) {
    const prefix = parseUrl(entry, ['http', 'https', 'oci']);
    if (typeof prefix !== 'string' && !prefix.userinfo && underPrefix(url, prefix)) return undefined;
  }
  return allowed.length === 0
    ? 'this server fetches no URLs for its callers'
    : 'it is not under any of the URL prefixes this server allows';
}
