/**
 * Where a kubeconfig from outside may point: local addresses refused (pinning for the CLI path, connect-time
 * checks on the typed path), private ranges allowed. Name resolution is injected; the only traffic sent is
 * to kube-sim on 127.0.0.1.
 */
import { ToolError } from '@cloudmcp/toolkit';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  type HostLookup,
  isLocalAddress,
  LocalAddressError,
  parseUntrustedKubeconfig,
  pinClusterAddresses,
  UntrustedKubeconfigError,
} from '../src/kubeconfig/index.js';
import { type KubeconfigDocument, KubeTargets } from '../src/targets.js';

describe('isLocalAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '169.254.169.254',
    '169.254.1.1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    '0.0.0.0',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    'fd00:ec2::254',
    '100.100.100.200',
    '192.0.0.192',
  ])('%s is local', (ip) => {
    expect(isLocalAddress(ip)).toBe(true);
  });

  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.10',
    '100.64.0.1',
    'fd00:ec2::253',
    'fc00::1',
    '8.8.8.8',
    '2001:db8::1',
    '::ffff:10.0.0.1',
    'k8s.example',
    '',
  ])('%s is not local', (ip) => {
    expect(isLocalAddress(ip)).toBe(false);
  });
});

/** A lookup answering from a table, counting the questions. */
function fakeDns(table: Record<string, string[]>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (host: string) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

function docWith(...servers: Array<{ server: string; 'tls-server-name'?: string }>): KubeconfigDocument {
  return parseUntrustedKubeconfig(
    JSON.stringify({
      clusters: servers.map((cluster, i) => ({ name: `c${i}`, cluster })),
      users: [{ name: 'u', user: { token: 'tok-abc' } }],
      contexts: servers.map((_, i) => ({ name: `x${i}`, context: { cluster: `c${i}`, user: 'u' } })),
    }),
  );
}

async function pinRefusal(doc: KubeconfigDocument, lookup: HostLookup): Promise<Error> {
  const error = await pinClusterAddresses(doc, { allowLocal: false, lookup }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(UntrustedKubeconfigError);
  return error as Error;
}

describe('pinClusterAddresses', () => {
  const dns = fakeDns({
    'loop.example': ['127.0.0.1'],
    'meta.example': ['169.254.169.254'],
    'mapped.example': ['::ffff:127.0.0.1'],
    'aws6.example': ['fd00:ec2::254'],
    'private.example': ['10.20.30.40'],
    'six.example': ['2001:db8::7'],
    'mixed.example': ['10.20.30.41', '127.0.0.1'],
  });

  it.each([
    ['loop.example', /"loop\.example" resolves to a loopback address \(127\.0\.0\.1\)/],
    ['meta.example', /"meta\.example" resolves to a cloud metadata address \(169\.254\.169\.254\)/],
    ['mapped.example', /"mapped\.example" resolves to a loopback address \(::ffff:127\.0\.0\.1\)/],
    ['aws6.example', /"aws6\.example" resolves to a cloud metadata address/],
    ['mixed.example', /"mixed\.example" resolves to a loopback address/],
  ])('refuses a name resolving locally: %s', async (host, message) => {
    const error = await pinRefusal(docWith({ server: `https://${host}:6443` }), dns);
    expect(error).toBeInstanceOf(LocalAddressError);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/the operator can allow it with --allow-local-clusters/);
    expect(error.message).not.toContain('tok-abc');
  });

  it.each([
    ['https://127.0.0.1:6443', /"127\.0\.0\.1" resolves to a loopback address,/],
    ['https://[::1]:6443', /"::1" resolves to a loopback address/],
    ['http://169.254.169.254/latest/meta-data', /"169\.254\.169\.254" resolves to a cloud metadata address/],
    ['https://[::ffff:7f00:1]', /resolves to a loopback address/],
    ['https://0x7f.1:6443', /"127\.0\.0\.1" resolves to a loopback address/],
    ['https://0.0.0.0', /"0\.0\.0\.0" resolves to an unspecified address/],
  ])('refuses an IP literal without asking DNS: %s', async (server, message) => {
    const before = dns.asked.length;
    const error = await pinRefusal(docWith({ server }), dns);
    expect(error.message).toMatch(message);
    expect(dns.asked.length).toBe(before);
  });

  it('pins a private address, keeping the host name for TLS and the path', async () => {
    const doc = docWith(
      { server: 'https://private.example:6443/k8s/clusters/c-1' },
      { server: 'https://private.example:6443', 'tls-server-name': 'api.internal' },
      { server: 'https://six.example' },
      { server: 'http://private.example:8080' },
      { server: 'https://10.9.8.7:6443' },
    );
    const before = dns.asked.length;
    const pinned = await pinClusterAddresses(doc, { allowLocal: false, lookup: dns });
    expect(pinned.clusters?.map((c) => c.cluster)).toEqual([
      { server: 'https://10.20.30.40:6443/k8s/clusters/c-1', 'tls-server-name': 'private.example' },
      { server: 'https://10.20.30.40:6443', 'tls-server-name': 'api.internal' },
      { server: 'https://[2001:db8::7]', 'tls-server-name': 'six.example' },
      { server: 'http://10.20.30.40:8080' },
      { server: 'https://10.9.8.7:6443' },
    ]);
    // one question per host name, none for a literal
    expect(dns.asked.slice(before).sort()).toEqual(['private.example', 'six.example']);
    // the input is not changed
    expect(doc.clusters?.[0]?.cluster['server']).toBe('https://private.example:6443/k8s/clusters/c-1');
  });

  it('pins local addresses too when the operator allows them', async () => {
    const pinned = await pinClusterAddresses(
      docWith({ server: 'https://loop.example:6443' }, { server: 'https://127.0.0.1:7443' }),
      { allowLocal: true, lookup: dns },
    );
    expect(pinned.clusters?.map((c) => c.cluster)).toEqual([
      { server: 'https://127.0.0.1:6443', 'tls-server-name': 'loop.example' },
      { server: 'https://127.0.0.1:7443' },
    ]);
  });

  it('says which host could not be resolved, without the kubeconfig', async () => {
    const error = await pinRefusal(docWith({ server: 'https://nowhere.example' }), dns);
    expect(error).not.toBeInstanceOf(LocalAddressError);
    expect(error.message).toBe(`the cluster's server "nowhere.example" could not be resolved (ENOTFOUND)`);
  });
});

describe('the typed path against kube-sim on 127.0.0.1', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ clusters: 1 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const requests = () => sim.clusters[0]!.log.length;

  /** kube-sim's kubeconfig with its server's host replaced (its certificate covers 127.0.0.1 and localhost). */
  function kubeconfigAt(host: string): string {
    const doc = parseYaml(sim.kubeconfig()) as KubeconfigDocument;
    const cluster = doc.clusters![0]!.cluster;
    cluster['server'] = String(cluster['server']).replace('127.0.0.1', host);
    return JSON.stringify(doc);
  }

  async function refusedAt(host: string): Promise<ToolError> {
    const kube = new KubeTargets(kubeconfigAt(host), { untrusted: true, retries: 0 });
    try {
      const client = await kube.client();
      const error = await client.request({ path: '/api/v1/namespaces' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ToolError);
      return error as ToolError;
    } finally {
      kube.close();
    }
  }

  it('refuses an IP-literal loopback server before connecting', async () => {
    const before = requests();
    const error = await refusedAt('127.0.0.1');
    expect(error.message).toMatch(
      /^Context "sim-1": the cluster's server "127\.0\.0\.1" resolves to a loopback address, which requests may not reach; the operator can allow it with --allow-local-clusters\.$/,
    );
    expect(requests()).toBe(before);
  });

  it.each([
    ['http://[::1]:1', 'a loopback'],
    ['http://0.0.0.0:1', 'an unspecified'],
    ['http://[fe80::1]:1', 'a link-local'],
    ['http://localhost:1', 'a loopback'],
    ['http://localhost.:1', 'a loopback'],
  ])(
    'refuses %s before reading credentials (client-node would fail on plain http first)',
    async (server, kind) => {
      const doc = {
        clusters: [{ name: 'c', cluster: { server } }],
        users: [{ name: 'u', user: { token: 'tenant-token-0123456789' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      };
      const kube = new KubeTargets(doc, { untrusted: true, retries: 0 });
      try {
        const client = await kube.client();
        const error = await client.request({ path: '/api/v1/namespaces' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ToolError);
        expect((error as ToolError).message).toContain(`resolves to ${kind} address`);
        expect((error as ToolError).message).not.toContain('tenant-token');
      } finally {
        kube.close();
      }
    },
  );

  it('refuses a name resolving to loopback in the connection lookup', async () => {
    const before = requests();
    const error = await refusedAt('localhost');
    expect(error.message).toMatch(/"localhost" resolves to a loopback address \((127\.0\.0\.1|::1)\)/);
    expect(error.message).toMatch(/--allow-local-clusters/);
    expect(requests()).toBe(before);
  });

  it.each(['127.0.0.1', 'localhost'])('reaches %s with allowLocal', async (host) => {
    const kube = new KubeTargets(kubeconfigAt(host), { untrusted: true, allowLocal: true, retries: 0 });
    try {
      const client = await kube.client();
      const { body } = await client.request<{ items: Array<{ metadata: { name: string } }> }>({
        path: '/api/v1/namespaces',
      });
      expect(body.items.map((n) => n.metadata.name)).toContain('kube-system');
    } finally {
      kube.close();
    }
  });

  it('leaves trusted kubeconfigs unlimited', async () => {
    const kube = new KubeTargets(sim.kubeconfig(), { retries: 0 });
    try {
      const { status } = await (await kube.client()).request({ path: '/api/v1/namespaces' });
      expect(status).toBe(200);
    } finally {
      kube.close();
    }
  });
});
