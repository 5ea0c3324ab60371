import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import { kubernetesConfigSchema } from '../src/config.js';
import { createDeps, requestDeps } from '../src/deps.js';
import { base64, tempDir } from './harness.js';

const logger = createLogger({ name: 'test', level: 'error', write: () => {} });

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

describe('the server kubeconfig', () => {
  it('createDeps checks --context against the kubeconfig and anchors relative --cli-dirs', () => {
    const dir = tempDir();
    const path = file(dir, 'b.yaml', B);
    const config = kubernetesConfigSchema.parse({ kubeconfig: path, context: 'cross' });
    expect(createDeps(config, logger).kube.defaultTarget).toBe('cross');
    expect(() =>
      createDeps(kubernetesConfigSchema.parse({ kubeconfig: path, context: 'zzz' }), logger),
    ).toThrow(/^--context \(KUBE_CONTEXT\): no context "zzz" in the kubeconfig; contexts: a, b, cross$/);
  });
});

const INLINE = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://k.example.com"}}]
users: [{name: u, user: {token: secret-token-0123456789}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

describe('requestDeps', () => {
  const deps = createDeps(kubernetesConfigSchema.parse({ kubeconfig: file(tempDir(), 'a.yaml', A) }), logger);

  it('keeps the server deps without a header, and replaces the targets with one', async () => {
    expect(requestDeps(deps, new Headers({}))).toBe(deps);
    expect(requestDeps(deps, new Headers({ 'x-kubeconfig': '  ' }))).toBe(deps);
    const value = base64(INLINE);
    const one = requestDeps(deps, new Headers({ 'x-kubeconfig': value }));
    expect(one.kube.names()).toEqual(['x']);
    expect(one.kubeconfigs?.origin).toBe('header');
    expect(one.kubeconfigs?.untrusted).toBe(true);
    expect(one.kubeconfigs?.names()).toEqual(['x']);
    expect(one.cli).toBe(deps.cli);
    // the same header reuses the same targets (and their connections)
    expect(requestDeps(deps, new Headers({ 'x-kubeconfig': value })).kube).toBe(one.kube);
  });

  it('a rejected header fails every call with its reason', async () => {
    const bad = requestDeps(
      deps,
      // a header carries one line: the multi-line kubeconfig travels base64-encoded
      new Headers({
        'x-kubeconfig': base64(INLINE.replace('{token: secret-token-0123456789}', '{exec: {command: sh}}')),
      }),
    );
    expect(() => bad.kube.list()).toThrow(/X-Kubeconfig header of this request was rejected: .*exec/);
    // a fan-out asks for the names first: it must fail the same way, not find "no cluster"
    expect(() => bad.kube.names()).toThrow(/X-Kubeconfig header of this request was rejected/);
    expect(() => bad.kubeconfigs?.names()).toThrow(/X-Kubeconfig header of this request was rejected/);
    await expect(bad.kube.client()).rejects.toThrow(/X-Kubeconfig header of this request was rejected/);
  });
});
