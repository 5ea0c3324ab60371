import type { AnyTool } from '@cloudmcp/toolkit';
import { accessTools } from './access.js';
import { apiResourceList, contextList, namespaceList } from './cluster.js';
import {
  type AnyKubeToolSpec,
  type KubeDeps,
  type KubeToolset,
  type KubeToolsOptions,
  materialize,
} from './define.js';
import { deploymentTools } from './deployments.js';
import { diagnosticsTools } from './diagnostics.js';
import { eventTools } from './events.js';
import { networkTools } from './network.js';
import { metricsTools, nodeTools } from './nodes.js';
import { podTools } from './pods.js';
import { resourceTools } from './resources.js';
import { namespaceGet } from './summary.js';

/** Every Kubernetes tool spec, in the order `tools/list` shows them. */
export const KUBE_TOOL_SPECS: readonly AnyKubeToolSpec[] = [
  contextList,
  namespaceList,
  apiResourceList,
  ...resourceTools,
  ...eventTools,
  ...nodeTools,
  ...podTools,
  ...deploymentTools,
  ...diagnosticsTools,
  namespaceGet,
  ...networkTools,
  ...metricsTools,
  ...accessTools,
];

export const KUBE_TOOLSETS: readonly KubeToolset[] = ['core', 'workloads', 'diagnostics', 'access'];

/**
 * The Kubernetes tools for a server, shaped for how it reaches clusters: with `multiTarget`, every tool
 * takes `context` (or `cluster`) to pick one; with a single target the argument is left out. Handlers find
 * their clusters in `ctx.deps.kube` (a `KubeTargets`).
 */
export function kubeTools(opts: KubeToolsOptions = {}): AnyTool<KubeDeps>[] {
  const toolsets = new Set(opts.toolsets ?? KUBE_TOOLSETS);
  const withContextList = opts.contextList ?? (opts.targetArg ?? 'context') === 'context';
  return KUBE_TOOL_SPECS.filter((spec) => toolsets.has(spec.toolset))
    .filter((spec) => spec.name !== 'context_list' || withContextList)
    .map((spec) => materialize(spec, opts));
}
