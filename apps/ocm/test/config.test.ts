import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createLogger } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import { ocmConfigSchema } from '../src/config.js';
import { createDeps, roleSettings } from '../src/deps.js';
import { loadHubKubeconfig } from '../src/hub.js';
import { HUB } from '../src/targets.js';

// Start-up: the hub's kubeconfig is the only input, and the roles a model may ask for are the operator's.

const logger = createLogger({ name: 'test', level: 'error', write: () => {} });
const tempDir = () => mkdtempSync(join(tmpdir(), 'ocm-config-'));

const TWO_CONTEXTS = `apiVersion: v1
kind: Config
current-context: hub-admin
clusters:
- name: hub
  cluster: {server: "https://hub.example.com:6443"}
- name: other
  cluster: {server: "https://other.example.com:6443"}
users:
- name: admin
  user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/hub-token}}
- name: other
  user: {token: other-token-0123456789}
contexts:
- name: hub-admin
  context: {cluster: hub, user: admin}
- name: elsewhere
  context: {cluster: other, user: other}
`;

function kubeconfigFile(text = TWO_CONTEXTS): string {
  const dir = tempDir();
  const path = join(dir, 'config');
  writeFileSync(path, text);
  return path;
}

describe('the hub kubeconfig', () => {
  it("keeps only the hub's context (current-context, or --context), its exec user as the operator wrote it", () => {
    const path = kubeconfigFile();
    const hub = loadHubKubeconfig(path, undefined);
    expect(hub.context).toBe('hub-admin');
    expect(hub.doc.contexts?.map((c) => c.name)).toEqual(['hub-admin']);
    expect(hub.doc.clusters?.map((c) => c.name)).toEqual(['hub']);
    expect(JSON.stringify(hub.doc)).not.toContain('other-token');
    // the operator's own file: its exec plugin stays, relative to the file
    const exec = hub.doc.users?.[0]?.user['exec'] as { command: string };
    expect(exec.command).toBe(join(path, '..', 'bin', 'hub-token'));
    expect(loadHubKubeconfig(path, 'elsewhere').doc.clusters?.map((c) => c.name)).toEqual(['other']);
  });

  it('refuses a missing kubeconfig, an unknown --context, and a kubeconfig that does not say which is the hub', () => {
    const home = tempDir();
    expect(() => loadHubKubeconfig(undefined, undefined, home)).toThrow(ConfigError);
    expect(() => loadHubKubeconfig(undefined, undefined, home)).toThrow(
      /no kubeconfig .*hub cluster's kubeconfig/,
    );
    expect(() => loadHubKubeconfig('/nope/config', undefined, home)).toThrow(/no such file: \/nope\/config/);
    expect(() => loadHubKubeconfig(kubeconfigFile(), 'zzz')).toThrow(
      /^--context \(OCM_HUB_CONTEXT\): no context "zzz" in the kubeconfig; contexts: hub-admin, elsewhere$/,
    );
    const noCurrent = kubeconfigFile(TWO_CONTEXTS.replace('current-context: hub-admin\n', ''));
    expect(() => loadHubKubeconfig(noCurrent, undefined)).toThrow(
      /no current-context .*hub-admin, elsewhere/,
    );
  });

  it('takes ~/.kube/config by default, and its only context when none is current', () => {
    const home = tempDir();
    mkdirSync(join(home, '.kube'));
    const one = TWO_CONTEXTS.replace('current-context: hub-admin\n', '').replace(
      /- name: elsewhere\n {2}context: \{cluster: other, user: other\}\n/,
      '',
    );
    writeFileSync(join(home, '.kube', 'config'), one);
    expect(loadHubKubeconfig(undefined, undefined, home).context).toBe('hub-admin');
  });

  it('createDeps makes the hub the default target, and nothing else a target yet', () => {
    const deps = createDeps(ocmConfigSchema.parse({ kubeconfig: kubeconfigFile() }), logger);
    expect(deps.kube.defaultTarget).toBe(HUB);
    expect(deps.kube.names()).toEqual([HUB]);
    expect(deps.kubeconfigs?.defaultTarget()).toBe(HUB);
    expect(deps.settings).toMatchObject({
      allowedRoles: ['view'],
      defaultRole: 'view',
      serviceAccount: 'cloudmcp-ocm',
      connectTimeoutMs: 120_000,
      tokenValidityHours: 24,
      readOnly: false,
    });
  });
});

describe('the roles a connection may bind', () => {
  it('are the operator allowlist; the default role must be on it', () => {
    expect(roleSettings({ allowedRoles: ['view', 'edit'], defaultRole: 'edit' }, false)).toEqual({
      allowedRoles: ['view', 'edit'],
      defaultRole: 'edit',
    });
    expect(() => roleSettings({ allowedRoles: ['view'], defaultRole: 'cluster-admin' }, false)).toThrow(
      /^--default-role \(OCM_DEFAULT_ROLE\) cluster-admin is not in --allowed-roles \(OCM_ALLOWED_ROLES\): view$/,
    );
  });

  it('are `view` alone under --read-only, which needs `view` allowed', () => {
    expect(
      roleSettings({ allowedRoles: ['view', 'cluster-admin'], defaultRole: 'cluster-admin' }, true),
    ).toEqual({
      allowedRoles: ['view'],
      defaultRole: 'view',
    });
    expect(() => roleSettings({ allowedRoles: ['acme-reader'], defaultRole: 'acme-reader' }, true)).toThrow(
      /--read-only connects .* with ClusterRole view only, and --allowed-roles .* does not list it \(acme-reader\)/,
    );
  });

  it.each([
    [{ allowedRoles: ['View'] }, /allowedRoles/],
    [{ allowedRoles: ['view; rm -rf /'] }, /allowedRoles/],
    [{ allowedRoles: [] }, /allowedRoles/],
    [{ defaultRole: 'cluster admin' }, /defaultRole/],
    [{ serviceAccount: 'Has_Upper' }, /serviceAccount/],
    [{ serviceAccount: 'a'.repeat(59) }, /serviceAccount/],
    [{ connectTimeout: 0 }, /connectTimeout/],
    [{ tokenValidity: 0.5 }, /tokenValidity/],
  ])('the schema refuses %j', (value, path) => {
    const result = ocmConfigSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues.map((i) => i.path))).toMatch(path);
  });

  it('keeps RBAC names with colons and dots', () => {
    const parsed = ocmConfigSchema.parse({
      allowedRoles: ['view', 'system:aggregate-to-view', 'acme.io:reader'],
    });
    expect(parsed.allowedRoles).toHaveLength(3);
  });
});
