import {
  ANNOTATIONS,
  type AnyTool,
  badInput,
  defineTool,
  type ToolAnnotations,
  type ToolContext,
  ToolError,
} from '@cloudmcp/toolkit';
import * as z from 'zod';
import {
  kubeconfigText,
  parseUntrustedKubeconfig,
  pinClusterAddresses,
  UntrustedKubeconfigError,
} from '../../kubeconfig/index.js';
import {
  CLI_TOOLS,
  CliRefused,
  type CliTool,
  checkCommand,
  detectClis,
  quoteArgs,
  runCli,
  tokenize,
} from '../../runner/index.js';
import type { KubeconfigDocument } from '../../targets.js';
import { capped, nonEmpty } from '../common.js';
import { type KubeDeps, targetDefault } from '../define.js';
import { ABOUT } from './about.js';
import { type CliKubeconfigs, documentKubeconfigs } from './kubeconfigs.js';
import { type CliOutput, cliFailure, cliOutput, renderCliOutput } from './result.js';

/** Where the CLI tools find their binaries and what they may do: the operator's settings. */
export interface CliSettings {
  /** A configured binary per tool (a path, or a name looked up in `searchDirs` then PATH). */
  binaries: Partial<Record<CliTool, string>>;
  /** Searched before PATH. */
  searchDirs: string[];
  timeoutMs: number;
  /** `--cli-local-files`: commands may read or write files on this machine. */
  allowLocalFiles: boolean;
  /** `--allow-secrets`: Secret values in CLI output are kept. */
  allowSecrets: boolean;
  /** URL prefixes commands may fetch (`-f https://…`, `--repo`); undefined: any. */
  allowedUrls?: readonly string[];
  /** Kubeconfigs from requests may point at loopback and link-local addresses. */
  allowLocalClusters: boolean;
  /** Extra environment of the argocd child (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN). */
  argocdEnv: Record<string, string>;
  /** Cap per output stream, in bytes, after redaction. */
  maxOutputBytes: number;
}

/** What the CLI tools need in `ctx.deps`. */
export interface CliDeps extends KubeDeps {
  cli: CliSettings;
  /** The kubeconfigs commands run with: the server's or this request's; undefined when there is none. */
  kubeconfigs: CliKubeconfigs | undefined;
  /**
   * Each binary as found at start-up, or as the operator configured it (`withFoundClis`): which CLI tools
   * the server lists.
   */
  cliFound?: Record<CliTool, string | null>;
}

/**
 * The deps with `cliFound`: each binary looked up once at start-up as the runner would find it (`--cli-dirs`,
 * then PATH; file checks only, no process, no network), so that the server's tools/list can leave out
 * istioctl and argocd where they are not installed (`CliToolsOptions.found`). A binary the operator named
 * (`--istioctl-path`, `--argocd-path`) counts as found even when missing: its tool is listed, and a call
 * says which path is missing rather than the tool silently not being there.
 */
export async function withFoundClis<D extends CliDeps>(deps: D): Promise<D> {
  const found = await detectClis({ binaries: deps.cli.binaries, dirs: deps.cli.searchDirs });
  const cliFound = Object.fromEntries(
    CLI_TOOLS.map((tool) => [tool, found[tool] ?? deps.cli.binaries[tool] ?? null]),
  ) as Record<CliTool, string | null>;
  return { ...deps, cliFound };
}

/** The `found` part of a server's CLI tool shape, for its options and the cache key of its spec. */
export function foundOption(deps: CliDeps | undefined): Pick<CliToolsOptions, 'found'> {
  return deps?.cliFound ? { found: deps.cliFound } : {};
}

/** How the four CLI tools are shaped for a server's targets and policy. */
export interface CliToolsOptions {
  /** The argument that picks a target: `context` (kubeconfig users) or `cluster` (OKE, OCM). */
  targetArg?: 'context' | 'cluster';
  /** Several targets: the tools take the target argument. */
  multiTarget: boolean;
  /** A `kubeconfig` argument (base64, untrusted) replacing the server's, as the seed K8s server had. */
  kubeconfigArgument?: boolean;
  /** `--read-only`: read-only variants; the runner refuses every command that changes something. */
  readOnly: boolean;
  /** `--disable-destructive`: deleting commands (`delete`, `drain`, `uninstall`…) are refused. */
  disableDestructive: boolean;
  /** `--confirm destructive`: deleting commands ask the user first (`ctx.confirmDestructive`). */
  confirm: 'destructive' | 'never';
  /**
   * kubectl also takes the seed OCM server's `yaml` argument: manifests applied as `kubectl apply -f -`
   * with the YAML on standard input; exactly one of `command` and `yaml`. The other tools are unchanged.
   */
  yamlArgument?: boolean;
  /**
   * Where the server found each binary at start-up (`detectClis` with its `--*-path` and `--cli-dirs`: a
   * path, or null when missing; a PATH scan, no process). Given, istioctl and argocd are listed only when
   * found. Not given (a library user, `--help`), all four are.
   */
  found?: Partial<Record<CliTool, string | null>>;
}

/**
 * Listed only when installed: few clusters run Istio or Argo CD, and a tool that cannot run costs every
 * tools/list its tokens. kubectl and helm are always listed (their absence is an error worth reading).
 */
const LISTED_WHEN_FOUND: readonly CliTool[] = ['istioctl', 'argocd'];

/** The most YAML (or standard input) one call may hand a command. */
const MAX_STDIN = 1024 * 1024;

/** Whether `tool` takes the `yaml` argument under these options. */
function takesYaml(tool: CliTool, opts: CliToolsOptions): boolean {
  return tool === 'kubectl' && opts.yamlArgument === true;
}

/**
 * Honest annotations: clients trust them. Read-only variant: the runner refuses every change. With
 * deleting commands refused (`--disable-destructive`) the tool changes but never deletes. Otherwise it can
 * delete (`kubectl delete`, `helm uninstall`), so it says so; the handler asks for those commands only.
 */
function annotationsFor(opts: CliToolsOptions): ToolAnnotations {
  if (opts.readOnly) return ANNOTATIONS.read;
  if (opts.disableDestructive) return { ...ANNOTATIONS.create, destructiveHint: false };
  return { ...ANNOTATIONS.create, destructiveHint: true };
}

function descriptionFor(tool: CliTool, opts: CliToolsOptions): string {
  const about = ABOUT[tool];
  // deleting commands asked for confirmation need no word here: the user is asked when one runs
  const mode = opts.readOnly
    ? ' Read-only: only reading commands and dry runs run.'
    : opts.disableDestructive
      ? ' Deleting commands are refused.'
      : '';
  return about.what + mode;
}

function inputFor(tool: CliTool, opts: CliToolsOptions) {
  const targetArg = opts.targetArg ?? 'context';
  const yaml = takesYaml(tool, opts);
  const command = nonEmpty(16_384);
  const about = `Quoted as in a shell, e.g. \`${ABOUT[tool].example}\``;
  return z.object({
    command: yaml ? command.optional().describe(`${about}; or give \`yaml\``) : command.describe(about),
    ...(yaml
      ? {
          yaml: nonEmpty(MAX_STDIN).optional().describe('Manifests to `apply -f -`'),
        }
      : {}),
    namespace: nonEmpty(63)
      .optional()
      .describe(
        tool === 'argocd' ? 'Ignored; use `--app-namespace`' : 'Added as `-n` unless the command has one',
      ),
    ...(opts.kubeconfigArgument
      ? {
          kubeconfig: nonEmpty(512 * 1024)
            .optional()
            .describe('Base64 kubeconfig to use instead of the server’s'),
        }
      : {}),
    stdin: capped(MAX_STDIN).optional().describe('Standard input (for `-f -`)'),
    ...(opts.multiTarget
      ? {
          [targetArg]: nonEmpty().optional().describe(targetDefault(targetArg)),
        }
      : {}),
  });
}

/** The kubeconfigs of a call: the request's (header), else the `kubeconfig` argument, else the server's. */
function kubeconfigsFor(
  deps: CliDeps,
  argument: string | undefined,
): { kubeconfigs: CliKubeconfigs; note?: string } {
  const own = deps.kubeconfigs;
  if (own?.origin === 'header') {
    if (argument === undefined) return { kubeconfigs: own };
    const note = 'the X-Kubeconfig header of this request was used; the `kubeconfig` argument was ignored';
    return { kubeconfigs: own, note };
  }
  if (argument !== undefined) {
    try {
      const doc = parseUntrustedKubeconfig(argument);
      return { kubeconfigs: documentKubeconfigs(doc, { origin: 'argument', untrusted: true }) };
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
  if (!own) {
    throw new ToolError('No kubeconfig: this server has none and the call passed none.', {
      next: 'Start the server with a kubeconfig (KUBECONFIG or --kubeconfig).',
    });
  }
  return { kubeconfigs: own };
}

/**
 * A request's kubeconfig with its servers resolved now and pinned to the addresses found, so a later DNS
 * answer cannot send the CLI elsewhere; loopback and link-local servers are refused unless allowed.
 */
async function pinned(
  doc: KubeconfigDocument,
  allowLocal: boolean,
  origin: CliKubeconfigs['origin'],
): Promise<KubeconfigDocument> {
  try {
    return await pinClusterAddresses(doc, { allowLocal });
  } catch (error) {
    if (!(error instanceof UntrustedKubeconfigError)) throw error;
    const whose =
      origin === 'header' ? 'The X-Kubeconfig header of this request' : 'The `kubeconfig` argument';
    throw new ToolError(`${whose} cannot be used: ${error.message}.`, {
      next: 'Use a kubeconfig whose server is the cluster’s own address; nothing was run.',
    });
  }
}

/** The command to run and its standard input: `command` as given, or `yaml` as `apply -f -` with it on stdin. */
function commandOf(tool: CliTool, args: Record<string, unknown>): { command: string; stdin?: string } {
  const command = args['command'] as string | undefined;
  const yaml = args['yaml'] as string | undefined;
  const stdin = args['stdin'] as string | undefined;
  if (yaml === undefined) {
    if (command === undefined) {
      throw badInput('command', 'give either `command` or `yaml`.', `e.g. \`command: "get pods -A"\`.`);
    }
    return { command, ...(stdin !== undefined ? { stdin } : {}) };
  }
  if (command !== undefined) {
    throw badInput(
      'yaml',
      'give either `command` or `yaml`, not both.',
      '`yaml` alone applies it (`kubectl apply -f -`); for another command on a manifest, pass `command` ' +
        'and the manifest as `stdin`.',
    );
  }
  if (stdin !== undefined) {
    throw badInput('yaml', '`yaml` is the standard input of `apply -f -`: give `yaml` or `stdin`, not both.');
  }
  return { command: `${tool} apply -f -`, stdin: yaml };
}

/**
 * The runner's refusals name what a kubeconfig user has: a `context` argument and context_list. A server
 * whose targets are clusters (OKE, OCM) has a `cluster` argument and no context_list: say that instead.
 */
function inTargetWords(error: unknown, targetArg: 'context' | 'cluster'): unknown {
  const next = error instanceof CliRefused ? error.details.next : undefined;
  if (targetArg === 'context' || next === undefined) return error;
  const reworded = next
    .replace(/pick a context in it with/g, 'pick the cluster with')
    .replace(/Pick another context with/g, 'Pick another cluster with')
    .replace(/the tool's `context` argument/g, "the tool's `cluster` argument")
    .replace(/ \(see context_list\)/g, '')
    .replace(/; list them with `kubectl config get-contexts`/g, '');
  const refused = error as CliRefused;
  return new CliRefused(refused.tool, refused.kind, refused.refused, refused.message, reworded);
}

/** One CLI tool (`kubectl`, `helm`, `istioctl`, `argocd`) with the seed server's arguments. */
export function cliTool(tool: CliTool, opts: CliToolsOptions): AnyTool<CliDeps> {
  const targetArg = opts.targetArg ?? 'context';
  return defineTool({
    name: tool,
    title: ABOUT[tool].title,
    description: descriptionFor(tool, opts),
    toolset: 'cli',
    input: inputFor(tool, opts),
    output: cliOutput,
    annotations: annotationsFor(opts),
    // deleting commands are confirmed (or refused) by the server's policy through ctx.confirmDestructive
    asksToConfirm: !opts.readOnly,
    render: { kind: 'text', text: renderCliOutput },
    async handler(args: Record<string, unknown>, ctx: ToolContext<CliDeps>): Promise<CliOutput> {
      const { deps } = ctx;
      const { command, stdin } = commandOf(tool, args);
      const namespace = args['namespace'] as string | undefined;
      const { kubeconfigs, note } = kubeconfigsFor(deps, args['kubeconfig'] as string | undefined);
      const names = kubeconfigs.names();
      const wanted = (args[targetArg] as string | undefined) ?? kubeconfigs.defaultTarget();
      if (wanted === undefined) {
        throw new ToolError(`The kubeconfig has no contexts, so ${tool} has no cluster to talk to.`, {
          next: 'Add a context to the kubeconfig (KUBECONFIG or --kubeconfig).',
        });
      }
      let doc = await kubeconfigs.forTarget(wanted, ctx.signal);
      if (!doc) {
        throw badInput(
          targetArg,
          `no ${targetArg} named "${wanted}" in the ${kubeconfigs.origin === 'server' ? 'server’s' : 'given'} kubeconfig.`,
          `Known ${targetArg}s: ${names.slice(0, 20).join(', ')}.`,
        );
      }

      const argv = tokenize(command, tool);
      const policy = {
        readOnly: opts.readOnly,
        allowSecrets: deps.cli.allowSecrets,
        allowLocalFiles: deps.cli.allowLocalFiles,
        ...(deps.cli.allowedUrls ? { allowedUrls: deps.cli.allowedUrls } : {}),
      };
      let check: ReturnType<typeof checkCommand>;
      try {
        check = checkCommand(tool, argv, policy);
      } catch (error) {
        throw inTargetWords(error, targetArg);
      }
      const shown = quoteArgs(argv);
      if (kubeconfigs.untrusted) doc = await pinned(doc, deps.cli.allowLocalClusters, kubeconfigs.origin);
      if (check.destructive)
        await ctx.confirmDestructive(`\`${tool} ${shown}\` on ${targetArg} ${wanted} deletes`);
      const result = await runCli({
        tool,
        args: argv,
        ...policy,
        kubeconfig: kubeconfigText(doc),
        ...(namespace !== undefined ? { namespace } : {}),
        timeoutMs: deps.cli.timeoutMs,
        maxOutputBytes: deps.cli.maxOutputBytes,
        ...(deps.cli.binaries[tool] ? { binaryPath: deps.cli.binaries[tool] } : {}),
        searchDirs: deps.cli.searchDirs,
        ...(tool === 'argocd' ? { env: deps.cli.argocdEnv } : {}),
        ...(stdin !== undefined ? { stdin } : {}),
        signal: ctx.signal,
      });
      const out: CliOutput = {
        tool,
        command: `${tool} ${quoteArgs(result.argv)}`,
        verb: result.verb,
        access: result.access,
        context: wanted,
        kubeconfig_source: kubeconfigs.origin,
        exit_code: result.exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
        truncated: result.truncated.stdout || result.truncated.stderr,
        duration_ms: result.durationMs,
        ...(result.fetched.length ? { fetched: result.fetched } : {}),
        ...(note ? { note } : {}),
      };
      if (result.timedOut || result.exitCode !== 0) throw cliFailure(out, result, shown, targetArg);
      return out;
    },
  }) as unknown as AnyTool<CliDeps>;
}

/** The CLI tools of the seed server, in its order: istioctl and argocd only when found (see `found`). */
export function cliTools(opts: CliToolsOptions): AnyTool<CliDeps>[] {
  const { found } = opts;
  const listed = (tool: CliTool) =>
    found === undefined || !LISTED_WHEN_FOUND.includes(tool) || Boolean(found[tool]);
  return CLI_TOOLS.filter(listed).map((tool) => cliTool(tool, opts));
}
