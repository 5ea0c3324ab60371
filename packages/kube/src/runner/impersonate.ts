import { parse as parseYaml } from 'yaml';
import type { Impersonation } from '../impersonation.js';
import { CliRefused, type CliTool } from './errors.js';

/** What a kubeconfig user may say about impersonation (client-go's AuthInfo), which our flags must not meet. */
const KUBECONFIG_IMPERSONATION = ['as', 'as-groups', 'as-uid', 'as-user-extra'];

/**
 * The arguments that make one command act as the current call's caller, put before the model's (which can
 * hold no `--as`, `--as-group`, `--kube-as-user`…: the policy refuses them), or a refusal for a tool that
 * cannot act as someone else:
 * - kubectl `--as`/`--as-group`, helm `--kube-as-user`/`--kube-as-group`, argocd `--as`/`--as-group` (its
 *   `--core` mode talks to the API server through client-go, whose flags these are);
 * - argocd with `ARGOCD_SERVER` talks to the Argo CD API server with the operator's token: refused;
 * - istioctl has no impersonation flags at all (only `--context`, `--kubeconfig`, `-i`, `-n`): refused.
 * A kubeconfig whose user impersonates by itself (`as:`, `as-groups:`) is refused too: client-go keeps its
 * `as-groups` when only `--as` is given, which would add groups the caller does not have.
 */
export function impersonationArgs(
  tool: CliTool,
  impersonation: Impersonation,
  context: { kubeconfig: string | undefined; env: Readonly<Record<string, string | undefined>> },
): string[] {
  const refuse = (why: string, next: string): never => {
    throw new CliRefused(
      tool,
      'flag',
      tool,
      `The ${tool} tool cannot run here: this server acts as its caller on the cluster, and ${why}.`,
      next,
    );
  };
  if (tool === 'istioctl') {
    refuse(
      'istioctl has no option to act as another user (no --as), so it would run as the server itself',
      'Use the kubectl tool or the typed tools, which run as you.',
    );
  }
  if (tool === 'argocd' && context.env['ARGOCD_SERVER'] !== undefined) {
    refuse(
      'argocd talks to the Argo CD API server with the operator’s token, which cannot act as you',
      'Use the kubectl tool on the Argo CD resources (applications.argoproj.io), which runs as you.',
    );
  }
  if (context.kubeconfig !== undefined && impersonatesByItself(context.kubeconfig)) {
    refuse(
      'the kubeconfig user already impersonates someone (`as:` or `as-groups:`)',
      'The operator has to remove `as`/`as-groups` from the server’s kubeconfig user.',
    );
  }
  const [user, group] = tool === 'helm' ? ['--kube-as-user', '--kube-as-group'] : ['--as', '--as-group'];
  return [`${user}=${impersonation.user}`, ...impersonation.groups.map((g) => `${group}=${g}`)];
}

function impersonatesByItself(kubeconfig: string): boolean {
  let doc: unknown;
  try {
    doc = parseYaml(kubeconfig);
  } catch {
    return false; // the tool reports an unreadable kubeconfig itself
  }
  const users = (doc as { users?: Array<{ user?: Record<string, unknown> }> } | null)?.users;
  return (Array.isArray(users) ? users : []).some((u) =>
    KUBECONFIG_IMPERSONATION.some((key) => u?.user?.[key] !== undefined),
  );
}
