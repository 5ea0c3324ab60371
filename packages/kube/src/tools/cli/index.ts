export {
  type CliKubeconfigs,
  documentKubeconfigs,
  type KubeconfigOrigin,
  singleContext,
} from './kubeconfigs.js';
export { type CliOutput, cliOutput } from './result.js';
export {
  type CliDeps,
  type CliSettings,
  type CliToolsOptions,
  cliTool,
  cliTools,
  foundOption,
  withFoundClis,
} from './tool.js';
