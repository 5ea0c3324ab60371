import { readFile } from 'node:fs/promises';

/**
 * Telling a process apart from a later one that got the same pid. On Linux a process is its pid plus its
 * start time (field 22 of `/proc/<pid>/stat`, clock ticks since boot), which no later process shares.
 * Without procfs (another OS, /proc not mounted) only the pid is known, so a pid in use counts as the same
 * process: that keeps a leftover longer than needed, never removes a live one's.
 */

/** `/proc/<pid>/stat`'s start time, or null when there is no such process or it is a zombie (exited). */
async function procStart(pid: number | 'self'): Promise<string | null> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // the command name (field 2) is in parentheses and may hold spaces and ')': fields 3… follow the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return fields[19] ?? null;
}

let procfs: Promise<boolean> | undefined;

/** Whether start times can be read here; asked once. */
function hasProcfs(): Promise<boolean> {
  procfs ??= procStart('self').then((start) => start !== null);
  return procfs;
}

/** This process's start token: its procfs start time, else the time it started (unique to it). */
export async function ownStart(): Promise<string> {
  return (await procStart('self')) ?? String(Math.floor(performance.timeOrigin));
}

/** The start token of a running process, for {@link isGone} and {@link killGroupIf}; null without procfs. */
export async function startOf(pid: number): Promise<string | null> {
  return (await hasProcfs()) ? await procStart(pid) : null;
}

/** Whether the process that was `pid` started at `start` has ended. */
export async function isGone(pid: number, start: string): Promise<boolean> {
  if (await hasProcfs()) return (await procStart(pid)) !== start;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * SIGKILLs the process group led by `pid` when its leader is still the process that started at `start`
 * (checked on procfs only: without it a reused pid cannot be told apart, so nothing is sent).
 */
export async function killGroupIf(pid: number, start: string): Promise<void> {
  if ((await startOf(pid)) !== start) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ended in between
  }
}
