import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CliAborted,
  CliNotFound,
  CliRefused,
  CliStartError,
  type CliTool,
  detectClis,
  type RunCliOptions,
  runCli,
  tokenize,
  which,
} from '../src/runner/index.js';
import { alive, waitFor } from './fixtures/runner/wait.js';

const FAKE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'runner', 'fake-cli.cjs');
const REAL_KUBECTL = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.bin-cache', 'kubectl');

const TOKEN = 'kube-sim-token-0123456789abcdef';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://127.0.0.1:1
    insecure-skip-tls-verify: true
  name: sim
contexts:
- context:
    cluster: sim
    user: admin
    namespace: team-a
  name: sim-admin
current-context: sim-admin
users:
- name: admin
  user:
    token: ${TOKEN}
`;

interface SeenFile {
  path: string;
  mode: number;
  nlink: number;
  dirMode: number;
  bytes: number;
  sha256: string;
  sameOnReread: boolean;
  /** What /dev/fd/N points at. */
  target: string | null;
}

interface Report {
  tool: string;
  argv: string[];
  pid: number;
  cwd: string;
  envNames: string[];
  env: Record<string, string | undefined>;
  kubeconfig: SeenFile | null;
  kubeconfigFlag: SeenFile | null;
  home: Array<{ path: string; dir: boolean; mode: number }> | null;
  grandchild: number | null;
}

let root: string;
let binDir: string;
let tempRoot: string;
let reportPath: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'runner-test-'));
  binDir = join(root, 'bin');
  mkdirSync(binDir);
  for (const tool of ['kubectl', 'helm', 'istioctl', 'argocd']) {
    copyFileSync(FAKE, join(binDir, tool));
    chmodSync(join(binDir, tool), 0o755);
  }
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  tempRoot = mkdtempSync(join(root, 'calls-'));
  reportPath = join(root, `report-${Math.random().toString(36).slice(2)}.json`);
});

function options(tool: CliTool, command: string, extra: Partial<RunCliOptions> = {}): RunCliOptions {
  return {
    tool,
    args: tokenize(command, tool),
    readOnly: false,
    binaryPath: join(binDir, tool),
    tempRoot,
    timeoutMs: 15_000,
    maxOutputBytes: 1024 * 1024,
    ...extra,
    env: { FAKE_REPORT: reportPath, ...extra.env },
  };
}

function report(): Report {
  return JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
}

/**
 * Runs a call whose timeout must fire, holding the runner's clock until the fake CLI is up and has written
 * its output; then moves it on by each of `advanceMs` in turn (the timeout, then the kill grace). A loaded
 * machine may take longer than the timeout to start a process; this way the test does not depend on it.
 */
async function runPastTimeout(
  opts: RunCliOptions,
  ...advanceMs: number[]
): Promise<Awaited<ReturnType<typeof runCli>>> {
  const readyPath = `${reportPath}.ready`;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const call = runCli({ ...opts, env: { ...opts.env, FAKE_READY: readyPath } });
    await waitFor(() => existsSync(readyPath), 30_000);
    for (const ms of advanceMs) vi.advanceTimersByTime(ms);
    return await call;
  } finally {
    vi.useRealTimers();
  }
}

const USER_ROOT = `cloudmcp-${process.getuid?.()}`;

/** Nothing of any call is left under the runner's temp root: only the user's root and this process's dir. */
function expectNoLeftovers(): void {
  const left = (readdirSync(tempRoot, { recursive: true }) as string[]).filter(
    (path) => path !== USER_ROOT && !new RegExp(`^${USER_ROOT}/${process.pid}-\\d+$`).test(path),
  );
  expect(left).toEqual([]);
}

/** The call's directory, from where the child's kubeconfig descriptor points: `<dir>/kubeconfig (deleted)`. */
function callDirOf(seen: SeenFile): string {
  expect(seen.target).toMatch(/\/kubeconfig \(deleted\)$/);
  return dirname(seen.target!);
}

describe('the per-call kubeconfig', () => {
  it('is an unlinked 0600 file on the child’s fd 3 (KUBECONFIG=/dev/fd/3), readable twice, named nowhere', async () => {
    const result = await runCli(options('kubectl', 'kubectl get pods', { kubeconfig: KUBECONFIG }));
    expect(result.exitCode).toBe(0);
    const seen = report();
    expect(seen.kubeconfig).toMatchObject({
      path: '/dev/fd/3',
      mode: 0o600,
      nlink: 0,
      bytes: Buffer.byteLength(KUBECONFIG),
      sameOnReread: true,
    });
    expect(seen.kubeconfig!.sha256).toBe(createHash('sha256').update(KUBECONFIG).digest('hex'));
    const dir = callDirOf(seen.kubeconfig!);
    // <tempRoot>/cloudmcp-<uid>/<pid>-<start>/cloudmcp-kube-XXXXXX
    expect(dirname(dirname(dir))).toBe(join(tempRoot, USER_ROOT));
    expect(basename(dirname(dir))).toMatch(new RegExp(`^${process.pid}-\\d+$`));
    expect(basename(dir)).toMatch(/^cloudmcp-kube-/);
    expect(seen.env['KUBECONFIG']).toBe('/dev/fd/3');
    expect(seen.home!.map((e) => e.path)).not.toContain('kubeconfig');
    // the call's directory is the child's home, temp dir, XDG base and working directory
    expect(seen.env['HOME']).toBe(dir);
    expect(seen.env['TMPDIR']).toBe(join(dir, 'tmp'));
    expect(seen.env['XDG_CONFIG_HOME']).toBe(join(dir, '.config'));
    expect(seen.env['KUBECTL_KUBERC']).toBe('false');
    expect(seen.cwd).toBe(dir);
    expect(seen.argv).toEqual(['get', 'pods']);
    expect(existsSync(dir)).toBe(false);
    expectNoLeftovers();
  });

  it('is removed after a non-zero exit, and the exit code and stderr come back', async () => {
    const result = await runCli(
      options('kubectl', 'get pod missing', {
        kubeconfig: KUBECONFIG,
        env: { FAKE_EXIT: '3', FAKE_STDERR: 'Error from server (NotFound): pods "missing" not found\n' },
      }),
    );
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeNull();
    expect(result.timedOut).toBe(false);
    expect(result.stderr).toBe('Error from server (NotFound): pods "missing" not found\n');
    expect(existsSync(callDirOf(report().kubeconfig!))).toBe(false);
    expectNoLeftovers();
  });

  it('is removed after a timeout, which stops the whole process group', async () => {
    const result = await runPastTimeout(
      options('kubectl', 'get pods -w', {
        kubeconfig: KUBECONFIG,
        timeoutMs: 400,
        env: { FAKE_SLEEP_MS: '30000', FAKE_GRANDCHILD: '1', FAKE_STDOUT: 'NAME   READY\nweb-1  1/1\n' },
      }),
      400,
    );
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    expect(result.stdout).toBe('NAME   READY\nweb-1  1/1\n');
    expect(result.stderr).toMatch(/\[kubectl was stopped after 400 ms: the timeout\./);
    const seen = report();
    expect(existsSync(callDirOf(seen.kubeconfig!))).toBe(false);
    expectNoLeftovers();
    expect(alive(seen.pid)).toBe(false);
    await waitFor(() => !alive(seen.grandchild!));
  });

  it('sends SIGKILL when the process ignores SIGTERM', async () => {
    const result = await runPastTimeout(
      options('kubectl', 'get pods -w', {
        kubeconfig: KUBECONFIG,
        timeoutMs: 300,
        killGraceMs: 300,
        env: { FAKE_SLEEP_MS: '30000', FAKE_IGNORE_TERM: '1' },
      }),
      300,
      300,
    );
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(alive(report().pid)).toBe(false);
    expectNoLeftovers();
  });

  it('leaves no process of the group behind after a timeout, even one that ignores SIGTERM', async () => {
    const result = await runPastTimeout(
      options('kubectl', 'get pods -w', {
        timeoutMs: 300,
        killGraceMs: 10_000,
        env: { FAKE_SLEEP_MS: '30000', FAKE_GRANDCHILD: 'ignore-term' },
      }),
      300, // the timeout only: the clock never reaches the kill grace, so the group went without it
    );
    expect(result.timedOut).toBe(true);
    const seen = report();
    await waitFor(() => !alive(seen.grandchild!), 2_000);
    expectNoLeftovers();
  });

  it('is removed after an abort, which stops the process and throws CliAborted', async () => {
    const controller = new AbortController();
    const call = runCli(
      options('kubectl', 'logs -f web-1', {
        kubeconfig: KUBECONFIG,
        signal: controller.signal,
        env: { FAKE_SLEEP_MS: '30000' },
      }),
    );
    await waitFor(() => existsSync(reportPath));
    const seen = report();
    const dir = callDirOf(seen.kubeconfig!);
    expect(readdirSync(dir)).not.toContain('kubeconfig');
    expect(existsSync(dir)).toBe(true);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(CliAborted);
    expect(existsSync(dir)).toBe(false);
    expectNoLeftovers();
    expect(alive(seen.pid)).toBe(false);
  });

  it('is never written when the call is aborted before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runCli(options('kubectl', 'get pods', { kubeconfig: KUBECONFIG, signal: controller.signal })),
    ).rejects.toBeInstanceOf(CliAborted);
    expect(existsSync(reportPath)).toBe(false);
    expectNoLeftovers();
  });

  it('is removed when the binary cannot be started', async () => {
    const broken = join(root, 'broken-kubectl');
    writeFileSync(broken, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const error = await runCli(
      options('kubectl', 'get pods', { kubeconfig: KUBECONFIG, binaryPath: broken }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliStartError);
    expect((error as CliStartError).message).toContain(broken);
    expect((error as CliStartError).code).toBe('ENOENT');
    expectNoLeftovers();
  });

  it('is given to istioctl with --kubeconfig too, shown as <kubeconfig> in the result', async () => {
    const result = await runCli(options('istioctl', 'proxy-status', { kubeconfig: KUBECONFIG }));
    const seen = report();
    expect(seen.kubeconfigFlag).toMatchObject({ path: '/dev/fd/3', mode: 0o600, nlink: 0 });
    expect(seen.kubeconfigFlag!.sha256).toBe(createHash('sha256').update(KUBECONFIG).digest('hex'));
    expect(seen.kubeconfig!.path).toBe('/dev/fd/3');
    expect(result.argv).toEqual(['--kubeconfig=<kubeconfig>', 'proxy-status']);
    expectNoLeftovers();
  });

  it('is absent when the caller gives none', async () => {
    await runCli(options('kubectl', 'version --client'));
    expect(report().kubeconfig).toBeNull();
    expect(report().envNames).not.toContain('KUBECONFIG');
    expectNoLeftovers();
  });
});

describe('the child environment', () => {
  const planted = {
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    GITHUB_TOKEN: 'ghp_0123456789abcdef',
    CLDKCTL_TOKEN: 'cldkctl_abcdef0123456789',
    KUBECONFIG: '/root/.kube/admin.conf',
    KUBERNETES_SERVICE_HOST: '10.0.0.1',
    ARGOCD_AUTH_TOKEN: 'argo-token',
    HELM_PLUGINS: '/root/helm-plugins',
  };
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const [name, value] of Object.entries(planted)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('gets none of the parent’s credentials or its KUBECONFIG', async () => {
    await runCli(options('kubectl', 'get pods', { kubeconfig: KUBECONFIG }));
    const seen = report();
    for (const name of Object.keys(planted)) {
      if (name === 'KUBECONFIG') continue;
      expect(seen.envNames).not.toContain(name);
    }
    expect(seen.env['KUBECONFIG']).toBe('/dev/fd/3');
    expect(seen.envNames).toContain('PATH');
    expect(seen.envNames).toContain('HOME');
  });

  it('gets no KUBECONFIG at all without a kubeconfig, and the caller’s explicit variables', async () => {
    await runCli(options('helm', 'list', { env: { EXTRA: 'yes' } }));
    const seen = report();
    expect(seen.envNames).not.toContain('KUBECONFIG');
    expect(seen.env['EXTRA']).toBe('yes');
    expect(seen.envNames.filter((n) => /TOKEN|SECRET|AWS_/.test(n))).toEqual([]);
  });
});

describe('arguments', () => {
  it('adds -n NAMESPACE when the command has none', async () => {
    const result = await runCli(options('kubectl', 'get pods', { namespace: 'team-b' }));
    expect(report().argv).toEqual(['-n', 'team-b', 'get', 'pods']);
    expect(result.argv).toEqual(['-n', 'team-b', 'get', 'pods']);
    expect(result.verb).toBe('get');
    expect(result.access).toBe('read');
  });

  it('keeps the command’s own namespace, or all of them', async () => {
    await runCli(options('kubectl', 'get pods -n team-c', { namespace: 'team-b' }));
    expect(report().argv).toEqual(['get', 'pods', '-n', 'team-c']);
    await runCli(options('helm', 'list -A', { namespace: 'team-b' }));
    expect(report().argv).toEqual(['list', '-A']);
  });

  it('runs argocd in --core mode and gives it no -n', async () => {
    await runCli(options('argocd', 'app list', { kubeconfig: KUBECONFIG, namespace: 'argocd' }));
    expect(report().argv).toEqual(['--core', 'app', 'list']);
    expect(report().kubeconfig).toMatchObject({ mode: 0o600 });
    await runCli(options('argocd', 'app list', { env: { ARGOCD_SERVER: 'cd.example.com' } }));
    expect(report().argv).toEqual(['app', 'list']);
  });

  it('refuses a namespace that is not a DNS label', async () => {
    const error = await runCli(options('kubectl', 'get pods', { namespace: '--token=x' })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliRefused);
    expect((error as CliRefused).kind).toBe('input');
    expect(existsSync(reportPath)).toBe(false);
  });

  it('writes stdin when given (kubectl apply -f -)', async () => {
    const result = await runCli(
      options('kubectl', 'apply -f -', {
        stdin: 'apiVersion: v1\nkind: Namespace\n',
        env: { FAKE_ECHO_STDIN: '1' },
      }),
    );
    expect(result.stdout).toBe('apiVersion: v1\nkind: Namespace\n');
  });
});

describe('the policy is enforced before anything runs', () => {
  it('refuses exec without writing or starting anything', async () => {
    const error = await runCli(options('kubectl', 'exec -it web-1 -- sh', { kubeconfig: KUBECONFIG })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliRefused);
    expect((error as CliRefused).kind).toBe('verb');
    expect(existsSync(reportPath)).toBe(false);
    expectNoLeftovers();
  });

  it('refuses writes in read-only mode and allows reads', async () => {
    const error = await runCli(options('helm', 'uninstall web', { readOnly: true })).catch((e: unknown) => e);
    expect((error as CliRefused).kind).toBe('read-only');
    expect(existsSync(reportPath)).toBe(false);
    const result = await runCli(options('helm', 'status web', { readOnly: true }));
    expect(result.exitCode).toBe(0);
  });

  it('refuses a credential flag', async () => {
    const error = await runCli(options('kubectl', 'get pods --token=abc', { kubeconfig: KUBECONFIG })).catch(
      (e: unknown) => e,
    );
    expect((error as CliRefused).kind).toBe('flag');
    expect(existsSync(reportPath)).toBe(false);
  });
});

describe('output', () => {
  it('is cut at maxOutputBytes per stream with a note saying so', async () => {
    const result = await runCli(
      options('kubectl', 'get pods -o yaml', {
        maxOutputBytes: 10_000,
        env: { FAKE_STDOUT_BYTES: '250000', FAKE_STDERR: 'warning: small\n' },
      }),
    );
    expect(result.truncated).toEqual({ stdout: true, stderr: false });
    const [kept, note] = result.stdout.split('[output cut at ');
    expect(Buffer.byteLength(kept!)).toBeLessThanOrEqual(10_000);
    expect(Buffer.byteLength(kept!)).toBeGreaterThan(9_000);
    expect(kept!.endsWith('x\n')).toBe(true); // on a line boundary
    expect(note).toMatch(/^\d+ bytes; the command wrote 250000 bytes\. Narrow it/);
    expect(result.stderr).toBe('warning: small\n');
  });

  it('is not cut when it fits', async () => {
    const result = await runCli(
      options('kubectl', 'get pods', { maxOutputBytes: 10_000, env: { FAKE_STDOUT_BYTES: '9000' } }),
    );
    expect(result.truncated.stdout).toBe(false);
    expect(result.stdout).toHaveLength(9000);
  });

  it('is redacted: tokens, the kubeconfig’s own token, Secret data', async () => {
    const jwt =
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDp3ZWIifQ.c2lnbmF0dXJlLWJ5dGVz';
    const stdout = `apiVersion: v1\ndata:\n  user: YWRtaW4=\nkind: Secret\nmetadata:\n  name: db\n---\nkind: ConfigMap\ndata:\n  note: Bearer ${jwt}\n`;
    const result = await runCli(
      options('kubectl', 'get secret,cm -o yaml', {
        kubeconfig: KUBECONFIG,
        env: { FAKE_STDOUT: stdout, FAKE_STDERR: `I1122 round_trippers.go] using token ${TOKEN}\n` },
      }),
    );
    expect(result.stdout).not.toContain(jwt);
    expect(result.stdout).not.toContain('YWRtaW4=');
    expect(result.stdout).toContain('  user: [REDACTED]\n');
    expect(result.stderr).toBe('I1122 round_trippers.go] using token [REDACTED]\n');
  });

  it('keeps Secret data with allowSecrets', async () => {
    const result = await runCli(
      options('kubectl', 'get secret db -o yaml', {
        allowSecrets: true,
        env: { FAKE_STDOUT: 'kind: Secret\ndata:\n  user: YWRtaW4=\n' },
      }),
    );
    expect(result.stdout).toBe('kind: Secret\ndata:\n  user: YWRtaW4=\n');
  });
});

describe('finding the binary', () => {
  it('throws CliNotFound naming the binary and how to install it', async () => {
    const error = await runCli(
      options('istioctl', 'version', {
        kubeconfig: KUBECONFIG,
        binaryPath: join(root, 'nowhere', 'istioctl'),
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliNotFound);
    const notFound = error as CliNotFound;
    expect(notFound.binary).toBe(join(root, 'nowhere', 'istioctl'));
    expect(notFound.message).toContain('`istioctl` is not installed');
    expect(notFound.details.next).toContain('https://istio.io/');
    expectNoLeftovers();

    const byName = await runCli(
      options('argocd', 'version', { binaryPath: 'argocd-not-installed-here' }),
    ).catch((e: unknown) => e);
    expect(byName).toBeInstanceOf(CliNotFound);
    expect((byName as CliNotFound).message).toContain('on the PATH');
    expect((byName as CliNotFound).details.next).toContain('argo-cd.readthedocs.io');
  });

  it('looks in searchDirs before PATH', async () => {
    const result = await runCli({
      ...options('helm', 'version'),
      binaryPath: undefined,
      searchDirs: [binDir],
    });
    expect(result.exitCode).toBe(0);
    expect(report().tool).toBe('helm');
  });

  it('which: finds executables, skips plain files and relative PATH entries', async () => {
    expect(await which('kubectl', { dirs: [binDir], path: '' })).toBe(join(binDir, 'kubectl'));
    expect(await which('kubectl', { path: binDir })).toBe(join(binDir, 'kubectl'));
    writeFileSync(join(root, 'not-executable'), 'x', { mode: 0o644 });
    expect(await which('not-executable', { dirs: [root], path: '' })).toBeNull();
    expect(await which(join(root, 'not-executable'))).toBeNull();
    expect(await which('kubectl', { path: `.${':'}bin` })).toBeNull();
    expect(await which('definitely-not-a-cli-0xyz', { path: '' })).toBeNull();
  });

  it('detectClis: reports each tool found, or null', async () => {
    const some = join(root, 'some');
    mkdirSync(some, { recursive: true });
    copyFileSync(FAKE, join(some, 'helm'));
    chmodSync(join(some, 'helm'), 0o755);
    expect(await detectClis({ dirs: [some], path: '' })).toEqual({
      kubectl: null,
      helm: join(some, 'helm'),
      istioctl: null,
      argocd: null,
    });
    expect((await detectClis({ path: '', binaries: { kubectl: join(binDir, 'kubectl') } })).kubectl).toBe(
      join(binDir, 'kubectl'),
    );
  });
});

const NO_KUBECTL = 'no kubectl in .bin-cache/ (scripts/fetch-kubectl.sh puts kubectl 1.35 there)';

describe('the real kubectl (.bin-cache/kubectl)', () => {
  function real(command: string, extra: Partial<RunCliOptions> = {}): RunCliOptions {
    return {
      tool: 'kubectl',
      args: tokenize(command, 'kubectl'),
      readOnly: true,
      binaryPath: REAL_KUBECTL,
      tempRoot,
      timeoutMs: 30_000,
      ...extra,
    };
  }

  it('runs `kubectl version --client` through the runner', async ({ skip }) => {
    skip(!existsSync(REAL_KUBECTL), NO_KUBECTL);
    const result = await runCli(real('kubectl version --client'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Client Version: v1\.\d+\.\d+/m);
    expectNoLeftovers();
  });

  it('reads the per-call kubeconfig and never shows its token (`config view`)', async ({ skip }) => {
    skip(!existsSync(REAL_KUBECTL), NO_KUBECTL);
    const result = await runCli(real('config view -o yaml', { kubeconfig: KUBECONFIG }));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('current-context: sim-admin');
    expect(result.stdout).toContain('namespace: team-a');
    expect(result.stdout).not.toContain(TOKEN);
    expectNoLeftovers();
  });

  it('talks to the kubeconfig’s server and reports its failure', async ({ skip }) => {
    skip(!existsSync(REAL_KUBECTL), NO_KUBECTL);
    const result = await runCli(
      real('get pods --request-timeout=5s', { kubeconfig: KUBECONFIG, namespace: 'team-b' }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('127.0.0.1:1');
    expect(result.stderr).toMatch(/connection refused/);
    expect(result.stderr).not.toContain(TOKEN);
    expectNoLeftovers();
  });
});
