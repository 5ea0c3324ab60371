import {
  CLI_TOOLS,
  type CliResult,
  type CliTool,
  checkCommand,
  type KubeconfigDocument,
  quoteArgs,
  runCli,
  tokenize,
} from '@cloudmcp/kube';
import {
  ANNOTATIONS,
  type AnyTool,
  badInput,
  defineTool,
  type ToolAnnotations,
  type ToolContext,
  ToolError,
} from '@cloudmcp/toolkit';
import { z } from 'zod';
import { headerRejected, type KubernetesDeps } from '../deps.js';
import {
  contextNames,
  decodeUntrustedKubeconfig,
  defaultContext,
  kubeconfigYaml,
  UntrustedKubeconfigError,
} from '../kubeconfig.js';

/** How the four CLI tools are shaped for a server's policy. */
export interface CliToolsOptions {
  /** Add a `context` argument (several contexts, or HTTP where a request may bring several). */
  multiTarget: boolean;
  /**
   * `--read-only`: the tools are read-only variants (readOnlyHint) and the runner refuses every command that
   * changes something (dry runs still work).
   */
  readOnly: boolean;
  /** `--disable-destructive`: deleting commands (`delete`, `drain`, `uninstall`…) are refused. */
  disableDestructive: boolean;
  /** `--confirm destructive`: deleting commands ask the user first (the toolkit's `ctx.confirmDestructive`). */
  confirm: 'destructive' | 'never';
}

const ABOUT: Record<CliTool, { title: string; what: string; examples: string; toolsHint: string }> = {
  kubectl: {
    title: 'Run kubectl',
    what: 'Runs one kubectl command against a cluster of the kubeconfig and returns its output.',
    examples:
      '`get pods -o wide`, `describe deployment web`, `logs web-7d4b9 --tail=50`, `rollout status ' +
      'deployment/web`, `apply -f -` with the manifest as `stdin`, `auth can-i delete pods`',
    toolsHint:
      'For lists and diagnostics prefer the typed tools (pod_list, resource_get, event_list, ' +
      'pods_crashlooping…): their output is compact and paged.',
  },
  helm: {
    title: 'Run helm',
    what: 'Runs one helm command (releases, charts, repositories) against a cluster of the kubeconfig.',
    examples:
      '`list -A`, `status web`, `history web`, `get values web`, `upgrade web oci://… --version 1.2.3`, ' +
      '`rollback web 3`',
    toolsHint: 'Release manifests are redacted where they hold Secrets.',
  },
  istioctl: {
    title: 'Run istioctl',
    what: 'Runs one istioctl command (Istio service mesh) against a cluster of the kubeconfig.',
    examples: '`proxy-status`, `analyze -A`, `proxy-config routes deploy/web -n shop`, `version`',
    toolsHint: 'Needs istioctl installed where this server runs.',
  },
  argocd: {
    title: 'Run argocd',
    what:
      'Runs one argocd command (Argo CD applications and projects), with --core over the kubeconfig unless ' +
      'the server is configured with an Argo CD API server.',
    examples: '`app list`, `app get web`, `app diff web`, `app sync web`, `proj list`',
    toolsHint: '`namespace` is not passed to argocd: use `--app-namespace` in the command.',
  },
};

const outputSchema = z.object({
  tool: z.enum(CLI_TOOLS as [CliTool, ...CliTool[]]),
  command: z.string().describe('What ran, quoted; the kubeconfig path shows as <kubeconfig>'),
  verb: z.string().describe('The command found after global flags, e.g. `get` or `rollout status`'),
  access: z.enum(['read', 'write']).describe('`read` for reads and dry runs'),
  context: z.string().describe('The kubeconfig context the command ran against'),
  kubeconfig_source: z
    .enum(['server', 'argument', 'header'])
    .describe("Whose kubeconfig was used: the server's, the `kubeconfig` argument, or the request's header"),
  exit_code: z.number().int().nullable(),
  stdout: z.string().describe('Standard output, redacted (Secret values, tokens, keys), capped'),
  stderr: z.string().describe('Standard error, redacted, capped'),
  truncated: z.boolean().describe('Whether output was cut at the size cap (the text says how much)'),
  duration_ms: z.number(),
  note: z.string().optional(),
});
type CliOutput = z.output<typeof outputSchema>;

function render(out: CliOutput): string {
  const parts: string[] = [];
  if (out.stdout !== '') parts.push(out.stdout.replace(/\n$/, ''));
  if (out.stderr.trim() !== '') parts.push(`[stderr]\n${out.stderr.replace(/\n$/, '')}`);
  if (parts.length === 0) parts.push(`(no output; ${out.tool} exited with status ${out.exit_code})`);
  if (out.note) parts.push(`[${out.note}]`);
  return parts.join('\n');
}

/** Kubernetes API reasons kubectl prints as `Error from server (Reason)`, as HTTP codes. */
const REASON_CODES: Record<string, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

const MAX_ERROR_TEXT = 4000;

function failure(tool: CliTool, shown: string, result: CliResult, context: string): ToolError {
  const text = (result.stderr.trim() || result.stdout.trim()).slice(0, MAX_ERROR_TEXT);
  const where = ` on context ${context}`;
  if (result.timedOut) {
    return new ToolError(`\`${tool} ${shown}\`${where} was stopped: it ran past the server's CLI timeout.`, {
      ...(text ? { upstreamMessage: text } : {}),
      next: 'Narrow the command; bound a watch or follow (-w, -f) with --timeout, --since or --tail.',
    });
  }
  const reason = /\(([A-Za-z]+)\)/.exec(/Error from server \([A-Za-z]+\)/.exec(text)?.[0] ?? '')?.[1];
  const code = reason ? REASON_CODES[reason] : undefined;
  let next = `Read ${tool}'s message above; \`${tool} ${result.verb || ''} --help\` lists the command's flags.`;
  if (reason === 'Forbidden' || /\bforbidden\b/i.test(text)) {
    next =
      'The kubeconfig credentials are not allowed to do this (403 Forbidden): check what they may do with ' +
      '`can_i` (or `kubectl auth can-i`), and ask for the role this needs.';
  } else if (reason === 'Unauthorized' || /\bUnauthorized\b/.test(text)) {
    next = "The cluster refused the kubeconfig's credentials (401): they may have expired; renew them.";
  } else if (reason === 'NotFound' || /\bnot found\b/i.test(text)) {
    next = 'Check the name and namespace: list what exists (resource_list, pod_list, or `get` with -A).';
  } else if (/Unable to connect|connection refused|no such host|i\/o timeout|x509/i.test(text)) {
    next = "The cluster's API server could not be reached: check the context and its server (context_list).";
  }
  return new ToolError(
    `\`${tool} ${shown}\`${where} failed (exit status ${result.exitCode ?? result.signal}).`,
    { ...(code !== undefined ? { code } : {}), ...(text ? { upstreamMessage: text } : {}), next },
  );
}

interface Chosen {
  doc: KubeconfigDocument | undefined;
  source: 'server' | 'argument' | 'header';
  note?: string;
}

/** The kubeconfig of a call: the request's X-Kubeconfig, else the `kubeconfig` argument, else the server's. */
function chooseKubeconfig(deps: KubernetesDeps, argument: string | undefined): Chosen {
  if (deps.request) {
    if (deps.request.problem !== undefined || !deps.request.doc) {
      throw headerRejected(deps.request.problem ?? 'it could not be read');
    }
    return {
      doc: deps.request.doc,
      source: 'header',
      ...(argument !== undefined
        ? { note: 'the X-Kubeconfig header of this request was used; the `kubeconfig` argument was ignored' }
        : {}),
    };
  }
  if (argument !== undefined) {
    try {
      return { doc: decodeUntrustedKubeconfig(argument), source: 'argument' };
    } catch (error) {
      const problem = error instanceof UntrustedKubeconfigError ? error.message : 'it could not be read';
      throw badInput(
        'kubeconfig',
        `not a usable kubeconfig: ${problem}.`,
        'Pass base64 of a kubeconfig with inline credentials (token, client-certificate-data / ' +
          'client-key-data, certificate-authority-data), or leave `kubeconfig` out to use the server’s.',
      );
    }
  }
  return { doc: deps.kubeconfig, source: 'server' };
}

function annotationsFor(opts: CliToolsOptions): ToolAnnotations {
  // Read-only variant: the runner refuses every change. Otherwise a command may change things (not
  // idempotent in general); deleting commands are guarded by the handler (see README, "CLI tools").
  return opts.readOnly ? ANNOTATIONS.read : { ...ANNOTATIONS.create, destructiveHint: false };
}

function descriptionFor(tool: CliTool, opts: CliToolsOptions): string {
  const about = ABOUT[tool];
  const mode = opts.readOnly
    ? 'This server is read-only: only commands that read (and `--dry-run=server|client` previews) run.'
    : opts.disableDestructive
      ? 'Deleting commands (delete, drain, uninstall…) are refused on this server.'
      : opts.confirm === 'destructive'
        ? 'Deleting commands (delete, drain, uninstall…) run only after the user confirmed them.'
        : '';
  return [
    about.what,
    `Examples of \`command\`: ${about.examples}.`,
    'Arguments only, never a shell: pipes, redirects, `;`, `&&`, `$VAR` and `$(…)` are refused, and so are ' +
      'interactive or credential-changing commands and flags (exec, port-forward, cp, proxy, `--token`, ' +
      '`--kubeconfig`, `--server`, `--as`). Secret values, tokens and keys in the output are redacted.',
    mode,
    about.toolsHint,
  ]
    .filter(Boolean)
    .join(' ');
}

/** One CLI tool (`kubectl`, `helm`, `istioctl`, `argocd`) with the seed server's arguments. */
export function cliTool(tool: CliTool, opts: CliToolsOptions): AnyTool<KubernetesDeps> {
  const input = z.object({
    command: z
      .string()
      .min(1)
      .max(16_384)
      .describe(
        `The ${tool} command, without the shell: e.g. \`${ABOUT[tool].examples.split('`')[1]}\` (a leading ` +
          `\`${tool}\` is fine). Quote as in a shell.`,
      ),
    namespace: z
      .string()
      .min(1)
      .max(63)
      .optional()
      .describe(
        tool === 'argocd'
          ? 'Ignored by argocd (kept for compatibility); use `--app-namespace` in the command'
          : 'Namespace, added as `-n` when the command names none; default: the context’s namespace',
      ),
    kubeconfig: z
      .string()
      .min(1)
      .max(512 * 1024)
      .optional()
      .describe(
        'Base64 of a kubeconfig to use instead of the server’s (inline credentials only: no exec plugins, ' +
          'auth providers or file paths). Usually leave it out.',
      ),
    stdin: z
      .string()
      .max(1024 * 1024)
      .optional()
      .describe('Text given to the command on standard input, e.g. a manifest for `apply -f -`'),
    ...(opts.multiTarget
      ? {
          context: z
            .string()
            .min(1)
            .optional()
            .describe('Kubeconfig context to run against; default: the current context. See `context_list`.'),
        }
      : {}),
  });

  return defineTool({
    name: tool,
    title: ABOUT[tool].title,
    description: descriptionFor(tool, opts),
    toolset: 'cli',
    input,
    output: outputSchema,
    annotations: annotationsFor(opts),
    // deleting commands are confirmed (or refused) by the server's policy through ctx.confirmDestructive
    asksToConfirm: !opts.readOnly,
    render: { kind: 'text', text: render },
    async handler(args: Record<string, unknown>, ctx: ToolContext<KubernetesDeps>): Promise<CliOutput> {
      const { deps } = ctx;
      const command = args['command'] as string;
      const namespace = args['namespace'] as string | undefined;
      const chosen = chooseKubeconfig(deps, args['kubeconfig'] as string | undefined);
      if (!chosen.doc) {
        throw new ToolError(`No kubeconfig for ${tool}: this server has none and the call passed none.`, {
          next: 'Start the server with a kubeconfig (KUBECONFIG or --kubeconfig), or pass `kubeconfig`.',
        });
      }
      const doc = chosen.doc;
      const names = contextNames(doc);
      if (names.length === 0) {
        throw new ToolError(
          `The server's kubeconfig has no contexts, so ${tool} has no cluster to talk to.`,
          {
            next: 'Add a context to the kubeconfig (KUBECONFIG or --kubeconfig), or pass `kubeconfig`.',
          },
        );
      }
      const wanted = args['context'] as string | undefined;
      if (wanted !== undefined && !names.includes(wanted)) {
        throw badInput(
          'context',
          `no context named "${wanted}" in the ${chosen.source === 'server' ? 'server’s' : 'given'} kubeconfig.`,
          `Known contexts: ${names.slice(0, 20).join(', ')}.`,
        );
      }
      const context = wanted ?? defaultContext(doc) ?? names[0]!;

      const argv = tokenize(command, tool);
      const policy = {
        readOnly: opts.readOnly,
        allowSecrets: deps.cli.allowSecrets,
        allowLocalFiles: deps.cli.allowLocalFiles,
      };
      const check = checkCommand(tool, argv, policy);
      const shown = quoteArgs(argv);
      if (check.destructive)
        await ctx.confirmDestructive(`\`${tool} ${shown}\` on context ${context} deletes`);
      const result = await runCli({
        tool,
        args: argv,
        ...policy,
        kubeconfig: kubeconfigYaml(doc, context),
        ...(namespace !== undefined ? { namespace } : {}),
        timeoutMs: deps.cli.timeoutMs,
        maxOutputBytes: deps.cli.maxOutputBytes,
        ...(deps.cli.binaries[tool] ? { binaryPath: deps.cli.binaries[tool] } : {}),
        searchDirs: deps.cli.searchDirs,
        ...(tool === 'argocd' ? { env: deps.cli.argocdEnv } : {}),
        ...(args['stdin'] !== undefined ? { stdin: args['stdin'] as string } : {}),
        signal: ctx.signal,
      });
      if (result.timedOut || result.exitCode !== 0) throw failure(tool, shown, result, context);
      return {
        tool,
        command: `${tool} ${quoteArgs(result.argv)}`,
        verb: result.verb,
        access: result.access,
        context,
        kubeconfig_source: chosen.source,
        exit_code: result.exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
        truncated: result.truncated.stdout || result.truncated.stderr,
        duration_ms: result.durationMs,
        ...(chosen.note ? { note: chosen.note } : {}),
      };
    },
  }) as unknown as AnyTool<KubernetesDeps>;
}

/** The four CLI tools of the seed server, in its order. */
export function cliTools(opts: CliToolsOptions): AnyTool<KubernetesDeps>[] {
  return CLI_TOOLS.map((tool) => cliTool(tool, opts));
}
