// A target's server, namespace and credentials, from a kubeconfig document without client-node (OCM's
// Prometheus endpoint can build its KubeClient from one).
export { type KubeConnection, kubeConfigConnection, leanConnection } from './auth/connection.js';
export {
  CLI_OPTIONS,
  type CliConfig,
  type CliSettingsContext,
  cliConfigShape,
  cliSettings,
  type ImpersonationConfig,
  impersonationSettings,
  refuseImpersonation,
} from './cli-options.js';
export {
  FIELD_MANAGER,
  KubeClient,
  type KubeClientOptions,
  type KubeList,
  type KubeObject,
  type KubeResponse,
  type KubeTable,
  type ListOptions,
  type RequestOptions,
  type ResourceType,
  splitTypeName,
  TYPES,
} from './client.js';
export {
  type ErrorHints,
  KubeApiError,
  type KubeRequestInfo,
  type KubeStatus,
  KubeTransportError,
  kubeToolError,
  mapKubeError,
} from './errors.js';
export {
  actingAs,
  currentImpersonation,
  DEFAULT_IMPERSONATION_PREFIX,
  type Impersonation,
  type ImpersonationSettings,
  impersonatingTools,
  impersonationHeaders,
  impersonationOf,
  impersonationPrefixProblem,
  MAX_IMPERSONATED_GROUPS,
  MAX_IMPERSONATED_NAME,
} from './impersonation.js';
export * from './kubeconfig/index.js';
export {
  type LabelOperator,
  type LabelRequirement,
  LabelSelectorError,
  type LabelSelectorObject,
  matchesLabels,
  objectRequirements,
  parseLabelSelector,
} from './label-selector.js';
export { closeNames } from './names.js';
export { podStatus } from './pods.js';
export * from './runner/index.js';
export {
  type KubeconfigDocument,
  type KubeconfigSource,
  KubeTargets,
  type KubeTargetsOptions,
  loadClientNode,
  type ResolvedTarget,
  type TargetInfo,
} from './targets.js';
export * from './tools/cli/index.js';
// For servers' own list tools over the API (OCM's clusters and fleet tools): the same ages, cleaned
// objects and cursor contract as the Kubernetes tools.
export { age, clean, type KubePage, kubePage, withPage } from './tools/common.js';
export { mapLimit } from './tools/concurrency.js';
export {
  type AnyKubeToolSpec,
  type KubeCall,
  type KubeDeps,
  type KubeToolSpec,
  type KubeToolset,
  type KubeToolsOptions,
  kubeTool,
} from './tools/define.js';
export { KUBE_TOOL_SPECS, KUBE_TOOLSETS, kubeTools } from './tools/index.js';
