export { type DetectClisOptions, detectClis, type WhichOptions, which } from './discover.js';
export {
  CLI_INSTALL_HINTS,
  CLI_TOOLS,
  CliAborted,
  CliError,
  CliNotFound,
  type CliRefusalKind,
  CliRefused,
  CliStartError,
  type CliTool,
} from './errors.js';
export {
  type CheckContext,
  type CheckOptions,
  type CliAccess,
  type CommandCheck,
  checkCommand,
  type FlagUse,
  listVerbs,
  type SourceOption,
} from './policy.js';
export { type CliRedactOptions, kubeconfigSecrets, redactCliOutput } from './redact.js';
export {
  type CliResult,
  DEFAULT_CLI_MAX_OUTPUT_BYTES,
  DEFAULT_CLI_TIMEOUT_MS,
  type RunCliOptions,
  runCli,
  warmCli,
} from './run.js';
export { quoteArgs, tokenize } from './tokenize.js';
