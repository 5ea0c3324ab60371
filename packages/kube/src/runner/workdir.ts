import { constants } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from './errors.js';
import { isGone, killGroupIf, ownStart, startOf } from './procs.js';

/**
 * Where each CLI call's files live, and how a dead server's are cleaned up:
 *
 *   <tempRoot, default the OS temp dir>/cloudmcp-<uid>/   0700, ours, not a symlink (checked, else refused)
 *     <pid>-<start>/                                      one per server process (start: see procs.ts)
 *       cloudmcp-kube-XXXXXX/                             one per call (0700): HOME, TMPDIR, cwd, `child`
 *
 * A call's dir is removed when the call ends. A server killed mid-call (SIGKILL, OOM) cannot do that, so the
 * first call of the next process under the same root (not its start-up, which touches nothing) removes
 * the `<pid>-<start>` dirs of processes that are gone, after SIGKILLing the process group of any CLI they
 * started that still runs (`child` holds its pid and start time; see procs.ts for reused pids). Removal
 * never follows a symlink: `fs.rm` unlinks links instead of descending into them.
 */

const CALL_PREFIX = 'cloudmcp-kube-';
const CHILD_RECORD = 'child';
const PROCESS_DIR = /^(\d+)-(\d+)$/;

/** Per root, this process's own dir once the root was checked and swept. */
const prepared = new Map<string, Promise<string>>();

function unsafe(path: string, why: string): CliError {
  return new CliError(
    undefined,
    `The CLI runner's temporary directory ${path} ${why}, so no command is run.`,
    'Remove it (it is recreated, private, on the next call) or point TMPDIR at a directory only this user can write.',
  );
}

/** Creates `path` 0700, or accepts it when it is already a directory of this user's, mode 0700. */
async function ownDir(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const info = await lstat(path);
  if (info.isSymbolicLink() || !info.isDirectory()) throw unsafe(path, 'is not a directory (a symlink?)');
  if (process.platform === 'win32') return;
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) throw unsafe(path, `belongs to uid ${info.uid}, not ${uid}`);
  if ((info.mode & 0o777) !== 0o700)
    throw unsafe(path, `has mode ${(info.mode & 0o777).toString(8)}, not 700`);
}

/** SIGKILLs what a gone process's calls still run, then removes its dir; best effort, never fails a call. */
async function removeLeftover(dir: string): Promise<void> {
  try {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !entry.name.startsWith(CALL_PREFIX)) continue;
      const record = await readRecord(join(dir, entry.name, CHILD_RECORD));
      if (record) await killGroupIf(record.pid, record.start);
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // another server swept it first, or it cannot be removed: it stays for the next sweep
  }
}

async function readRecord(path: string): Promise<{ pid: number; start: string } | undefined> {
  let text: string;
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = await readFile(handle, 'utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  const match = /^(\d+) (\d+)\n$/.exec(text);
  return match ? { pid: Number(match[1]), start: match[2]! } : undefined;
}

async function prepare(parent: string): Promise<string> {
  const root = join(parent, `cloudmcp-${process.getuid?.() ?? 'user'}`);
  await ownDir(root);
  const own = `${process.pid}-${await ownStart()}`;
  for (const name of await readdir(root)) {
    const match = PROCESS_DIR.exec(name);
    if (!match || name === own) continue;
    if (await isGone(Number(match[1]), match[2]!)) await removeLeftover(join(root, name));
  }
  return join(root, own);
}

export interface CallDir {
  /** The call's own directory (0700). */
  path: string;
  /** Notes the CLI's pid and start time, so a sweep can end it should this process die first. */
  recordChild(pid: number): Promise<void>;
  /** Removes the directory and everything in it. */
  remove(): Promise<void>;
}

/** A fresh directory for one call under `parent`'s per-user root; the first call per root sweeps it. */
export async function openCallDir(parent: string = tmpdir()): Promise<CallDir> {
  const key = resolve(parent);
  let own = prepared.get(key);
  if (own === undefined) {
    own = prepare(key);
    prepared.set(key, own);
    own.catch(() => prepared.delete(key)); // an unsafe root is checked again on the next call
  }
  const processDir = await own;
  // checked on every call: it is cheap, and the root may have been removed since
  await ownDir(join(processDir, '..'));
  await ownDir(processDir);
  const path = await mkdtemp(join(processDir, CALL_PREFIX));
  return {
    path,
    async recordChild(pid) {
      const start = await startOf(pid);
      if (start === null) return;
      const handle = await open(join(path, CHILD_RECORD), 'wx', 0o600);
      try {
        await handle.writeFile(`${pid} ${start}\n`);
      } finally {
        await handle.close();
      }
    },
    remove: () => rm(path, { recursive: true, force: true, maxRetries: 3 }),
  };
}
