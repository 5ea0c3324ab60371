import {
  type CliToolsOptions,
  cliTools,
  impersonatingTools,
  kubeTools,
  mapKubeError,
  warmCli,
} from '@cloudmcp/kube';
import type { AnyTool, ServerSpec } from '@cloudmcp/toolkit';
import type { OkeDeps } from './deps.js';
import { loadContainerEngine } from './oci/sdk.js';
import { clusterGet, clusterList, compartmentList, kubeconfigGet } from './tools/clusters.js';
import { nodePoolGet, nodePoolList, nodePoolScale } from './tools/node-pools.js';
import { authRefresh, defaultsGet, defaultsSet, environmentGet } from './tools/settings.js';
import { workRequestGet, workRequestList } from './tools/work-requests.js';
import { VERSION } from './version.js';

/** How the tools are shaped by the policy. */
export type OkeServerOptions = Pick<CliToolsOptions, 'readOnly' | 'disableDestructive' | 'confirm' | 'found'>;

export const DEFAULT_SERVER_OPTIONS: OkeServerOptions = {
  readOnly: false,
  disableDestructive: false,
  confirm: 'destructive',
};

/** The OCI tools, in the order tools/list shows them. */
const OCI_TOOLS = [
  compartmentList,
  clusterList,
  clusterGet,
  nodePoolList,
  nodePoolGet,
  nodePoolScale,
  workRequestList,
  workRequestGet,
  kubeconfigGet,
  defaultsGet,
  defaultsSet,
  authRefresh,
  environmentGet,
] as AnyTool<OkeDeps>[];

/**
 * Every tool of the OKE server: the OCI tools, then the Kubernetes tools and the CLI tools with a `cluster`
 * argument (a name or OCID; `*` on the scans asks the default compartment's clusters and every other
 * cluster seen). kube leaves context_list out for
 * `cluster` targets: cluster_list lists OCI's clusters.
 *
 * With `--impersonate-caller` (the settings in `deps.impersonation`) the cluster tools act as their caller;
 * the OCI tools act as the server's OCI identity, as before (OCI has no impersonation).
 */
export function okeTools(options: OkeServerOptions = DEFAULT_SERVER_OPTIONS): AnyTool<OkeDeps>[] {
  const clusterTools = [
    ...(kubeTools({ targetArg: 'cluster', multiTarget: true }) as AnyTool<OkeDeps>[]),
    ...(cliTools({ ...options, targetArg: 'cluster', multiTarget: true }) as AnyTool<OkeDeps>[]),
  ];
  return [...OCI_TOOLS, ...impersonatingTools(clusterTools, (deps: OkeDeps) => deps.impersonation)];
}

const INSTRUCTIONS =
  'Tools for Oracle Kubernetes Engine (OKE). cluster_list shows the clusters of a compartment (compartment_list ' +
  'the compartments); pass a cluster name or OCID as `cluster` to any Kubernetes tool (namespace_list, ' +
  'pod_list, pod_logs, event_list, resource_get, deployment_scale…; `*` on the scans asks every cluster). ' +
  'Node pools: node_pool_list, node_pool_get (nodes), node_pool_scale (follows its work request). ' +
  'defaults_get shows the compartment and cluster used when a call names none. On a 401 from OCI: auth_refresh ' +
  'after `oci session refresh`; environment_get shows the identity. kubectl, helm, istioctl and argocd run one ' +
  'command each (no shell) against a cluster.';

const specs = new Map<string, ServerSpec<OkeDeps>>();

/** The server for one policy shape (the same object for the same options). */
export function okeServer(options: OkeServerOptions = DEFAULT_SERVER_OPTIONS): ServerSpec<OkeDeps> {
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
      name: 'oke-mcp',
      version: VERSION,
      instructions: INSTRUCTIONS,
      tools: okeTools(options),
      // a read-scope OAuth caller (and --read-only) gets the kubectl/helm that run only reading commands
      readOnlyTools: okeTools({ ...options, readOnly: true }),
      mapError: (error) => mapKubeError(error),
      // the OCI SDK, client-node and the CLI probe load after the first tools/list, while the user is still
      // typing, not on the first call (as the Kubernetes server warms client-node)
      warm: (deps) => Promise.all([loadContainerEngine(), deps.kube.warm(), warmCli()]).then(() => undefined),
    };
    specs.set(key, spec);
  }
  return spec;
}
