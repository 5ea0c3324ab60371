import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { scrubbedEnv } from '../child-env.js';
import { currentImpersonation } from '../impersonation.js';
import { deathSignal, withDeathSignal, wrapperExecFailure } from './deathsig.js';
import { handOffKubeconfig, type KubeconfigHandoff } from './descriptor.js';
import { which } from './discover.js';
import { CliAborted, CliNotFound, CliRefused, CliStartError, type CliTool } from './errors.js';
import { impersonationArgs } from './impersonate.js';
import { type CheckOptions, type CliAccess, checkCommand } from './policy.js';
import { kubeconfigSecrets, redactCliOutput } from './redact.js';
import { urlsAsStdin } from './url-stdin.js';
import { openCallDir } from './workdir.js';

export const DEFAULT_CLI_TIMEOUT_MS = 60_000;
export const DEFAULT_CLI_MAX_OUTPUT_BYTES = 1024 * 1024;
const DEFAULT_KILL_GRACE_MS = 2_000;
/** After the process exits, how long its output pipes may stay open (held by a grandchild) before we stop. */
const CLOSE_GRACE_MS = 2_000;

export interface RunCliOptions extends CheckOptions {
  tool: CliTool;
  /** The command's arguments (from {@link tokenize}), without the tool name. */
  args: readonly string[];
  /**
   * Kubeconfig YAML, held in memory by the caller. On Linux passed as an open, already unlinked 0600 file
   * on the child's fd 3 (`KUBECONFIG=/dev/fd/3`, and `--kubeconfig=/dev/fd/3` to istioctl); elsewhere
   * written to a 0600 file in the call's 0700 directory for the call. See descriptor.ts.
   */
  kubeconfig?: string;
  /** Added as `-n NAMESPACE` when the command names no namespace (kubectl, helm, istioctl; not argocd). */
  namespace?: string;
  /** Only read-only commands and dry runs. */
  readOnly: boolean;
  /** Default 60 s; then SIGTERM to the process group, SIGKILL after `killGraceMs`. */
  timeoutMs?: number;
  /** Per stream, after redaction; default 1 MiB. */
  maxOutputBytes?: number;
  /** The binary: a path, or a name looked up in `searchDirs` then PATH. Defaults to the tool's name. */
  binaryPath?: string;
  /** Directories searched before PATH. */
  searchDirs?: readonly string[];
  /**
   * Variables for the child on top of the scrubbed environment (explicit, never inherited); `undefined`
   * removes one. `KUBECONFIG` is ours when `kubeconfig` is given. For argocd, an `ARGOCD_SERVER` here
   * switches off `--core`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Written to the child's stdin (`kubectl apply -f -`); otherwise stdin is closed. */
  stdin?: string;
  /** Cancels the call: the process group is stopped and {@link CliAborted} thrown. */
  signal?: AbortSignal;
  /**
   * Where the per-user root (`cloudmcp-<uid>/`) of the per-call directories is made; default the OS temp
   * directory. The first call per root removes what dead servers left there (see workdir.ts).
   */
  tempRoot?: string;
  /** Between SIGTERM and SIGKILL; default 2 s. */
  killGraceMs?: number;
}

export interface CliResult {
  tool: CliTool;
  /** The command found after global flags (`get`, `rollout status`). */
  verb: string;
  access: CliAccess;
  /** The arguments run, with the kubeconfig path shown as `<kubeconfig>` (and fetched URLs as `-f -`). */
  argv: string[];
  /**
   * With `allowedUrls`: the `-f` URLs the runner fetched (redirects checked against the prefixes) and gave
   * to kubectl as stdin; `[]` otherwise.
   */
  fetched: string[];
  /** Null when the process was ended by a signal (a timeout). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Redacted, at most `maxOutputBytes` plus a note saying what was cut. */
  stdout: string;
  /** Redacted, likewise; a timeout adds a note at its end. */
  stderr: string;
  truncated: { stdout: boolean; stderr: boolean };
  timedOut: boolean;
  durationMs: number;
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function childEnv(
  dir: string,
  kubeconfigPath: string | undefined,
  extra: RunCliOptions['env'],
): Record<string, string> {
  const tmp = join(dir, 'tmp');
  const env = scrubbedEnv({
    HOME: dir,
    USERPROFILE: dir,
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
    XDG_CONFIG_HOME: join(dir, '.config'),
    XDG_CACHE_HOME: join(dir, '.cache'),
    XDG_DATA_HOME: join(dir, '.local', 'share'),
    XDG_STATE_HOME: join(dir, '.local', 'state'),
    // kubectl 1.34+ reads ~/.kuberc (aliases, default flags); never, even with a HOME from `env`
    KUBECTL_KUBERC: 'false',
    ...extra,
  });
  if (kubeconfigPath !== undefined) env['KUBECONFIG'] = kubeconfigPath;
  return env;
}

interface Collected {
  chunks: Buffer[];
  kept: number;
  total: number;
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Collected;
  stderr: Collected;
  timedOut: boolean;
}

interface ExecuteOptions {
  cwd: string;
  /** Given to the child as its fd 3 (the kubeconfig). */
  fd3: number | undefined;
  /** Called with the child's pid once it is started. */
  onSpawn: (pid: number) => void;
  env: Record<string, string>;
  stdin: string | undefined;
  timeoutMs: number;
  killGraceMs: number;
  collectBytes: number;
  signal: AbortSignal | undefined;
}

class Aborted extends Error {}

function collector(limit: number): [Collected, (chunk: Buffer) => void] {
  const collected: Collected = { chunks: [], kept: 0, total: 0 };
  return [
    collected,
    (chunk) => {
      collected.total += chunk.length;
      const room = limit - collected.kept;
      if (room <= 0) return;
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      collected.chunks.push(part);
      collected.kept += part.length;
    },
  ];
}

/** Runs the binary with argv (no shell) in its own process group and collects its output. */
function execute(file: string, argv: readonly string[], options: ExecuteOptions): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    const ownGroup = process.platform !== 'win32';
    let child: ChildProcess;
    try {
      child = spawn(file, argv, {
        cwd: options.cwd,
        env: options.env,
        stdio: [
          options.stdin === undefined ? 'ignore' : 'pipe',
          'pipe',
          'pipe',
          ...(options.fd3 === undefined ? [] : [options.fd3]),
        ],
        detached: ownGroup,
        shell: false,
        windowsHide: true,
      });
    } catch (error) {
      reject(error);
      return;
    }
    if (child.pid !== undefined) options.onSpawn(child.pid);
    const [stdout, onStdout] = collector(options.collectBytes);
    const [stderr, onStderr] = collector(options.collectBytes);
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);

    let settled = false;
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let closeTimer: NodeJS.Timeout | undefined;

    const kill = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        if (ownGroup) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          // already gone
        }
      }
    };
    const stop = (): void => {
      kill('SIGTERM');
      killTimer ??= setTimeout(() => kill('SIGKILL'), options.killGraceMs);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      // whatever of the group outlived a stopped leader (a grandchild that ignored SIGTERM) goes now
      if (timedOut || aborted) kill('SIGKILL');
      clearTimeout(timer);
      clearTimeout(killTimer);
      clearTimeout(closeTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (aborted) reject(new Aborted());
      else resolve({ code, signal, stdout, stderr, timedOut });
    };

    child.on('error', (error) => {
      // spawn failures (ENOENT from a missing interpreter…); errors after a start are kill failures
      if (child.pid === undefined && !settled) {
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        reject(error);
      }
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // a grandchild may hold the pipes open: stop the whole group and end without it
      closeTimer = setTimeout(() => {
        kill('SIGKILL');
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, CLOSE_GRACE_MS);
    });
    child.on('close', (code, signal) => finish(exit?.code ?? code, exit?.signal ?? signal));

    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    if (options.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        // the child may exit without reading its input
      });
      child.stdin.end(options.stdin);
    }
  });
}

/** Redacts, then cuts at `max` bytes (on a line boundary when one is near) with a note saying so. */
function finishStream(
  collected: Collected,
  max: number,
  redaction: { allowSecrets: boolean; knownSecrets: string[] },
): { text: string; truncated: boolean } {
  const text = redactCliOutput(Buffer.concat(collected.chunks).toString('utf8'), redaction);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max && collected.total <= collected.kept) return { text, truncated: false };
  let cut = Math.min(bytes.length, max);
  while (cut > 0 && cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut--;
  const newline = cut > 0 ? bytes.lastIndexOf(0x0a, cut - 1) : -1;
  if (newline >= 0 && newline + 1 >= cut / 2) cut = newline + 1;
  const kept = bytes.subarray(0, cut).toString('utf8');
  const note =
    `[output cut at ${cut} bytes; the command wrote ${collected.total} bytes. ` +
    'Narrow it (a label selector, a namespace, --tail, -o name, fewer fields) to see the rest]';
  return { text: `${kept}${kept === '' || kept.endsWith('\n') ? '' : '\n'}${note}`, truncated: true };
}

/** `text` with `note` on a line of its own at the end. */
function withNote(text: string, note: string): string {
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${note}`;
}

function positive(value: number | undefined, fallback: number, field: string, tool: CliTool): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new CliRefused(tool, 'input', String(value), `\`${field}\` must be a positive number.`);
  }
  return Math.min(Math.floor(value), 2_147_483_647); // setTimeout's limit
}

/**
 * Runs one kubectl, helm, istioctl or argocd command safely:
 * - the command is checked by {@link checkCommand} (refused commands and flags, read-only mode, local files,
 *   secret output formats) before anything is written or started;
 * - the binary is found (`binaryPath`, `searchDirs`, PATH) or {@link CliNotFound} is thrown;
 * - with `allowedUrls`, kubectl's `-f URL`s are fetched by the runner, every redirect checked against the
 *   prefixes, and given to kubectl as `-f -` (url-stdin.ts, fetch-urls.ts); the fetch counts toward the
 *   timeout;
 * - a fresh directory (0700, under the per-user root of workdir.ts) is the child's HOME, TMPDIR, XDG dirs
 *   and working directory; it is removed when the call ends, however it ends (exit, timeout, abort, spawn
 *   failure), and by the next server's first call when this one is killed;
 * - inside a call that acts as its caller (`impersonatingTools`), the caller's `--as`/`--as-group` (helm:
 *   `--kube-as-user`/`--kube-as-group`) come first, from the validated caller only; istioctl, and argocd
 *   against an Argo CD server, are refused there (runner/impersonate.ts);
 * - the kubeconfig is an unlinked 0600 file on the child's fd 3 on Linux, a 0600 file in that directory
 *   elsewhere (descriptor.ts);
 * - the child gets argv only (never a shell), in its own process group, with a scrubbed environment
 *   (PATH, locale, TZ, proxy and CA settings; no inherited credentials or KUBECONFIG), stdin closed unless
 *   `stdin` is given; on Linux under `setpriv --pdeathsig` and GNU `timeout`, so that it and whatever it
 *   starts die with the server (deathsig.ts);
 * - a timeout sends SIGTERM to the group and SIGKILL after a grace; the result says `timedOut`;
 * - stdout and stderr are redacted (the kubeconfig's own credentials, Secret data, tokens, keys), then cut at
 *   `maxOutputBytes` each with a note.
 */
/**
 * Looks up, once, how children are tied to this process (`setpriv`, GNU `timeout`): two short probes the
 * first command would otherwise wait for. Servers call it after their first `tools/list`, never at start-up.
 */
export function warmCli(): Promise<void> {
  return deathSignal().then(() => undefined);
}

export async function runCli(options: RunCliOptions): Promise<CliResult> {
  const started = performance.now();
  const { tool } = options;
  if (options.signal?.aborted) throw new CliAborted(tool);
  const given = [...options.args];
  const check = checkCommand(tool, given, options);
  const timeoutMs = positive(options.timeoutMs, DEFAULT_CLI_TIMEOUT_MS, 'timeoutMs', tool);
  const maxOutputBytes = positive(
    options.maxOutputBytes,
    DEFAULT_CLI_MAX_OUTPUT_BYTES,
    'maxOutputBytes',
    tool,
  );
  const killGraceMs = positive(options.killGraceMs, DEFAULT_KILL_GRACE_MS, 'killGraceMs', tool);
  const namespace = options.namespace === '' ? undefined : options.namespace;
  if (namespace !== undefined && (namespace.length > 63 || !NAMESPACE.test(namespace))) {
    throw new CliRefused(
      tool,
      'input',
      namespace,
      `Invalid input \`namespace\`: \`${namespace}\` is not a Kubernetes namespace name.`,
      'Use lower-case letters, digits and dashes (at most 63 characters).',
    );
  }

  // inside a call that acts as its caller (impersonation.ts): our --as flags, or a refusal, before any work
  const impersonation = currentImpersonation();
  const acting = impersonation
    ? impersonationArgs(tool, impersonation, { kubeconfig: options.kubeconfig, env: options.env ?? {} })
    : [];

  const binary = options.binaryPath ?? tool;
  const file = await which(binary, options.searchDirs ? { dirs: options.searchDirs } : {});
  if (file === null) {
    const where = binary.includes('/') ? `at ${binary}` : 'on the PATH';
    throw new CliNotFound(tool, binary, where);
  }
  if (options.signal?.aborted) throw new CliAborted(tool);
  const fetchStarted = performance.now();
  const fetched = await urlsAsStdin(given, check.sources, {
    tool,
    allowedUrls: options.allowedUrls,
    stdin: options.stdin,
    timeoutMs,
    signal: options.signal,
  });
  const args = fetched?.args ?? given;
  const stdin = fetched?.stdin ?? options.stdin;
  // the fetch is part of the call's time
  const childTimeoutMs = Math.max(1, timeoutMs - Math.round(performance.now() - fetchStarted));

  const call = await openCallDir(options.tempRoot);
  const dir = call.path;
  let kubeconfig: KubeconfigHandoff | undefined;
  let recorded: Promise<void> | undefined;
  try {
    await mkdir(join(dir, 'tmp'), { mode: 0o700 });
    if (options.kubeconfig !== undefined) kubeconfig = await handOffKubeconfig(dir, options.kubeconfig);
    const env = childEnv(dir, kubeconfig?.path, options.env);

    const injected: string[] = [];
    if (tool === 'istioctl' && kubeconfig !== undefined) injected.push(`--kubeconfig=${kubeconfig.path}`);
    if (tool === 'argocd' && env['ARGOCD_SERVER'] === undefined && !args.includes('--core'))
      injected.push('--core');
    if (namespace !== undefined && tool !== 'argocd' && !check.hasNamespace) injected.push('-n', namespace);
    const argv = [...acting, ...injected, ...args];
    const wrapper = await deathSignal();
    const [command, commandArgs] = withDeathSignal(wrapper, killGraceMs, file, argv);

    let outcome: Outcome;
    try {
      outcome = await execute(command, commandArgs, {
        cwd: dir,
        fd3: kubeconfig?.fd,
        onSpawn: (pid) => {
          recorded = call.recordChild(pid).catch(() => {
            // without the record only a sweep's kill is lost; the call itself goes on
          });
        },
        env,
        stdin,
        timeoutMs: childTimeoutMs,
        killGraceMs,
        collectBytes: maxOutputBytes + Math.min(Math.max(3 * maxOutputBytes, 1024 * 1024), 64 * 1024 * 1024),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof Aborted) throw new CliAborted(tool);
      throw new CliStartError(tool, file, error as NodeJS.ErrnoException);
    }
    const execFailure = wrapperExecFailure(
      wrapper,
      outcome.code,
      Buffer.concat(outcome.stderr.chunks).toString('utf8'),
    );
    if (execFailure) throw new CliStartError(tool, file, execFailure);

    const redaction = {
      allowSecrets: options.allowSecrets === true,
      knownSecrets: options.kubeconfig ? kubeconfigSecrets(options.kubeconfig) : [],
    };
    const stdout = finishStream(outcome.stdout, maxOutputBytes, redaction);
    const stderr = finishStream(outcome.stderr, maxOutputBytes, redaction);
    let stderrText = stderr.text;
    const shown = kubeconfig?.path;
    if (outcome.timedOut) {
      const note =
        `[${tool} was stopped after ${timeoutMs} ms: the timeout. The output so far is above. ` +
        'Narrow the command, bound a watch or follow (-w, -f) with --timeout, --since or --tail, or raise the timeout]';
      stderrText = withNote(stderrText, note);
    }
    if (fetched) {
      const them = fetched.urls.length > 1 ? 'them' : 'it';
      stderrText = withNote(
        stderrText,
        `[the server fetched ${fetched.urls.join(', ')} and gave ${them} to ${tool} as \`-f -\`]`,
      );
    }
    return {
      tool,
      verb: check.verb,
      access: check.access,
      argv: shown === undefined ? argv : argv.map((a) => a.split(shown).join('<kubeconfig>')),
      fetched: fetched?.urls ?? [],
      exitCode: outcome.code,
      signal: outcome.signal,
      stdout: stdout.text,
      stderr: stderrText,
      truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
      timedOut: outcome.timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await kubeconfig?.close();
    await recorded;
    await call.remove();
  }
}
