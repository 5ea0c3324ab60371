import {
  type CliToolsOptions,
  cliTools,
  type ImpersonationSettings,
  impersonatingTools,
  kubeTools,
  mapKubeError,
  warmCli,
} from '@cloudmcp/kube';
import type { AnyTool, ServerSpec } from '@cloudmcp/toolkit';
import type { KubernetesDeps } from './deps.js';
import { kubernetesPrompts } from './prompts.js';
import { VERSION } from './version.js';

/**
 * How the server's tools are shaped: by the kubeconfig (one context or several), the policy, and whether
 * they act as their caller on the cluster (`--impersonate-caller`).
 */
export type KubernetesServerOptions = Pick<
  CliToolsOptions,
  'multiTarget' | 'readOnly' | 'disableDestructive' | 'confirm' | 'found'
> & { impersonation?: ImpersonationSettings };

/** One context, no policy: the shape `--help` and library users get when they say nothing. */
export const DEFAULT_SERVER_OPTIONS: KubernetesServerOptions = {
  multiTarget: false,
  readOnly: false,
  disableDestructive: false,
  confirm: 'destructive',
};

/**
 * Every tool of the Kubernetes server, in the order `tools/list` shows them: the kube toolset over the
 * kubeconfig's contexts (with `context` when there are several), then the four CLI tools of the seed.
 */
export function kubernetesTools(
  options: KubernetesServerOptions = DEFAULT_SERVER_OPTIONS,
): AnyTool<KubernetesDeps>[] {
  const { impersonation, ...shape } = options;
  const tools = [
    ...(kubeTools({ targetArg: 'context', multiTarget: shape.multiTarget }) as AnyTool<KubernetesDeps>[]),
    ...(cliTools({
      ...shape,
      targetArg: 'context',
      kubeconfigArgument: true,
    }) as AnyTool<KubernetesDeps>[]),
  ];
  return impersonation ? impersonatingTools(tools, impersonation) : tools;
}

const INSTRUCTIONS =
  'Tools for the Kubernetes clusters of a kubeconfig. context_list shows the contexts and the default; pass ' +
  '`context` to pick another. Start broad (namespace_list, pod_list, deployment_list, event_list), then ' +
  'narrow (pod_get, pod_logs, resource_get). For a sick workload: pods_crashlooping, pods_not_ready, ' +
  'probe_failures, top_pods. Changes: resource_apply (server-side apply, dry_run first), deployment_scale, ' +
  'deployment_restart. When a call is refused (403), ask can_i. The kubectl, helm, istioctl and argocd tools ' +
  'run one command each (no shell); prefer the typed tools, whose output is compact and paged.';

const specs = new Map<string, ServerSpec<KubernetesDeps>>();

/** The server for one shape (the same object for the same options, so tool lists are computed once). */
export function kubernetesServer(
  options: KubernetesServerOptions = DEFAULT_SERVER_OPTIONS,
): ServerSpec<KubernetesDeps> {
  const key = JSON.stringify([
    options.multiTarget,
    options.readOnly,
    options.disableDestructive,
    options.confirm,
    options.impersonation ?? null,
    // which of the CLIs were found decides whether istioctl and argocd are listed
    options.found ? Object.values(options.found).map(Boolean) : null,
  ]);
  let spec = specs.get(key);
  if (!spec) {
    spec = {
      name: 'kubernetes-mcp',
      version: VERSION,
      instructions: INSTRUCTIONS,
      tools: kubernetesTools(options),
      // a read-scope OAuth caller (and --read-only) gets the kubectl/helm that run only reading commands
      readOnlyTools: kubernetesTools({ ...options, readOnly: true }),
      prompts: kubernetesPrompts,
      mapError: (error) => mapKubeError(error),
      // @kubernetes/client-node is a large module, and the CLI runner probes setpriv/timeout once: do both
      // while the user is still typing, not on the first call
      warm: (deps) => Promise.all([deps.kube.warm(), warmCli()]).then(() => undefined),
    };
    specs.set(key, spec);
  }
  return spec;
}
