/**
 * Where a kubeconfig from outside may point its clusters. A tenant's `server:` must not turn a shared server
 * into a scanner of its own host: loopback, link-local (cloud metadata lives there), unspecified and the
 * metadata addresses are refused unless the operator allows them. Private ranges (10/8 …) are fine: real
 * clusters live there.
 */
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { KubeconfigDocument } from '../targets.js';
import { LocalAddressError, UntrustedKubeconfigError } from './errors.js';

/** Address ranges by the word an error uses for them. IPv4-mapped IPv6 forms match the IPv4 rules. */
const RANGES: Array<[kind: string, list: BlockList]> = [
  [
    'loopback',
    blockList([
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ]),
  ],
  [
    'unspecified',
    blockList([
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ]),
  ],
  [
    'cloud metadata',
    blockList([
      ['169.254.169.254', 32, 'ipv4'],
      ['fd00:ec2::254', 128, 'ipv6'], // AWS IMDS over IPv6
      ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud
      ['192.0.0.192', 32, 'ipv4'], // Oracle Cloud (classic)
    ]),
  ],
  [
    'link-local',
    blockList([
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ]),
  ],
];

function blockList(subnets: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [net, prefix, family] of subnets) list.addSubnet(net, prefix, family);
  return list;
}

/** What kind of local address `ip` is (`loopback`, `link-local`, …), or undefined when it is none. */
export function localAddressKind(ip: string): string | undefined {
  const bare = unbracket(ip).replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return RANGES.find(([, list]) => list.check(bare, type))?.[0];
}

/** Whether `ip` (an IPv4 or IPv6 literal, brackets allowed) is loopback, link-local, unspecified or metadata. */
export function isLocalAddress(ip: string): boolean {
  return localAddressKind(ip) !== undefined;
}

/** A host without the brackets of an IPv6 literal (`[::1]` → `::1`). */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Throws `LocalAddressError` when `address` (what `host` resolved to) is local. */
export function assertNotLocal(host: string, address: string): void {
  const kind = localAddressKind(address);
  if (kind) throw new LocalAddressError(unbracket(host), address, kind);
}

/**
 * A `lookup` for sockets (an `http.Agent` option) that fails with `LocalAddressError` when any address a
 * name resolves to is local, so a connection cannot be steered there, also not by a later DNS answer.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    try {
      for (const { address } of addresses) assertNotLocal(hostname, address);
    } catch (refused) {
      callback(refused as NodeJS.ErrnoException, '', 0);
      return;
    }
    if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    else if (addresses[0]) callback(null, addresses[0].address, addresses[0].family);
    else callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
  });
};

/**
 * Throws `LocalAddressError` when `host` (a URL's hostname: a name or an IP literal, brackets allowed) is or
 * resolves to a local address. A name that does not resolve passes: the connection will fail on its own.
 */
export async function assertHostNotLocal(host: string, lookup: HostLookup = systemLookup): Promise<void> {
  const bare = unbracket(host);
  if (isIP(bare) !== 0) {
    assertNotLocal(bare, bare);
    return;
  }
  // `localhost.` is the absolute form of `localhost`, which some resolvers do not answer for
  const name = bare.endsWith('.') ? bare.slice(0, -1) : bare;
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(name);
  } catch {
    return;
  }
  for (const { address } of addresses) assertNotLocal(bare, address);
}

/** Resolves a host name to all of its addresses. */
export type HostLookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: HostLookup = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/**
 * A copy of `doc` whose clusters' `server` URLs name the IP address their host resolves to now, with
 * `tls-server-name` set to the host name (unless one was set), so a program reading it later (kubectl) cannot
 * be moved elsewhere by another DNS answer. Refuses (`LocalAddressError`) when any address of a host is local,
 * unless `allowLocal`. IP literals are checked as they are. Expects a rebuilt document (`rebuildKubeconfig`).
 */
export async function pinClusterAddresses(
  doc: KubeconfigDocument,
  opts: { allowLocal: boolean; lookup?: HostLookup },
): Promise<KubeconfigDocument> {
  const lookup = opts.lookup ?? systemLookup;
  const resolved = new Map<string, Promise<string>>();
  const pin = (host: string): Promise<string> => {
    let found = resolved.get(host);
    if (!found) {
      found = resolveOne(host, lookup, opts.allowLocal);
      resolved.set(host, found);
    }
    return found;
  };
  const clusters = await Promise.all(
    (doc.clusters ?? []).map(async ({ name, cluster }, index) => {
      const server = cluster['server'];
      if (typeof server !== 'string') {
        throw new UntrustedKubeconfigError(`clusters[${index}].cluster.server is missing`);
      }
      const url = new URL(server);
      const host = unbracket(url.hostname);
      if (isIP(host) !== 0) {
        if (!opts.allowLocal) assertNotLocal(host, host);
        return { name, cluster };
      }
      const address = await pin(host);
      url.hostname = isIP(address) === 6 ? `[${address}]` : address;
      const pinned: Record<string, unknown> = {
        ...cluster,
        server: url.href.replace(/\/$/, server.endsWith('/') ? '/' : ''),
      };
      if (url.protocol === 'https:') pinned['tls-server-name'] = cluster['tls-server-name'] ?? host;
      return { name, cluster: pinned };
    }),
  );
  return { ...doc, clusters };
}

async function resolveOne(host: string, lookup: HostLookup, allowLocal: boolean): Promise<string> {
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new UntrustedKubeconfigError(`the cluster's server "${host}" could not be resolved (${code})`);
  }
  const first = addresses[0];
  if (!first) throw new UntrustedKubeconfigError(`the cluster's server "${host}" has no address`);
  if (!allowLocal) for (const { address } of addresses) assertNotLocal(host, address);
  return first.address;
}
