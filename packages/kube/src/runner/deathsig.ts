import { execFile } from 'node:child_process';
import { scrubbedEnv } from '../child-env.js';
import { which } from './discover.js';

/**
 * CLI children die with the server. The child leads its own process group (for timeouts and aborts), so
 * nothing sent to the server or its group reaches it. On Linux it is started as
 *
 *   setpriv --pdeathsig TERM -- timeout --kill-after=<grace> 0 <binary> <args>
 *
 * setpriv (util-linux ≥ 2.33) sets the parent-death signal and execs GNU `timeout`, which keeps it (only a
 * set-user-ID or file-capability binary clears it on exec): the kernel sends SIGTERM to it when the thread
 * that spawned it ends, even when the server is SIGKILLed (for a runCli in a worker thread: when that
 * worker ends). `timeout` (duration 0: no time limit of its own) passes SIGTERM on to the whole group, the
 * CLI and whatever it started (credential plugins, `sleep &`), and SIGKILLs the group after the grace.
 * It leads the group, passes the exit code through and dies of the signal that killed the CLI, so the
 * runner's timeouts, aborts and results are unchanged.
 *
 * Without GNU timeout (busybox) the CLI itself is started under `setpriv --pdeathsig KILL`: it dies, but
 * processes it started do not inherit the signal. Without setpriv (not Linux, no util-linux) children are
 * spawned directly; the next server's first call then ends what a dead one left running (workdir.ts).
 */
export interface DeathSignal {
  setpriv: string;
  /** GNU coreutils `timeout`, or null. */
  timeout: string | null;
}

let found: Promise<DeathSignal | null> | undefined;

/** Whether `file --flag` runs and prints `expected`. */
function prints(file: string, flag: string, expected: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(file, [flag], { env: scrubbedEnv({ LC_ALL: 'C' }), timeout: 10_000 }, (error, stdout) => {
      resolve(error === null && stdout.includes(expected));
    });
  });
}

async function find(): Promise<DeathSignal | null> {
  if (process.platform !== 'linux') return null;
  const setpriv = await which('setpriv');
  if (setpriv === null || !(await prints(setpriv, '--help', '--pdeathsig'))) return null;
  const timeout = await which('timeout');
  const gnu = timeout !== null && (await prints(timeout, '--version', 'GNU coreutils'));
  return { setpriv, timeout: gnu ? timeout : null };
}

/** setpriv and timeout as found on the PATH, looked up once per process (on the first call). */
export function deathSignal(): Promise<DeathSignal | null> {
  found ??= find();
  return found;
}

/** The command to spawn: the binary itself, or the binary under setpriv (and timeout) as above. */
export function withDeathSignal(
  wrapper: DeathSignal | null,
  killGraceMs: number,
  file: string,
  argv: readonly string[],
): [string, string[]] {
  if (wrapper === null) return [file, [...argv]];
  if (wrapper.timeout === null) return [wrapper.setpriv, ['--pdeathsig', 'KILL', '--', file, ...argv]];
  const grace = `--kill-after=${killGraceMs / 1000}s`;
  return [wrapper.setpriv, ['--pdeathsig', 'TERM', '--', wrapper.timeout, grace, '0', file, ...argv]];
}

/**
 * When the binary could not be executed under the wrapper (a missing interpreter, no exec permission),
 * setpriv or timeout says so on stderr, after its name or path, and exits 127 (ENOENT) or 126: the error
 * a direct spawn gives.
 */
export function wrapperExecFailure(
  wrapper: DeathSignal | null,
  code: number | null,
  stderr: string,
): NodeJS.ErrnoException | undefined {
  if (wrapper === null || (code !== 126 && code !== 127)) return undefined;
  const names = ['setpriv', wrapper.setpriv, ...(wrapper.timeout ? ['timeout', wrapper.timeout] : [])];
  if (!names.some((name) => stderr.startsWith(`${name}: `))) return undefined;
  const error: NodeJS.ErrnoException = new Error(stderr.trim());
  error.code = code === 127 ? 'ENOENT' : 'EACCES';
  return error;
}
