import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkContext, contextNames, loadUserKubeconfig } from '../src/index.js';

// The operator's own kubeconfig, read as kubectl reads it (the Kubernetes and OCM servers load theirs so).

const tempDir = () => mkdtempSync(join(tmpdir(), 'user-kubeconfig-'));

function file(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const A = `
apiVersion: v1
kind: Config
current-context: a
clusters:
- name: shared
  cluster: {server: https://a.example.com, certificate-authority: certs/ca.pem}
users:
- name: alice
  user: {client-certificate: alice.crt, client-key: /abs/alice.key, exec: {command: ./bin/get-token, apiVersion: v1}}
contexts:
- name: a
  context: {cluster: shared, user: alice, namespace: apps}
`;
const B = `
apiVersion: v1
kind: Config
current-context: b
clusters:
- name: shared
  cluster: {server: https://b-would-lose.example.com}
- name: other
  cluster: {server: https://b.example.com}
users:
- name: bob
  user: {token: bob-token-0123456789, tokenFile: ../tok}
contexts:
- name: a
  context: {cluster: other, user: bob}
- name: b
  context: {cluster: other, user: bob}
- name: cross
  context: {cluster: shared, user: bob}
`;

describe('the user kubeconfig', () => {
  it('merges KUBECONFIG files like kubectl: first name wins, first current-context wins, relative paths resolved', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    const a = file(dir, 'a.yaml', A);
    const b = file(join(dir, 'sub'), 'b.yaml', B);
    const user = loadUserKubeconfig([a, join(dir, 'missing.yaml'), b].join(delimiter));
    expect(user.files).toEqual([a, b]);
    expect(user.missing).toEqual([join(dir, 'missing.yaml')]);
    const doc = user.doc!;
    expect(contextNames(doc)).toEqual(['a', 'b', 'cross']);
    expect(doc['current-context']).toBe('a');
    expect(doc.contexts!.find((c) => c.name === 'a')!.context.cluster).toBe('shared');
    const shared = doc.clusters!.find((c) => c.name === 'shared')!.cluster;
    expect(shared).toEqual({
      server: 'https://a.example.com',
      'certificate-authority': join(dir, 'certs/ca.pem'),
    });
    const alice = doc.users!.find((u) => u.name === 'alice')!.user;
    expect(alice['client-certificate']).toBe(join(dir, 'alice.crt'));
    expect(alice['client-key']).toBe('/abs/alice.key');
    expect((alice['exec'] as { command: string }).command).toBe(join(dir, 'bin/get-token'));
    expect(doc.users!.find((u) => u.name === 'bob')!.user['tokenFile']).toBe(join(dir, 'tok'));
  });

  it('defaults to ~/.kube/config, and its absence is not an error; a listed file that is missing is', () => {
    const home = tempDir();
    expect(loadUserKubeconfig(undefined, home)).toEqual({
      doc: undefined,
      files: [],
      missing: [join(home, '.kube', 'config')],
    });
    mkdirSync(join(home, '.kube'));
    file(join(home, '.kube'), 'config', A);
    expect(contextNames(loadUserKubeconfig(undefined, home).doc!)).toEqual(['a']);
    expect(contextNames(loadUserKubeconfig('~/.kube/config', home).doc!)).toEqual(['a']);
    expect(() => loadUserKubeconfig('/nope/config', home)).toThrow(
      /^--kubeconfig \(KUBECONFIG\): no such file: \/nope\/config$/,
    );
    const bad = file(home, 'bad.yaml', 'clusters: [unclosed\n');
    expect(() => loadUserKubeconfig(bad, home)).toThrow(/bad\.yaml is not valid YAML/);
    const list = file(home, 'list.yaml', '- a\n- b\n');
    expect(() => loadUserKubeconfig(list, home)).toThrow(/list\.yaml is not a kubeconfig/);
  });

  it('checkContext names the option and the contexts there are', () => {
    const doc = loadUserKubeconfig(file(tempDir(), 'b.yaml', B)).doc;
    expect(() => checkContext(doc, 'cross', '--context (KUBE_CONTEXT)')).not.toThrow();
    expect(() => checkContext(doc, 'zzz', '--context (OCM_HUB_CONTEXT)')).toThrow(
      /^--context \(OCM_HUB_CONTEXT\): no context "zzz" in the kubeconfig; contexts: a, b, cross$/,
    );
    expect(() => checkContext(undefined, 'a', '--context')).toThrow(
      /^--context: no context "a" in the kubeconfig$/,
    );
  });
});
