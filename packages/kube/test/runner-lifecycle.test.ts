import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { build } from 'tsup';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handOffKubeconfig } from '../src/runner/descriptor.js';
import { CliError, type RunCliOptions, runCli, tokenize, which } from '../src/runner/index.js';
import { describeProcess, startTime, stillRunning, waitFor } from './fixtures/runner/wait.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(here, 'fixtures', 'runner');
const BIN_CACHE = join(here, '..', '..', '..', '.bin-cache');
const USER_ROOT = `cloudmcp-${process.getuid?.()}`;
const LINUX =
  process.platform === 'linux' ? undefined : 'parent-death signals and fd kubeconfigs are Linux-only';

const TOKEN = 'lifecycle-token-5f1e2d3c4b5a69788796a5b4';
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://127.0.0.1:1
  name: c
contexts:
- context:
    cluster: c
    user: u
  name: c
current-context: c
users:
- name: u
  user:
    token: ${TOKEN}
`;

let root: string;
let fakeKubectl: string;
/** A directory holding only `node`: a PATH on which setpriv is not found. */
let nodeOnly: string;
/** The stand-in server (fixtures/runner/server.ts), bundled where it resolves this package's dependencies. */
let server: string;
let tempRoot: string;
/** Every CLI pid a test saw: none may outlive it, even when an assertion fails. */
const started: number[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'runner-lifecycle-'));
  mkdirSync(join(root, 'bin'));
  fakeKubectl = join(root, 'bin', 'kubectl');
  copyFileSync(join(FIXTURES, 'fake-cli.cjs'), fakeKubectl);
  chmodSync(fakeKubectl, 0o755);
  nodeOnly = join(root, 'node-only');
  mkdirSync(nodeOnly);
  symlinkSync(process.execPath, join(nodeOnly, 'node'));
  const out = mkdtempSync(join(here, '..', 'node_modules', '.cache-runner-lifecycle-'));
  await build({
    entry: { server: join(FIXTURES, 'server.ts') },
    outDir: out,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    config: false,
    dts: false,
    silent: true,
  });
  server = join(out, 'server.js');
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (server) rmSync(dirname(server), { recursive: true, force: true });
});

beforeEach(() => {
  tempRoot = mkdtempSync(join(root, 'calls-'));
});

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
});

interface Report {
  pid: number;
  env: Record<string, string | undefined>;
  kubeconfig: { path: string; nlink: number; sha256: string; target: string | null } | null;
  home: Array<{ path: string }>;
  grandchild: number | null;
}

function fakeCall(reportPath: string, env: Record<string, string> = {}): Partial<RunCliOptions> {
  return {
    tool: 'kubectl',
    args: ['get', 'pods', '-w'],
    readOnly: true,
    binaryPath: fakeKubectl,
    tempRoot,
    kubeconfig: KUBECONFIG,
    timeoutMs: 600_000,
    env: { FAKE_REPORT: reportPath, ...env },
  };
}

interface Server {
  child: ChildProcess;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts the stand-in server with one runCli call; PATH is this process's unless given. */
function startServer(call: Partial<RunCliOptions>, path = process.env['PATH']!): Server {
  const child = spawn(process.execPath, [server], {
    env: { ...process.env, PATH: path, RUNNER_CALL: JSON.stringify(call) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited };
}

async function waitForReport(path: string): Promise<Report> {
  await waitFor(() => existsSync(path), 30_000);
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  started.push(report.pid);
  return report;
}

/** Every entry under `dir`, never following a symlink, with the files' text. */
function walk(dir: string): Array<{ path: string; text: string | null }> {
  const out: Array<{ path: string; text: string | null }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = lstatSync(path);
    if (info.isDirectory()) out.push({ path, text: null }, ...walk(path));
    else out.push({ path, text: info.isFile() ? readFileSync(path, 'utf8') : null });
  }
  return out;
}

/** No kubeconfig file and no credential text anywhere under the temp root. */
function expectNoCredentialOnDisk(): void {
  const entries = walk(tempRoot);
  expect(entries.filter((e) => basename(e.path) === 'kubeconfig')).toEqual([]);
  expect(entries.filter((e) => e.text?.includes(TOKEN))).toEqual([]);
}

describe.skipIf(!!LINUX)(LINUX ? `runner lifecycle (skipped: ${LINUX})` : 'a killed server', () => {
  it.each([
    ['a CLI and what it started', { FAKE_GRANDCHILD: '1' }],
    ['a CLI that ignores SIGTERM, and what it started', { FAKE_IGNORE_TERM: '1', FAKE_GRANDCHILD: '1' }],
  ])(
    'takes %s along (setpriv --pdeathsig, timeout), and leaves no credential on disk',
    async (_, env) => {
      const reportPath = join(root, `report-${basename(tempRoot)}.json`);
      const first = startServer({
        ...fakeCall(reportPath, { FAKE_SLEEP_MS: '600000', ...env }),
        killGraceMs: 500,
      });
      const seen = await waitForReport(reportPath);
      started.push(seen.grandchild!);
      expect(seen.pid).not.toBe(first.child.pid);
      const cli = stillRunning(seen.pid);
      const grandchild = stillRunning(seen.grandchild!);
      expect(grandchild()).toBe(true);
      expect(cli()).toBe(true);
      // while the CLI runs, its kubeconfig is a nameless file it holds open
      expect(seen.kubeconfig).toMatchObject({ path: '/dev/fd/3', nlink: 0 });
      expect(seen.kubeconfig!.target).toMatch(/\/kubeconfig \(deleted\)$/);
      expect(seen.home.map((e) => e.path)).not.toContain('kubeconfig');
      expectNoCredentialOnDisk();

      first.child.kill('SIGKILL');
      expect((await first.exited).code).toBeNull();
      // the signals reached the CLI itself (the pid it reported) and its own child, not only the wrapper
      await waitFor(() => !cli() && !grandchild(), 20_000);
      expectNoCredentialOnDisk();

      // what the dead server left (its process dir) goes with the next server's first call
      const deadServer = (name: string) => name.startsWith(`${first.child.pid}-`);
      expect(readdirSync(join(tempRoot, USER_ROOT)).filter(deadServer)).toHaveLength(1);
      const next = startServer({ ...fakeCall(join(root, 'next.json')), args: ['version', '--client'] });
      const result = await next.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ exitCode: 0, verb: 'version' });
      expect(readdirSync(join(tempRoot, USER_ROOT)).filter(deadServer)).toEqual([]);
      expectNoCredentialOnDisk();
    },
    60_000,
  );

  it('with setpriv but no GNU timeout (busybox) takes its CLI along', async () => {
    const setprivOnly = join(root, `setpriv-only-${basename(tempRoot)}`);
    mkdirSync(setprivOnly);
    symlinkSync(process.execPath, join(setprivOnly, 'node'));
    symlinkSync((await which('setpriv'))!, join(setprivOnly, 'setpriv'));
    const reportPath = join(root, `report-${basename(tempRoot)}.json`);
    const first = startServer(fakeCall(reportPath, { FAKE_SLEEP_MS: '600000' }), setprivOnly);
    const seen = await waitForReport(reportPath);
    const cli = stillRunning(seen.pid);
    // setpriv exec'd the CLI: it leads the group (the pid recorded for the sweep is its own)
    await waitFor(() => existsSync(join(seen.env['HOME']!, 'child')), 10_000);
    expect(readFileSync(join(seen.env['HOME']!, 'child'), 'utf8')).toMatch(new RegExp(`^${seen.pid} `));
    first.child.kill('SIGKILL');
    await first.exited;
    await waitFor(() => !cli(), 20_000);
  }, 60_000);

  it('without setpriv leaves its CLI running, which the next server’s first call ends with its group', async () => {
    const reportPath = join(root, `report-${basename(tempRoot)}.json`);
    const first = startServer(
      fakeCall(reportPath, { FAKE_SLEEP_MS: '600000', FAKE_GRANDCHILD: '1' }),
      nodeOnly,
    );
    const seen = await waitForReport(reportPath);
    started.push(seen.grandchild!);
    const cli = stillRunning(seen.pid);
    const grandchild = stillRunning(seen.grandchild!);
    const callDir = seen.env['HOME']!;
    // the runner notes the CLI's pid and start time in the call's dir just after starting it
    await waitFor(() => existsSync(join(callDir, 'child')), 10_000);
    expect(readFileSync(join(callDir, 'child'), 'utf8')).toBe(`${seen.pid} ${startTime(seen.pid)}\n`);

    first.child.kill('SIGKILL');
    await first.exited;
    expect(cli()).toBe(true); // nothing ends it: the fallback below does
    expect(existsSync(callDir)).toBe(true);
    expectNoCredentialOnDisk();

    const next = startServer({ ...fakeCall(join(root, 'next.json')), args: ['version', '--client'] });
    expect((await next.exited).code).toBe(0);
    // the sweep removed the dead server's dir, and SIGKILLed the group noted in it before that
    expect(existsSync(dirname(callDir))).toBe(false);
    // bounded poll: on a loaded 2-core CI machine a killed process can take a while to be scheduled to exit
    await waitFor(
      () => !cli() && !grandchild(),
      45_000,
      () => [seen.pid, seen.grandchild!].map(describeProcess).join('; '),
    );
  }, 90_000);
});

describe.skipIf(!!LINUX)(LINUX ? `the sweep (skipped: ${LINUX})` : 'the first call of a process', () => {
  function userRoot(): string {
    const path = join(tempRoot, USER_ROOT);
    mkdirSync(path, { mode: 0o700 });
    return path;
  }

  function quickCall(): RunCliOptions {
    return {
      tool: 'kubectl',
      args: tokenize('version --client', 'kubectl'),
      readOnly: true,
      binaryPath: fakeKubectl,
      tempRoot,
      env: { FAKE_STDOUT: 'Client Version: fake\n' },
    };
  }

  it('removes the dirs of processes that are gone, never following a symlink, and keeps live ones’', async () => {
    const base = userRoot();
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const dead = join(base, `${deadPid}-12345`);
    mkdirSync(join(dead, 'cloudmcp-kube-abc', 'tmp'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dead, 'cloudmcp-kube-abc', 'kubeconfig'), KUBECONFIG, { mode: 0o600 });
    const victim = join(root, `victim-${basename(tempRoot)}`);
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep'), 'not ours to remove');
    symlinkSync(victim, join(dead, 'cloudmcp-kube-abc', 'link'));
    // this very pid, but not this process: the one before that had it
    const reused = join(base, `${process.pid}-1`);
    mkdirSync(reused);
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
    try {
      const live = join(base, `${sleeper.pid}-${startTime(sleeper.pid!)}`);
      mkdirSync(join(live, 'cloudmcp-kube-xyz'), { recursive: true });
      const unknown = join(base, 'notes');
      writeFileSync(unknown, 'left alone');
      expect(existsSync(dead)).toBe(true); // nothing was swept before the first call

      const result = await runCli(quickCall());
      expect(result.stdout).toBe('Client Version: fake\n');
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(reused)).toBe(false);
      expect(readdirSync(victim)).toEqual(['keep']);
      expect(existsSync(join(live, 'cloudmcp-kube-xyz'))).toBe(true);
      expect(readFileSync(unknown, 'utf8')).toBe('left alone');
      expect(readdirSync(base).sort()).toEqual(
        [basename(live), 'notes', `${process.pid}-${startTime(process.pid)}`].sort(),
      );

      // once per process and root: a later leftover waits for the next process
      mkdirSync(dead);
      await runCli(quickCall());
      expect(existsSync(dead)).toBe(true);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('refuses a root that is a symlink or open to others, and runs nothing', async () => {
    const elsewhere = mkdtempSync(join(root, 'elsewhere-'));
    symlinkSync(elsewhere, join(tempRoot, USER_ROOT));
    const reportPath = join(root, `report-${basename(tempRoot)}.json`);
    const error = await runCli({ ...quickCall(), env: { FAKE_REPORT: reportPath } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      `The CLI runner's temporary directory ${join(tempRoot, USER_ROOT)} is not a directory (a symlink?), so no command is run.`,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(reportPath)).toBe(false);

    rmSync(join(tempRoot, USER_ROOT));
    chmodSync(userRoot(), 0o755);
    const open = await runCli(quickCall()).catch((e: unknown) => e);
    expect((open as CliError).message).toMatch(/has mode 755, not 700, so no command is run\.$/);

    // fixed: the next call goes through (the check is not cached as a failure)
    chmodSync(join(tempRoot, USER_ROOT), 0o700);
    expect((await runCli(quickCall())).exitCode).toBe(0);
    expect(statSync(join(tempRoot, USER_ROOT)).mode & 0o777).toBe(0o700);
  });
});

describe.skipIf(!!LINUX)(LINUX ? `handoff (skipped: ${LINUX})` : 'the kubeconfig handoff', () => {
  it('by descriptor: unlinked before anything is written, readable from the start again and again', async () => {
    const dir = mkdtempSync(join(root, 'handoff-'));
    const handoff = await handOffKubeconfig(dir, KUBECONFIG);
    try {
      expect(handoff.path).toBe('/dev/fd/3');
      expect(readdirSync(dir)).toEqual([]);
      const own = `/proc/self/fd/${handoff.fd}`;
      expect(readFileSync(own, 'utf8')).toBe(KUBECONFIG);
      expect(readFileSync(own, 'utf8')).toBe(KUBECONFIG);
      expect(statSync(own)).toMatchObject({ nlink: 0, mode: expect.any(Number) });
      expect(statSync(own).mode & 0o777).toBe(0o600);
    } finally {
      await handoff.close();
    }
  });

  it('by file (other systems): a 0600 file made exclusively, which an existing one stops', async () => {
    const dir = mkdtempSync(join(root, 'handoff-'));
    const handoff = await handOffKubeconfig(dir, KUBECONFIG, false);
    expect(handoff).toMatchObject({ path: join(dir, 'kubeconfig'), fd: undefined });
    expect(statSync(handoff.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(handoff.path, 'utf8')).toBe(KUBECONFIG);
    await expect(handOffKubeconfig(dir, 'planted', false)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(handoff.path, 'utf8')).toBe(KUBECONFIG);
  });
});

const KUBECTL = join(BIN_CACHE, 'kubectl');
const HELM = join(BIN_CACHE, 'helm');
const MISSING = (binary: string) =>
  LINUX ??
  (existsSync(binary) ? undefined : `no ${basename(binary)} in ${BIN_CACHE} (scripts/fetch-kubectl.sh)`);

describe('real kubectl and helm with the kubeconfig on fd 3, against kube-sim', () => {
  let sim: KubeSim;
  let kubeconfig: string;
  let tokens: string[];

  beforeAll(async () => {
    sim = await startKubeSim({ seed: 'empty' });
    kubeconfig = sim.kubeconfig();
    tokens = Object.values(sim.clusters[0]!.tokens);
  });
  afterAll(async () => {
    await sim?.close();
  });

  function real(binary: string, command: string, extra: Partial<RunCliOptions> = {}): RunCliOptions {
    const tool = basename(binary) as 'kubectl' | 'helm';
    return {
      tool,
      args: tokenize(command, tool),
      readOnly: false,
      binaryPath: binary,
      kubeconfig,
      tempRoot,
      timeoutMs: 60_000,
      ...extra,
    };
  }

  async function ok(options: RunCliOptions): Promise<string> {
    const result = await runCli(options);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const token of tokens) expect(result.stdout + result.stderr).not.toContain(token);
    return result.stdout;
  }

  it('kubectl: apply -f -, get', async ({ skip }) => {
    skip(!!MISSING(KUBECTL), MISSING(KUBECTL));
    const manifest = [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: lifecycle\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: lifecycle\ndata:\n  a: b\n',
    ].join('---\n');
    expect(await ok(real(KUBECTL, 'apply -f -', { stdin: manifest }))).toBe(
      'namespace/lifecycle created\nconfigmap/web created\n',
    );
    expect(await ok(real(KUBECTL, 'get configmaps -o name', { namespace: 'lifecycle' }))).toContain(
      'configmap/web\n',
    );
    expect(await ok(real(KUBECTL, 'get pods -A'))).toBe('');
    expect(
      readdirSync(join(tempRoot, USER_ROOT)).map((d) => readdirSync(join(tempRoot, USER_ROOT, d))),
    ).toEqual([[]]);
  });

  it('helm: install a local chart, list', async ({ skip }) => {
    skip(!!MISSING(HELM) || !!MISSING(KUBECTL), MISSING(HELM) ?? MISSING(KUBECTL));
    expect(await ok(real(KUBECTL, 'create namespace charts'))).toBe('namespace/charts created\n');
    const installed = await ok(
      real(HELM, `install greet ${join(FIXTURES, 'chart')}`, { namespace: 'charts', allowLocalFiles: true }),
    );
    expect(installed).toContain('STATUS: deployed');
    const list = await ok(real(HELM, 'list -o json', { namespace: 'charts' }));
    expect(JSON.parse(list)).toMatchObject([
      { name: 'greet', namespace: 'charts', status: 'deployed', chart: 'greeting-0.1.0' },
    ]);
    expect(
      await ok(real(KUBECTL, 'get configmap greet-greeting -o yaml', { namespace: 'charts' })),
    ).toContain('message: hello from the runner test\n');
  });
});
