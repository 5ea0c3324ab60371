import { ToolError } from '@cloudmcp/toolkit';

/** The command-line tools the runner knows. */
export type CliTool = 'kubectl' | 'helm' | 'istioctl' | 'argocd';

/** Every tool the runner knows, in a stable order. */
export const CLI_TOOLS: readonly CliTool[] = ['kubectl', 'helm', 'istioctl', 'argocd'];

/** Where to get each tool. */
export const CLI_INSTALL_HINTS: Readonly<Record<CliTool, string>> = {
  kubectl: 'https://kubernetes.io/docs/tasks/tools/#kubectl',
  helm: 'https://helm.sh/docs/intro/install/',
  istioctl: 'https://istio.io/latest/docs/ops/diagnostic-tools/istioctl/',
  argocd: 'https://argo-cd.readthedocs.io/en/stable/cli_installation/',
};

/** Base class of every runner error: a {@link ToolError} (one-line cause and a next step) naming the tool. */
export class CliError extends ToolError {
  /** The tool the command was for; undefined when tokenising without a tool. */
  readonly tool: CliTool | undefined;

  constructor(tool: CliTool | undefined, message: string, next?: string) {
    super(message, next ? { next } : {});
    this.name = 'CliError';
    this.tool = tool;
  }
}

/**
 * Why a command was refused:
 * - `syntax`: unbalanced quotes, an empty command, a trailing backslash;
 * - `shell`: shell syntax the runner never interprets (`|`, `;`, `&&`, `>`, `$()`, backticks, `$VAR`…);
 * - `tool`: the command names another tool (`helm …` given to the kubectl tool);
 * - `verb`: a command that is never run (`kubectl exec`, `helm plugin install`, `argocd login`…);
 * - `unknown-verb`: a command the policy does not know (plugins run as unknown commands);
 * - `option`: an option that is not on the command's allowlist (`--foo`, or one the tool does not have);
 * - `flag`: a credential-bearing option (`--token`, `--server`, `--kubeconfig`…), one that runs a program
 *   (`--post-renderer`, `--helm-command`), or one that a command must not get (`config view --raw`, `run -it`,
 *   `--edit`);
 * - `target`: an option that picks or rewires the cluster (`--context`, `--cluster`, `--user`,
 *   `--kube-context`), which the runner's own `context` argument chooses;
 * - `verbose`: a log level or debug switch that prints request and response bodies (`-v=6` and above,
 *   `--vmodule`, helm `--debug`, argocd `--loglevel debug`);
 * - `read-only`: a command that changes something while the server is read-only;
 * - `secrets`: output that would show Secret values (`-o jsonpath` on Secrets, `helm get values`,
 *   `helm install --dry-run=server`…) while they are not allowed;
 * - `local-file`: an option, argument or command that reads or writes files on the server's own disk;
 * - `url`: a URL the tool would fetch that is not among the allowed ones, or is not written plainly;
 * - `input`: a bad runner argument (a namespace that is not a DNS label).
 */
export type CliRefusalKind =
  | 'syntax'
  | 'shell'
  | 'tool'
  | 'verb'
  | 'unknown-verb'
  | 'option'
  | 'flag'
  | 'target'
  | 'verbose'
  | 'read-only'
  | 'secrets'
  | 'local-file'
  | 'url'
  | 'input';

/** A command the runner will not run, with why and what to do instead (`details.next`). */
export class CliRefused extends CliError {
  readonly kind: CliRefusalKind;
  /** What was refused: the character, flag or command, as the user wrote it. */
  readonly refused: string;

  constructor(
    tool: CliTool | undefined,
    kind: CliRefusalKind,
    refused: string,
    message: string,
    next?: string,
  ) {
    super(tool, message, next);
    this.name = 'CliRefused';
    this.kind = kind;
    this.refused = refused;
  }
}

/** The tool's binary is not installed (or not executable) where the runner looked. */
export class CliNotFound extends CliError {
  /** The binary looked for: a name searched on PATH or an explicit path. */
  readonly binary: string;

  constructor(tool: CliTool, binary: string, where: string) {
    super(
      tool,
      `\`${tool}\` is not installed on the machine running this server: no executable \`${binary}\` ${where}.`,
      `Install ${tool} (${CLI_INSTALL_HINTS[tool]}) so that it is on the server's PATH, or configure its location, then try again.`,
    );
    this.name = 'CliNotFound';
    this.binary = binary;
  }
}

/** The binary exists but could not be started (a broken interpreter line, a wrong architecture…). */
export class CliStartError extends CliError {
  readonly binary: string;
  readonly code: string | undefined;

  constructor(tool: CliTool, binary: string, cause: NodeJS.ErrnoException) {
    super(
      tool,
      `Could not start \`${tool}\` (${binary}): ${cause.code ?? cause.message}.`,
      `Check that ${binary} is a working ${tool} binary for this machine (run \`${tool} version\` on the server), or reinstall it (${CLI_INSTALL_HINTS[tool]}).`,
    );
    this.name = 'CliStartError';
    this.binary = binary;
    this.code = cause.code;
  }
}

/** The call was cancelled (the MCP request's AbortSignal); the process was stopped and its files removed. */
export class CliAborted extends CliError {
  constructor(tool: CliTool) {
    super(tool, `The \`${tool}\` call was cancelled; the process was stopped.`);
    this.name = 'CliAborted';
  }
}
