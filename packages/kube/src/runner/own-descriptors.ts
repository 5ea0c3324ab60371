import type { CheckContext } from './policy.js';

/**
 * Paths through which a CLI would read open files, its own or the server's: the kubeconfig is the child's
 * fd 3 (`/dev/fd/3`, see descriptor.ts), and the server holds every running call's open too. Refused even
 * when local files are allowed, since they are not files on the disk but calls' credentials.
 *
 * Every such path walks through a directory entry named `fd` (`/dev/fd`, `/proc/PID/fd`,
 * `/proc/thread-self/fd`, `/proc/PID/task/TID/fd`) or `stdin`/`stdout`/`stderr` (`/dev/stdin` links to
 * `/proc/self/fd/0`): the kernel resolves each name as written, and `..` cannot make one. So any path with
 * such a segment is refused, however it is spelt (`//dev//fd/3`, `/dev/./fd/3`, `/dev/fd/../fd/3`,
 * `/proc/self/root/dev/fd/3`, `/dev/fd/../../PID/fd/5`, `../../dev/fd/3`). Links someone made on the
 * server's disk are the operator's files, not the caller's.
 */
const OWN = new Set(['fd', 'stdin', 'stdout', 'stderr']);

/**
 * Whether `value` names such a path, alone or as a part of a list or a `key=path` pair (`-f a,/dev/fd/3`,
 * `--from-file=k=/dev/fd/3`, `--set-file k=/proc/self/fd/3`, `-o jsonpath-file=/dev/fd/3`).
 */
export function namesOwnDescriptor(value: string): boolean {
  // a first segment is a name in the call's empty working directory (`-f fd`, a release named `stdin`)
  return value.split(/[,=]/).some((piece) => piece.split('/').some((s, i) => i > 0 && OWN.has(s)));
}

/** Refuses an option or argument whose value names such a path. */
export function refuseOwnDescriptor(ctx: CheckContext, shown: string, value: string): void {
  if (!namesOwnDescriptor(value)) return;
  ctx.refuse(
    'local-file',
    shown,
    `\`${value}\` names an open file of the ${ctx.tool} process or the server (\`/dev/fd/…\`, \`/dev/stdin\`, \`/proc/…\`), where the call's kubeconfig credentials are`,
    'Pass the content as stdin with `-` instead.',
  );
}
