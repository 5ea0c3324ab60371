import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Caller } from '@cloudmcp/toolkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TYPES } from '../src/client.js';
import { actingAs, impersonationOf } from '../src/impersonation.js';
import { KubeTargets } from '../src/targets.js';

/** An API server that records the headers of every request and answers an empty pod list. */
let server: Server;
let url: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headersDistinct as IncomingHttpHeaders);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"kind":"PodList","items":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A kubeconfig whose user already impersonates someone (`as:`): impersonation must replace it. */
const kubeconfig = () => ({
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': 'c',
  clusters: [{ name: 'c', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
  users: [{ name: 'u', user: { token: 'server-token', as: 'kubeconfig-chosen' } }],
  contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
});

const settings = { userPrefix: 'oidc:', groupPrefix: 'oidc:' };
const alice: Caller = { method: 'oauth', id: 'x', scopes: [], subject: 'alice', groups: ['dev'] };

describe('KubeClient with impersonate', () => {
  it('sends the caller as Impersonate-User and -Group, replacing the kubeconfig `as:`', async () => {
    const targets = new KubeTargets(kubeconfig(), { impersonate: true });
    const client = await targets.client();
    seen.length = 0;
    await actingAs(impersonationOf(alice, settings), () => client.list(TYPES.pods, { namespace: 'a' }));
    expect(seen).toHaveLength(1);
    expect(seen[0]!['impersonate-user']).toEqual(['oidc:alice']);
    expect(seen[0]!['impersonate-group']).toEqual(['oidc:dev']);
    expect(seen[0]!['authorization']).toEqual(['Bearer server-token']);
    targets.close();
  });

  it('refuses a request made outside a tool call, before anything is sent', async () => {
    const targets = new KubeTargets(kubeconfig(), { impersonate: true });
    const client = await targets.client();
    seen.length = 0;
    await expect(client.list(TYPES.pods)).rejects.toThrow(/outside a tool call.*acts as its caller/);
    expect(seen).toHaveLength(0);
    targets.close();
  });

  it('sends each of several groups as its own Impersonate-Group line, never one joined line', async () => {
    const targets = new KubeTargets(kubeconfig(), { impersonate: true });
    const client = await targets.client();
    seen.length = 0;
    const two = impersonationOf({ ...alice, groups: ['dev', 'ops', 'dev'] }, settings);
    await actingAs(two, () => client.list(TYPES.pods));
    expect(seen).toHaveLength(1);
    expect(seen[0]!['impersonate-group']).toEqual(['oidc:dev', 'oidc:ops']);
    expect(seen[0]!['impersonate-user']).toEqual(['oidc:alice']);
    targets.close();
  });

  it('without impersonate, sends what the kubeconfig says and nothing of the caller', async () => {
    const targets = new KubeTargets(kubeconfig());
    const client = await targets.client();
    seen.length = 0;
    await actingAs(impersonationOf(alice, settings), () => client.list(TYPES.pods));
    expect(seen[0]!['impersonate-user']).toEqual(['kubeconfig-chosen']);
    expect(seen[0]!['impersonate-group']).toBeUndefined();
    targets.close();
  });
});
