import { type CliToolsOptions, cliTools, kubeTools, mapKubeError, warmCli } from '@cloudmcp/kube';
import type { AnyTool, ServerSpec } from '@cloudmcp/toolkit';
import type { OcmDeps } from './deps.js';
import { ocmPrompts } from './prompts.js';
import { SELECTOR_WORDING } from './targets.js';
import { clusters } from './tools/clusters.js';
import { connectTools } from './tools/connect.js';
import { FLEET_TOOLS } from './tools/fleet/index.js';
import { prometheusTool } from './tools/prometheus.js';
import { VERSION } from './version.js';

/** How the tools are shaped by the policy. */
export type OcmServerOptions = Pick<CliToolsOptions, 'readOnly' | 'disableDestructive' | 'confirm' | 'found'>;

export const DEFAULT_SERVER_OPTIONS: OcmServerOptions = {
  readOnly: false,
  disableDestructive: false,
  confirm: 'destructive',
};

/**
 * Every tool of the OCM server, in the order tools/list shows them: the seed's clusters and
 * connect_cluster (with disconnect_cluster), the fleet tools over OCM's own objects, prometheus, then the
 * Kubernetes tools and the CLI tools with a `cluster` argument (`hub`, the default, or a managed cluster;
 * the scans also take `*` and label selectors). kube leaves context_list out: `clusters` lists them.
 */
export function ocmTools(options: OcmServerOptions = DEFAULT_SERVER_OPTIONS): AnyTool<OcmDeps>[] {
  return [
    clusters as unknown as AnyTool<OcmDeps>,
    ...connectTools(options.readOnly),
    ...FLEET_TOOLS,
    prometheusTool as unknown as AnyTool<OcmDeps>,
    ...(kubeTools({
      targetArg: 'cluster',
      multiTarget: true,
      fanOutSelector: SELECTOR_WORDING,
    }) as AnyTool<OcmDeps>[]),
    ...(cliTools({
      ...options,
      targetArg: 'cluster',
      multiTarget: true,
      yamlArgument: true,
    }) as AnyTool<OcmDeps>[]),
  ];
}

const INSTRUCTIONS =
  'Tools for a fleet of Kubernetes clusters managed by an Open Cluster Management hub. `clusters` lists ' +
  'the managed clusters; pass a name as `cluster` to any Kubernetes tool (pod_list, event_list, ' +
  'resource_get…) or kubectl: the server connects on first use with a least-privilege role (`view` by ' +
  'default); connect_cluster picks another allowed role, disconnect_cluster removes the access. Without ' +
  '`cluster` a tool runs on the hub. Scans (pods_not_ready, pods_crashlooping…) take `*` (hub and every ' +
  'connected cluster) or a label selector (`env=prod`). Fleet objects: manifestwork_*, placement_*, ' +
  'clusterset_list, addon_list; metrics: prometheus. kubectl, helm, istioctl and argocd run one command ' +
  'each (no shell).';

const specs = new Map<string, ServerSpec<OcmDeps>>();

/** The server for one policy shape (the same object for the same options). */
export function ocmServer(options: OcmServerOptions = DEFAULT_SERVER_OPTIONS): ServerSpec<OcmDeps> {
  const key = JSON.stringify([
    options.readOnly,
    options.disableDestructive,
    options.confirm,
    // which of the CLIs were found decides whether istioctl and argocd are listed
    options.found ? Object.values(options.found).map(Boolean) : null,
  ]);
  let spec = specs.get(key);
  if (!spec) {
    spec = {
      name: 'ocm-mcp',
      version: VERSION,
      instructions: INSTRUCTIONS,
      prompts: ocmPrompts,
      tools: ocmTools(options),
      // a read-scope OAuth caller (and --read-only) gets the kubectl/helm that run only reading commands
      readOnlyTools: ocmTools({ ...options, readOnly: true }),
      mapError: (error) => mapKubeError(error),
      // client-node and the CLI probe load after the first tools/list, not on the first call
      warm: (deps) => Promise.all([deps.kube.warm(), warmCli()]).then(() => undefined),
    };
    specs.set(key, spec);
  }
  return spec;
}
