import { networkInterfaces } from 'node:os';
import { ConfigError } from '../config.js';

/** `[::1]:8080` → `::1`, `Example.COM.:80` → `example.com`: the name a Host header or a flag names. */
export function hostName(value: string): string {
  const host = value.startsWith('[')
    ? value.slice(1, value.indexOf(']'))
    : value.indexOf(':') !== value.lastIndexOf(':')
      ? value // a bare IPv6 address (flags, interfaces); Host headers bracket theirs
      : value.replace(/:\d*$/, '');
  return host.toLowerCase().replace(/\.$/, '');
}

const LOOPBACK_NAMES = new Set(['localhost', '::1']);
const WILDCARDS = new Set(['0.0.0.0', '::']);

export function isLoopback(host: string): boolean {
  const name = hostName(host);
  return LOOPBACK_NAMES.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * Refuses to listen beyond loopback without a bearer token or OAuth, unless the operator says a proxy in front
 * authenticates (`--http-allow-unauthenticated`): otherwise anyone who can reach the port runs the tools.
 */
export function checkBind(host: string, hasToken: boolean, allowUnauthenticated: boolean): void {
  if (isLoopback(host) || hasToken || allowUnauthenticated) return;
  throw new ConfigError(
    `--http ${host} listens beyond loopback without a token: set --http-token (CLOUDMCP_HTTP_TOKEN) or ` +
      '--oauth-issuer (CLOUDMCP_OAUTH_ISSUER), or pass --http-allow-unauthenticated ' +
      '(CLOUDMCP_HTTP_ALLOW_UNAUTHENTICATED) if a proxy in front authenticates',
  );
}

/** The machine's own interface addresses: what a client on the network may write in Host for a wildcard bind. */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) =>
    (list ?? []).map((entry) => hostName(entry.address.replace(/%.*$/, ''))),
  );
}

export interface HostRules {
  /** The address bound (`127.0.0.1`, `10.0.0.5`, `0.0.0.0`, `::`). */
  bound: string;
  /** Names the operator lists with `--allowed-hosts`. */
  allowedHosts?: readonly string[];
  /** Whether /mcp requires a bearer token. */
  tokenRequired: boolean;
  /** For a wildcard bind without a token or a list; defaults to the machine's interface addresses. */
  localAddresses?: readonly string[];
}

/**
 * The DNS-rebinding guard: which `Host` names a listener answers. A web page whose name the attacker points
 * at this server makes the victim's browser send `Host: <that name>`, so only names the server really has
 * are answered: loopback names always, plus the bound address, plus the operator's `--allowed-hosts`.
 * A wildcard bind (0.0.0.0, ::) has no one name of its own: without a list it answers any Host when a
 * token is required, because rebinding needs a browser and a browser cannot send our bearer token (the page
 * does not know it, and a cross-origin `Authorization` header needs a CORS preflight we never grant);
 * without a token it answers loopback names and the machine's own interface addresses only. With a list, a
 * wildcard bind answers the list and the machine's own addresses (kubelet probes and scrapers use the pod IP).
 */
export function hostGuard(rules: HostRules): (hostHeader: string | undefined) => boolean {
  const bound = hostName(rules.bound);
  const names = new Set((rules.allowedHosts ?? []).map(hostName));
  if (WILDCARDS.has(bound)) {
    if (names.size === 0 && rules.tokenRequired) return () => true;
    // the machine's own addresses are names it really has (a probe or a scraper in a pod uses the pod IP)
    for (const address of rules.localAddresses ?? interfaceAddresses()) names.add(address);
  } else {
    names.add(bound);
  }
  return (header) => header !== undefined && (isLoopback(header) || names.has(hostName(header)));
}
