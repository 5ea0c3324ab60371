import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBin } from 'mcp-test-kit';
import { describe, expect, it } from 'vitest';
import { CLI, tempDir } from './harness.js';

function cli(args: string[], env: Record<string, string> = {}) {
  return runBin(CLI, args, { HOME: tempDir('k8s-cli-home-'), ...env });
}

/** A kubeconfig with `n` contexts on addresses nothing listens on (nothing may be contacted). */
function kubeconfig(n: number): string {
  const names = Array.from({ length: n }, (_, i) => `ctx-${i + 1}`);
  const path = join(tempDir('k8s-cli-'), 'config');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${names[0]}`,
      'clusters:',
      ...names.map((c) => `- name: ${c}\n  cluster: {server: "https://127.0.0.1:9"}`),
      'users:',
      '- name: u\n  user: {token: cli-test-token-0123456789}',
      'contexts:',
      ...names.map((c) => `- name: ${c}\n  context: {cluster: ${c}, user: u}`),
      '',
    ].join('\n'),
  );
  return path;
}

const names = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/)[0]);

describe('kubernetes-mcp command line', () => {
  it('--help tells every option with its environment variable, --version the version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const env of [
      'KUBECONFIG',
      'KUBERNETES_IN_CLUSTER',
      'KUBE_CONTEXT',
      'KUBE_REQUEST_TIMEOUT',
      'KUBECTL_PATH',
      'HELM_PATH',
      'ISTIOCTL_PATH',
      'ARGOCD_PATH',
      'CLOUDMCP_CLI_DIRS',
      'CLOUDMCP_CLI_TIMEOUT',
      'CLOUDMCP_CLI_LOCAL_FILES',
      'ARGOCD_SERVER',
      'ARGOCD_AUTH_TOKEN',
    ]) {
      expect(help.stdout).toContain(`env ${env}`);
    }
    expect(help.stdout).toMatch(
      /--kubeconfig FILE\[:FILE…\]\s+Kubeconfig file\(s\).*default ~\/\.kube\/config/,
    );
    expect(help.stdout).toMatch(/--argocd-auth-token STRING .*prefer the env/);
    expect(help.stdout).toMatch(/Tools: 32 in toolsets core, workloads, diagnostics, access, cli\./);
    expect((await cli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [
      ['--kubeconfig', '/nonexistent/config'],
      {},
      /^kubernetes-mcp: --kubeconfig \(KUBECONFIG\): no such file: \/nonexistent\/config$/,
    ],
    [
      [],
      { KUBECONFIG: '/nope/a:/nope/b' },
      /^kubernetes-mcp: --kubeconfig \(KUBECONFIG\): no such file: \/nope\/a, \/nope\/b$/,
    ],
    [
      ['--context', 'prod'],
      'one',
      /^kubernetes-mcp: --context \(KUBE_CONTEXT\): no context "prod" in the kubeconfig; contexts: ctx-1$/,
    ],
    [['--cli-timeout', 'soon'], 'one', /CLOUDMCP_CLI_TIMEOUT|--cli-timeout.*expected a number, got "soon"/],
    [['--request-timeout', '0'], 'one', /--request-timeout \(KUBE_REQUEST_TIMEOUT\)/],
    [['--frobnicate'], 'one', /Unknown option '--frobnicate'/],
    [
      ['--in-cluster'],
      {},
      /^kubernetes-mcp: --in-cluster \(KUBERNETES_IN_CLUSTER\): not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set$/,
    ],
    [
      [],
      { KUBERNETES_IN_CLUSTER: '1', KUBECONFIG: '/home/me/.kube/config' },
      /^kubernetes-mcp: --in-cluster \(KUBERNETES_IN_CLUSTER\) and --kubeconfig \(KUBECONFIG\) exclude each other: /,
    ],
  ])('a bad configuration %j exits 2 with one line', async (args, env, message) => {
    const vars = env === 'one' ? { KUBECONFIG: kubeconfig(1) } : (env as Record<string, string>);
    const result = await cli(args, vars);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr).not.toContain('cli-test-token');
  });

  it('a kubeconfig that is not YAML is named, its content is not shown', async () => {
    const path = join(tempDir('k8s-cli-'), 'config');
    writeFileSync(path, 'users: [{name: u, user: {token: secret-in-broken-file-123}\n');
    // (--list-tools reads no kubeconfig: it prints the tools of the default shape)
    const result = await cli([], { KUBECONFIG: path });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^kubernetes-mcp: --kubeconfig \(KUBECONFIG\): \S+config is not valid YAML: /,
    );
    expect(result.stderr).not.toContain('secret-in-broken-file');
  });

  it('--list-tools follows the kubeconfig and the policy flags', async () => {
    const all = await cli(['--list-tools'], { KUBECONFIG: kubeconfig(2) });
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^pod_delete\s+workloads\s+destructive\s+Delete a pod$/m);
    expect(all.stdout).toMatch(/^kubectl\s+cli\s+destructive\s+Run kubectl$/m);
    const readOnly = await cli(['--list-tools', '--read-only'], { KUBECONFIG: kubeconfig(2) });
    expect(readOnly.stdout).not.toMatch(/\s(write|destructive)\s/);
    expect(readOnly.stdout).toMatch(/^kubectl\s+cli\s+read\s+Run kubectl$/m);
    expect(readOnly.stdout).toMatch(/^argocd\s+cli\s+read\s+Run argocd$/m);
    const cliOnly = await cli(['--list-tools', '--toolsets', 'cli'], { KUBECONFIG: kubeconfig(1) });
    expect(names(cliOnly.stdout)).toEqual(['kubectl', 'helm', 'istioctl', 'argocd']);
    // with deleting commands refused, the CLI tools are kept and honestly not destructive
    const cliSafe = await cli(['--list-tools', '--toolsets', 'cli', '--disable-destructive'], {
      KUBECONFIG: kubeconfig(1),
    });
    expect(cliSafe.stdout).toMatch(/^kubectl\s+cli\s+write\s+Run kubectl$/m);
    expect(names(cliSafe.stdout)).toEqual(['kubectl', 'helm', 'istioctl', 'argocd']);
    const noDestructive = await cli(['--list-tools', '--disable-destructive', '--toolsets', 'core'], {
      KUBECONFIG: kubeconfig(1),
    });
    expect(names(noDestructive.stdout)).toEqual([
      'context_list',
      'namespace_list',
      'api_resource_list',
      'resource_list',
      'resource_get',
      'resource_apply',
      'event_list',
      'node_list',
    ]);
  });

  it('starts without a kubeconfig and without touching the network', async () => {
    // --list-tools builds everything but serves nothing; the e2e tests show the server starts offline too
    const result = await cli(['--list-tools', '--toolsets', 'access']);
    expect(result.code).toBe(0);
    expect(names(result.stdout)).toEqual(['can_i', 'who_can']);
  });
});
