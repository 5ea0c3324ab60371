import { statSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * How a call's kubeconfig (server credentials) reaches the CLI.
 *
 * Linux: the file is created 0600 with O_EXCL in the call's 0700 dir, opened, and unlinked at once, before
 * anything is written to it; the credentials go into the open, nameless file, which the child gets as
 * fd 3 with the path `/dev/fd/3`. On Linux, opening /dev/fd/N of a regular file opens the file again from
 * its start (a link to the file, not a dup of the descriptor), so a CLI that reads its kubeconfig several
 * times works: checked with kubectl 1.35 (`get`, `apply -f -`, `config view`, `auth whoami`) and helm 4
 * (`list`, `install` of a local chart, `--wait`) against kube-sim. No file names the credentials while the
 * child runs, and the kernel frees them with the last descriptor, however the server ends.
 *
 * Elsewhere (macOS and the BSDs dup the descriptor instead, sharing its offset, so a second read would
 * find nothing; a Linux without /dev/fd): today's named file in the call's dir, which lives as long as
 * the call (and, if the server is killed, until the next server's first call sweeps it; see workdir.ts).
 */

/** The child's descriptor for the kubeconfig when it is passed by descriptor. */
export const KUBECONFIG_FD = 3;

export interface KubeconfigHandoff {
  /** What the child is told (`KUBECONFIG`, istioctl's `--kubeconfig`): `/dev/fd/3` or the file's path. */
  path: string;
  /** Our descriptor of the nameless file, to give the child as its fd 3; undefined for a named file. */
  fd: number | undefined;
  /** Closes our descriptor (the child keeps its own). */
  close(): Promise<void>;
}

let descriptors: boolean | undefined;

/** Whether this machine passes kubeconfigs by descriptor; asked once, on the first call. */
export function byDescriptor(): boolean {
  if (descriptors === undefined) {
    try {
      descriptors = process.platform === 'linux' && statSync('/dev/fd').isDirectory();
    } catch {
      descriptors = false;
    }
  }
  return descriptors;
}

/** Writes `yaml` for one call in `dir` (0700, the call's own), by descriptor when `descriptor`. */
export async function handOffKubeconfig(
  dir: string,
  yaml: string,
  descriptor: boolean = byDescriptor(),
): Promise<KubeconfigHandoff> {
  const path = join(dir, 'kubeconfig');
  const handle = await open(path, 'wx', 0o600);
  try {
    if (descriptor) await unlink(path);
    await handle.writeFile(yaml, 'utf8');
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (descriptor) {
    return { path: `/dev/fd/${KUBECONFIG_FD}`, fd: handle.fd, close: () => handle.close() };
  }
  await handle.close();
  return { path, fd: undefined, close: async () => {} };
}
