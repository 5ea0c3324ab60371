import { execFile } from 'node:child_process';
import { scrubbedEnv } from '../child-env.js';
import { which } from './discover.js';

/**
 * CLI children die with the server. The child runs in its own process group (for timeouts and aborts), so
 * nothing sent to the server's group reaches it; on Linux it is started as
 * `setpriv --pdeathsig KILL -- <binary> <args>` (util-linux ≥ 2.33): setpriv sets the parent-death signal
 * and execs the binary, which keeps it (only a set-user-ID or file-capability binary clears it on exec).
 * The CLI is then the same process setpriv was (same pid, same group), and the kernel SIGKILLs it when the
 * thread that spawned it ends, even when the server is SIGKILLed (a runCli called from a worker thread:
 * when that worker ends). Grandchildren the CLI starts (credential plugins) do not inherit the signal.
 *
 * Where setpriv (with --pdeathsig) is missing, children are spawned directly; the next server's first call
 * then ends what a dead one left running (workdir.ts).
 */

let found: Promise<string | null> | undefined;

async function find(): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const file = await which('setpriv');
  if (file === null) return null;
  return await new Promise((resolve) => {
    execFile(file, ['--help'], { env: scrubbedEnv(), timeout: 10_000 }, (error, stdout) => {
      resolve(error === null && stdout.includes('--pdeathsig') ? file : null);
    });
  });
}

/** setpriv's path when it can set a parent-death signal, else null; looked up once per process (PATH). */
export function deathSignalWrapper(): Promise<string | null> {
  found ??= find();
  return found;
}

/** The command to spawn: the binary itself, or the binary under `wrapper` with SIGKILL on parent death. */
export function withDeathSignal(
  wrapper: string | null,
  file: string,
  argv: readonly string[],
): [string, string[]] {
  return wrapper === null ? [file, [...argv]] : [wrapper, ['--pdeathsig', 'KILL', '--', file, ...argv]];
}

/**
 * When the binary could not be executed under setpriv (a missing interpreter, no exec permission), setpriv
 * says so on stderr and exits 127 (ENOENT) or 126: the error spawning it directly would have given.
 */
export function wrapperExecFailure(
  wrapper: string | null,
  code: number | null,
  stderr: string,
): NodeJS.ErrnoException | undefined {
  if (wrapper === null || (code !== 126 && code !== 127) || !stderr.startsWith('setpriv: ')) return undefined;
  const error: NodeJS.ErrnoException = new Error(stderr.trim());
  error.code = code === 127 ? 'ENOENT' : 'EACCES';
  return error;
}
