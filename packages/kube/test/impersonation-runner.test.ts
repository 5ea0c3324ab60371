import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actingAs, type Impersonation } from '../src/impersonation.js';
import { CliRefused, type CliTool, type RunCliOptions, runCli, tokenize } from '../src/runner/index.js';

// the runner tests' stand-in CLI: prints what it was given (argv …) as JSON
const FAKE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'runner', 'fake-cli.cjs');
const KUBECONFIG = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': 'sim',
  clusters: [{ name: 'sim', cluster: { server: 'https://127.0.0.1:1' } }],
  users: [{ name: 'u', user: { token: 'kube-sim-token-0123456789abcdef' } }],
  contexts: [{ name: 'sim', context: { cluster: 'sim', user: 'u' } }],
});
const ALICE: Impersonation = { user: 'oidc:alice', groups: ['oidc:dev', 'oidc:ops'] };

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'impersonation-runner-'));
  mkdirSync(join(root, 'bin'));
  for (const tool of ['kubectl', 'helm', 'istioctl', 'argocd']) {
    copyFileSync(FAKE, join(root, 'bin', tool));
    chmodSync(join(root, 'bin', tool), 0o755);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function options(tool: CliTool, command: string, extra: Partial<RunCliOptions> = {}): RunCliOptions {
  return {
    tool,
    args: tokenize(command, tool),
    readOnly: false,
    binaryPath: join(root, 'bin', tool),
    tempRoot: root,
    kubeconfig: KUBECONFIG,
    timeoutMs: 15_000,
    ...extra,
  };
}

async function argvOf(tool: CliTool, command: string, extra: Partial<RunCliOptions> = {}) {
  const result = await actingAs(ALICE, () => runCli(options(tool, command, extra)));
  return (JSON.parse(result.stdout) as { argv: string[] }).argv;
}

describe('the runner inside a call that acts as its caller', () => {
  it('puts kubectl --as and one --as-group per group before the command', async () => {
    const argv = await argvOf('kubectl', 'get pods');
    expect(argv.slice(0, 3)).toEqual(['--as=oidc:alice', '--as-group=oidc:dev', '--as-group=oidc:ops']);
    expect(argv.slice(-2)).toEqual(['get', 'pods']);
  });

  it('gives helm --kube-as-user and --kube-as-group', async () => {
    const argv = await argvOf('helm', 'list');
    expect(argv.slice(0, 3)).toEqual([
      '--kube-as-user=oidc:alice',
      '--kube-as-group=oidc:dev',
      '--kube-as-group=oidc:ops',
    ]);
  });

  it('gives argocd in --core mode --as and --as-group', async () => {
    const argv = await argvOf('argocd', 'app list', { env: {} });
    expect(argv).toContain('--core');
    expect(argv.slice(0, 3)).toEqual(['--as=oidc:alice', '--as-group=oidc:dev', '--as-group=oidc:ops']);
  });

  it('refuses argocd against an Argo CD server, and istioctl, saying why', async () => {
    const argocd = actingAs(ALICE, () =>
      runCli(options('argocd', 'app list', { env: { ARGOCD_SERVER: 'argocd.example:443' } })),
    );
    await expect(argocd).rejects.toThrow(/acts as its caller.*operator’s token/);
    const istioctl = actingAs(ALICE, () => runCli(options('istioctl', 'version --remote=false')));
    await expect(istioctl).rejects.toBeInstanceOf(CliRefused);
    await expect(istioctl).rejects.toThrow(/istioctl has no option to act as another user/);
  });

  it('refuses a kubeconfig user that impersonates by itself (its as-groups would be kept)', async () => {
    const kubeconfig = KUBECONFIG.replace('"token"', '"as-groups":["admins"],"token"');
    const run = actingAs(ALICE, () => runCli(options('kubectl', 'get pods', { kubeconfig })));
    await expect(run).rejects.toThrow(/already impersonates someone/);
  });

  it("still refuses the model's own --as, --as-group and helm --kube-as-user", async () => {
    for (const [tool, command] of [
      ['kubectl', 'get pods --as=oidc:admin'],
      ['kubectl', 'get pods --as-group system:masters'],
      ['helm', 'list --kube-as-user admin'],
      ['helm', 'list --kube-as-group=system:masters'],
    ] as const) {
      const run = actingAs(ALICE, () => runCli(options(tool, command)));
      await expect(run, command).rejects.toThrow(/impersonates another/);
    }
  });

  it('adds nothing outside such a call', async () => {
    const result = await runCli(options('kubectl', 'get pods'));
    const argv = (JSON.parse(result.stdout) as { argv: string[] }).argv;
    expect(argv.some((a) => a.startsWith('--as'))).toBe(false);
  });
});
