import { describe, expect, it } from 'vitest';
import { managedKubeconfig } from '../src/connect/kubeconfig.js';
import { clientUrl, tokenSecretData } from '../src/connect/steps.js';
import { clusterNameOf, isSelector, selectorOf } from '../src/targets.js';

// What reaches this server from outside, tried as an attacker would: a model's `cluster` argument, and what
// agents wrote on the hub (a ManagedCluster's URL, a token Secret's CA and token). Each is checked or
// rebuilt before anything uses it; refusals name the field or the step, never echo a secret.

const CA_PEM = `-----BEGIN CERTIFICATE-----\n${Buffer.from('fake ca der bytes').toString('base64')}\n-----END CERTIFICATE-----\n`;
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('a `cluster` argument', () => {
  it.each(['cluster1', 'a', 'prod-eu-1', `c${'x'.repeat(62)}`])('%s is a cluster name', (name) => {
    expect(clusterNameOf(name, 'cluster')).toBe(name);
  });

  it.each([
    ['../hub', /is not a cluster name/],
    ['cluster1/..%2f', /is not a cluster name/],
    ['Cluster1', /is not a cluster name/],
    ['cluster1 ', /is not a cluster name/],
    ['-cluster', /is not a cluster name/],
    [`c${'x'.repeat(63)}`, /is not a cluster name/],
    ['cluster1\nX-Injected: 1', /is not a cluster name/],
    ['env=prod', /a label selector names several clusters/],
    ['!canary', /a label selector names several clusters/],
    ['region in (eu,us)', /a label selector names several clusters/],
  ])('%j is refused as bad input naming the field', (value, problem) => {
    expect(() => clusterNameOf(value, 'cluster')).toThrow(/^Invalid input `cluster`/);
    expect(() => clusterNameOf(value, 'cluster')).toThrow(problem);
  });

  it('a selector is told from a name by `=`, `!=`, ` in (`, ` notin (` or a leading `!`', () => {
    for (const value of ['env=prod', 'env!=dev', 'env in (a)', 'env notin (a)', '!canary', 'a=b,c']) {
      expect(isSelector(value), value).toBe(true);
    }
    for (const value of ['cluster1', 'hub', 'default', '*', 'env'])
      expect(isSelector(value), value).toBe(false);
  });

  it.each([
    ['env=prod,', /empty requirement/],
    ['env in (a', /parentheses do not match/],
    ['=prod', /is not a requirement/],
    [`env=${'v'.repeat(64)}`, /is not a valid value/],
    ['env=prod\u0000', /control or invisible/],
  ])('the selector %j does not parse: bad input naming the field', (value, problem) => {
    expect(() => selectorOf(value, 'cluster')).toThrow(/^Invalid input `cluster`: not a label selector: /);
    expect(() => selectorOf(value, 'cluster')).toThrow(problem);
  });
});

describe("a ManagedCluster's client config URL", () => {
  const managed = (url: unknown) => ({ spec: { managedClusterClientConfigs: [{ url }] } });

  it('is taken when it is a plain https URL', () => {
    expect(clientUrl('c1', managed('https://api.c1.example.com:6443'))).toBe(
      'https://api.c1.example.com:6443',
    );
  });

  it.each([
    ['http://api.c1.example.com:6443', /not a plain https:\/\/ URL/],
    ['https://user:pass@api.c1.example.com', /not a plain https:\/\/ URL/],
    ['file:///etc/passwd', /not a plain https:\/\/ URL/],
    ['javascript:alert(1)', /not a plain https:\/\/ URL/],
    ['not a url', /not a plain https:\/\/ URL/],
  ])('%j is refused at step 1 (cluster), before any token is read', (url, problem) => {
    expect(() => clientUrl('c1', managed(url))).toThrow(
      /^connect_cluster c1: step 1\/6 \(cluster\) failed: /,
    );
    expect(() => clientUrl('c1', managed(url))).toThrow(problem);
  });

  it('is required', () => {
    expect(() => clientUrl('c1', { spec: {} })).toThrow(/has no client config URL/);
    expect(() => clientUrl('c1', managed(''))).toThrow(/has no client config URL/);
  });
});

describe('the kubeconfig built for a managed cluster (step 6)', () => {
  it('holds the URL and the CA and no credential: the token comes from the hub per request', () => {
    const doc = managedKubeconfig('c1', 'https://api.c1.example.com:6443', CA_PEM);
    expect(doc).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c1',
          cluster: { server: 'https://api.c1.example.com:6443', 'certificate-authority-data': b64(CA_PEM) },
        },
      ],
      users: [{ name: 'c1-service-account', user: {} }],
      contexts: [{ name: 'c1', context: { cluster: 'c1', user: 'c1-service-account' } }],
      'current-context': 'c1',
    });
  });

  it.each([
    [
      'a CA that is not PEM',
      'https://api.c1.example.com',
      'not a certificate',
      /certificate-authority-data is not base64 of PEM/,
    ],
    [
      'a private key for a CA',
      'https://api.c1.example.com',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
      /not base64 of PEM certificates/,
    ],
    ['a URL with a query', 'https://api.c1.example.com/?x=1', CA_PEM, /must be a plain URL/],
  ])('refuses %s, naming step 6 and the field, never the value', (_what, server, ca, problem) => {
    expect(() => managedKubeconfig('c1', server, ca)).toThrow(
      /^connect_cluster c1: step 6\/6 \(kubeconfig\) failed: /,
    );
    expect(() => managedKubeconfig('c1', server, ca)).toThrow(problem);
  });
});

describe('the token Secret', () => {
  const secret = (data: Record<string, string>) => ({ data });

  it('gives its token and CA', () => {
    expect(tokenSecretData(secret({ token: b64('eyJhbGciOi.abc.def'), 'ca.crt': b64(CA_PEM) }))).toEqual({
      token: 'eyJhbGciOi.abc.def',
      caPem: CA_PEM,
    });
  });

  it.each([
    ['no token', { 'ca.crt': b64(CA_PEM) }],
    ['no CA', { token: b64('tok') }],
    [
      'a token with a line break (a second header)',
      { token: b64('tok\r\nX-Evil: 1'), 'ca.crt': b64(CA_PEM) },
    ],
    ['a token with a space', { token: b64('Bearer tok'), 'ca.crt': b64(CA_PEM) }],
    ['a CA that is no certificate', { token: b64('tok'), 'ca.crt': b64('hello') }],
  ])('is not usable with %s', (_what, data) => {
    expect(tokenSecretData(secret(data))).toBeUndefined();
  });
});
