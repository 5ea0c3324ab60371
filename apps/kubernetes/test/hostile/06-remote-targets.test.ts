import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  Arena,
  base64,
  HELM_MISSING,
  KUBECTL_MISSING,
  type Listener,
  lazy,
  listen,
  type Route,
} from './harness.js';

// Class 6: over HTTP a tenant must not make the server fetch URLs (SSRF from the server's network) unless
// the operator allowed their prefix, nor point a kubeconfig at the server's own loopback, link-local or
// metadata addresses unless the server runs with --allow-local-clusters; `context: "*"` stays bounded.

let arena: Arena;
let target: Listener;
let allowed: Listener;
const allowedRoutes: Record<string, Route> = {};
const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\n  namespace: default\n';
const plain = lazy(() => arena.http(['--cli-timeout', '10', '--request-timeout', '5']));
const prefixed = lazy(() => arena.http(['--cli-allowed-urls', `${allowed.url}/ok/`]));
const localOk = lazy(() => arena.http(['--allow-local-clusters', '--request-timeout', '5']));

beforeAll(async () => {
  arena = await Arena.open();
  target = await listen({ '/x.yaml': { body: manifest } });
  allowed = await listen(allowedRoutes);
  arena.onClose(() => target.close());
  arena.onClose(() => allowed.close());
  allowedRoutes['/ok/cm.yaml'] = { body: manifest };
  allowedRoutes['/ok/redirect'] = { status: 302, headers: { location: `${target.url}/x.yaml` } };
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

const P = () => String(target.port);

describe('remote URLs and targets', () => {
  describe.skipIf(!!KUBECTL_MISSING)(
    `kubectl fetching URLs over HTTP${KUBECTL_MISSING ? ` (skipped: ${KUBECTL_MISSING})` : ''}`,
    () => {
      it.each([
        'apply -f URL/x.yaml --dry-run=server',
        'apply --filename=URL/x.yaml --dry-run=server',
        'create -f URL/x.yaml --dry-run=server',
        'apply -k URL/kustomize --dry-run=server',
        'apply -f HTTP://127.0.0.1:PORT/x.yaml --dry-run=server',
        'apply -f http://localhost:PORT/x.yaml --dry-run=server',
        'apply -f http://127.1:PORT/x.yaml --dry-run=server',
        'apply -f http://2130706433:PORT/x.yaml --dry-run=server',
        'apply -f http://[::ffff:127.0.0.1]:PORT/x.yaml --dry-run=server',
      ])('kubectl %s: refused, the listener saw nothing', async (command) => {
        const before = target.connections;
        const client = await (await plain()).session();
        const result = await client.call('kubectl', {
          command: command.replaceAll('URL', target.url).replaceAll('PORT', P()),
        });
        expect(target.connections).toBe(before);
        expect(result.isError).toBe(true);
        expect(result.text).toMatch(/URL|http|-f|filename|kustomize|-k/i);
      });
    },
  );

  describe.skipIf(!!HELM_MISSING)(
    `helm fetching URLs over HTTP${HELM_MISSING ? ` (skipped: ${HELM_MISSING})` : ''}`,
    () => {
      it.each([
        'install x chart --repo URL/ --dry-run=server',
        'install x URL/chart.tgz --dry-run=server',
        'template x oci://127.0.0.1:PORT/charts/x',
        'show values URL/chart.tgz',
        'install x greeting --repo https://charts.example.com --values URL/v.yaml --dry-run=server',
        'pull URL/chart.tgz',
        'repo add r URL/',
      ])('helm %s: refused, the listener saw nothing', async (command) => {
        const before = target.connections;
        const client = await (await plain()).session();
        const result = await client.call('helm', {
          command: command.replaceAll('URL', target.url).replaceAll('PORT', P()),
        });
        expect(target.connections).toBe(before);
        expect(result.isError).toBe(true);
      });
    },
  );

  describe.skipIf(!!KUBECTL_MISSING)('--cli-allowed-urls: only that prefix', () => {
    it('a URL under the prefix is fetched (control)', async () => {
      const client = await (await prefixed()).session();
      const result = await client.call('kubectl', {
        command: `apply -f ${allowed.url}/ok/cm.yaml --dry-run=server`,
      });
      expect(result.isError).toBe(false);
      expect(allowed.paths).toContain('/ok/cm.yaml');
      // the server fetched it (every redirect checked) and kubectl read it from stdin
      expect(result.structured?.['fetched']).toEqual([`${allowed.url}/ok/cm.yaml`]);
      expect(result.structured?.['command']).toMatch(/ -f - /);
    });

    it.each([
      ['another path of the same host', 'ALLOWED/other/cm.yaml'],
      ['dot segments out of the prefix', 'ALLOWED/ok/../other/cm.yaml'],
      ['encoded dot segments', 'ALLOWED/ok/%2e%2e/other/cm.yaml'],
      ['userinfo that makes the host another', 'http://127.0.0.1:APORT@127.0.0.1:PORT/ok/cm.yaml'],
      ['another listener with the same path', 'TARGET/ok/cm.yaml'],
      ['prefix as a query of another URL', 'TARGET/x.yaml?ALLOWED/ok/'],
    ])('%s: refused; nothing outside the prefix is requested', async (_what, url) => {
      const outside = () => allowed.paths.filter((p) => !p.startsWith('/ok/')).length;
      const before = { target: target.connections, outside: outside() };
      const client = await (await prefixed()).session();
      const result = await client.call('kubectl', {
        command: `apply -f ${url
          .replaceAll('ALLOWED', allowed.url)
          .replaceAll('TARGET', target.url)
          .replaceAll('APORT', String(allowed.port))
          .replaceAll('PORT', P())} --dry-run=server`,
      });
      expect(target.connections).toBe(before.target);
      expect(outside()).toBe(before.outside);
      expect(result.isError).toBe(true);
    });

    it('a redirect from the allowed prefix to elsewhere is not followed', async () => {
      const before = target.connections;
      const client = await (await prefixed()).session();
      await client.call('kubectl', { command: `apply -f ${allowed.url}/ok/redirect --dry-run=server` });
      expect(target.connections).toBe(before);
    });
  });

  describe('a tenant kubeconfig aimed at the server’s own network', () => {
    const servers = [
      'http://127.0.0.1:PORT',
      'http://localhost:PORT',
      'http://LocalHost:PORT',
      'http://localhost.:PORT',
      'http://127.1:PORT',
      'http://2130706433:PORT',
      'http://0x7f.0.0.1:PORT',
      'http://0.0.0.0:PORT',
      'http://[::ffff:127.0.0.1]:PORT',
      'http://[::1]:PORT',
      'https://169.254.169.254',
      'http://[fe80::1]:PORT',
    ];
    const tenant = (server: string) =>
      base64(
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server: server.replace('PORT', P()) } }],
          users: [{ name: 'u', user: { token: 'tenant-token-0123456789' } }],
          contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'x',
        }),
      );

    for (const [tool, args] of [
      ['pod_list', { namespace: 'default' }],
      ['kubectl', { command: 'get pods' }],
    ] as const) {
      it.skipIf(tool === 'kubectl' && !!KUBECTL_MISSING).each(servers)(
        `${tool} at %s: refused, nothing connected`,
        async (server) => {
          const before = target.connections;
          const client = await (await plain()).session(tenant(server));
          const result = await client.call(tool, { ...args });
          expect(target.connections).toBe(before);
          expect(result.isError).toBe(true);
          expect(result.text).toMatch(/local|loopback|link-local|private|allow-local-clusters|server/i);
        },
      );
    }

    it('with --allow-local-clusters a header kubeconfig for kube-sim works (control)', async () => {
      const client = await (await localOk()).session(base64(arena.sim.kubeconfig({ user: 'view' })));
      const result = await client.call('pod_list', { namespace: 'team-a', context: 'sim-1' });
      expect(result.isError).toBe(false);
      expect(result.text).toMatch(/web-/);
    });

    it('context "*" over a header kubeconfig with 250 contexts asks at most 200 targets', async () => {
      const doc = {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'a', cluster: { server: target.url } }],
        users: [{ name: 'u', user: { token: 'tenant-token-0123456789' } }],
        contexts: Array.from({ length: 250 }, (_, i) => ({
          name: `${i}`,
          context: { cluster: 'a', user: 'u' },
        })),
        'current-context': '0',
      };
      const before = target.paths.length;
      const client = await (await localOk()).session(JSON.stringify(doc));
      const result = await client.call('pods_crashlooping', { context: '*' });
      const asked = target.paths.length - before;
      expect(asked).toBeLessThanOrEqual(200);
      if (!result.isError) expect(result.text).toMatch(/200|more|limit|first/i);
    });
  });
});
