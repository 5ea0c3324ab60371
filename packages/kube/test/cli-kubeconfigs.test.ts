import { describe, expect, it } from 'vitest';
import type { KubeconfigDocument } from '../src/targets.js';
import { documentKubeconfigs, singleContext } from '../src/tools/cli/kubeconfigs.js';

// Issue 7, class 7: a CLI command gets a kubeconfig holding only its target, so `--cluster`, `--user` and
// `--context` in a command have no other cluster or credentials to name.

const doc: KubeconfigDocument = {
  clusters: [
    { name: 'prod', cluster: { server: 'https://prod.example.com:6443' } },
    { name: 'dev', cluster: { server: 'https://dev.example.com:6443' } },
  ],
  users: [
    { name: 'admin', user: { token: 'prod-admin-token' } },
    { name: 'dev-user', user: { token: 'dev-token' } },
  ],
  contexts: [
    { name: 'prod', context: { cluster: 'prod', user: 'admin' } },
    { name: 'dev', context: { cluster: 'dev', user: 'dev-user', namespace: 'apps' } },
  ],
  'current-context': 'prod',
};

describe('singleContext', () => {
  it('keeps only the context, its cluster and its user, with it current', () => {
    expect(singleContext(doc, 'dev')).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'dev', cluster: { server: 'https://dev.example.com:6443' } }],
      users: [{ name: 'dev-user', user: { token: 'dev-token' } }],
      contexts: [{ name: 'dev', context: { cluster: 'dev', user: 'dev-user', namespace: 'apps' } }],
      'current-context': 'dev',
    });
    expect(JSON.stringify(singleContext(doc, 'dev'))).not.toContain('prod-admin-token');
  });

  it('is undefined for a context the document does not have', () => {
    expect(singleContext(doc, 'staging')).toBeUndefined();
  });
});

describe('documentKubeconfigs', () => {
  it("defaults to the server's choice over the document's current-context", async () => {
    const chosen = documentKubeconfigs(doc, { origin: 'server', untrusted: false, defaultTarget: 'dev' });
    expect(chosen.names()).toEqual(['prod', 'dev']);
    expect(chosen.defaultTarget()).toBe('dev');
    expect((await chosen.forTarget('dev'))?.['current-context']).toBe('dev');
    expect(await chosen.forTarget('nope')).toBeUndefined();
  });

  it('falls back to the current-context, then the first, and ignores a default it does not have', () => {
    const devCurrent = { ...doc, 'current-context': 'dev' };
    expect(documentKubeconfigs(devCurrent, { origin: 'server', untrusted: false }).defaultTarget()).toBe(
      'dev',
    );
    const unknown = documentKubeconfigs(doc, { origin: 'header', untrusted: true, defaultTarget: 'x' });
    expect(unknown.defaultTarget()).toBe('prod');
    const noCurrent = documentKubeconfigs(
      { ...doc, 'current-context': 'gone' },
      {
        origin: 'argument',
        untrusted: true,
      },
    );
    expect(noCurrent.defaultTarget()).toBe('prod');
    expect(noCurrent.origin).toBe('argument');
    expect(noCurrent.untrusted).toBe(true);
  });
});
