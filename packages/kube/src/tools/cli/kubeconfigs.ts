import type { KubeconfigDocument } from '../../targets.js';

/** Whose kubeconfig a CLI command ran with. */
export type KubeconfigOrigin = 'server' | 'argument' | 'header';

/**
 * The kubeconfigs the CLI tools run commands with: for each target, a document holding only that target's
 * context, cluster and user. A command can then reach no other cluster and pair no other credentials
 * (`--cluster`, `--user`, `--context` have nothing else to name), whatever the policy missed.
 */
export interface CliKubeconfigs {
  readonly origin: KubeconfigOrigin;
  /** It came from a request (a header, an argument): its servers are checked before a CLI talks to them. */
  readonly untrusted: boolean;
  /** Target names, in order. */
  names(): string[];
  /** The target used when a call names none. */
  defaultTarget(): string | undefined;
  /** The one-target kubeconfig (current-context set), or undefined when there is no such target. */
  forTarget(name: string, signal?: AbortSignal): Promise<KubeconfigDocument | undefined>;
}

/** A copy of `doc` holding only `context` and the cluster and user it names, with it current. */
export function singleContext(doc: KubeconfigDocument, context: string): KubeconfigDocument | undefined {
  const ctx = (doc.contexts ?? []).find((c) => c.name === context);
  if (!ctx) return undefined;
  const cluster = (doc.clusters ?? []).find((c) => c.name === ctx.context?.cluster);
  const user = (doc.users ?? []).find((u) => u.name === ctx.context?.user);
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: cluster ? [cluster] : [],
    users: user ? [user] : [],
    contexts: [ctx],
    'current-context': context,
  };
}

/** The contexts of one kubeconfig document as CLI targets. */
export function documentKubeconfigs(
  doc: KubeconfigDocument,
  opts: { origin: KubeconfigOrigin; untrusted: boolean; defaultTarget?: string },
): CliKubeconfigs {
  const names = (doc.contexts ?? []).map((c) => c.name);
  const current = doc['current-context'];
  const fallback = current !== undefined && names.includes(current) ? current : names[0];
  const preferred = opts.defaultTarget !== undefined && names.includes(opts.defaultTarget);
  return {
    origin: opts.origin,
    untrusted: opts.untrusted,
    names: () => names,
    defaultTarget: () => (preferred ? opts.defaultTarget : fallback),
    forTarget: async (name) => singleContext(doc, name),
  };
}
