export type { Caller } from './caller.js';
export { loadServerConfig, policyFrom, runServerCli, type ServerCliSpec } from './cli.js';
export {
  type CommonConfig,
  ConfigError,
  commonConfigSchema,
  type HttpListen,
  parseListen,
} from './config.js';
export { confirmField } from './confirm.js';
export { routeConsoleToLogger } from './console.js';
export { badInput, ToolError, type ToolErrorDetails, toErrorResult } from './errors.js';
export { helpText, toolListText } from './help.js';
export {
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  parseRetryAfter,
  UpstreamError,
  type UpstreamErrorKind,
} from './http.js';
export { InflightCalls } from './inflight.js';
export {
  createLogger,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  type LogSink,
} from './logger.js';
export { type Metrics, NO_METRICS, type ToolOutcome } from './metrics.js';
export {
  DEFAULT_READ_SCOPE,
  DEFAULT_WRITE_SCOPE,
  type OAuthOptionValues,
  type OAuthSettings,
  oauthSettingsFrom,
} from './oauth/settings.js';
export { COMMON_OPTIONS, camelCase, type OptionSpec } from './options.js';
export {
  cursorOffset,
  type OffsetPage,
  type PageLimits,
  page,
  pageInput,
  pageOutput,
  RESUME,
} from './pagination.js';
export { DEFAULT_POLICY, type Policy, selectTools, type ToolSelection } from './policy.js';
export { type PollOptions, type PollOutcome, type PollStatus, poll } from './poller.js';
export { PORTABLE_FORMATS, portabilityIssues, portableInputSchema } from './portable-schema.js';
export { type AnyPrompt, definePrompt, type PromptDefinition } from './prompt.js';
export { DEFAULT_RENDER, type RenderSettings, renderToolResult } from './render.js';
export { currentRequest, metrics, type RequestContext } from './request-context.js';
export {
  argumentsDigest,
  type ConfirmState,
  createStateSeal,
  type StateSeal,
  type StateSealOptions,
} from './request-state.js';
export {
  reserveSecretFile,
  SECRET_FILE_NAME,
  type SecretDir,
  type SecretDirWords,
  type SecretFile,
  secretDirFrom,
  secretFileName,
} from './secret-dir.js';
export { type SeedListenVariables, withSeedListen } from './seed-listen.js';
export { createToolServer, type RuntimeOptions, type ServerSpec, type ToolServerFactory } from './server.js';
export { cappedText, nonEmptyText } from './text-input.js';
export {
  ANNOTATIONS,
  type AnyTool,
  defineTool,
  type ProgressUpdate,
  type ToolAnnotations,
  type ToolContext,
  type ToolDefinition,
  type ToolRender,
  type Transport,
} from './tool.js';
export type { ToolsetDescriptions } from './toolsets.js';
export {
  type Authenticator,
  type AuthFailureReason,
  type AuthResult,
  bearerTokenAuthenticator,
} from './transports/auth.js';
export { type OAuthAuthenticatorOptions, oauthAuthenticator } from './transports/auth-oauth.js';
export type { HttpHandle, HttpServeOptions } from './transports/http.js';
export { DEFAULT_HTTP_LIMITS, type HttpLimits } from './transports/http-limits.js';
export { serveHttp, serveStdio } from './transports/lazy.js';
export { DEFAULT_YAML_INPUT_LIMITS, parseYamlInput, type YamlInputLimits } from './yaml-input.js';
