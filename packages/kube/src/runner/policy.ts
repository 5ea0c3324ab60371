import { CLI_TOOLS, type CliRefusalKind, CliRefused, type CliTool } from './errors.js';
import { type FlagUse, parseArgs } from './flags/parse.js';
import { mergeTables, type OptionTable } from './flags/spec.js';
import { looksLikeUrl, urlRefusal } from './flags/urls.js';
import { refuseOwnDescriptor } from './own-descriptors.js';
import { POLICIES, type ToolPolicy, type VerbRule } from './tables/index.js';

export type { FlagUse } from './flags/parse.js';

export type CliAccess = 'read' | 'write';

export interface CheckOptions {
  /** Only read-only commands (and `--dry-run=client|server` previews) are allowed. */
  readOnly?: boolean;
  /**
   * Secret values may be shown: kubectl output formats that cannot be redacted (`-o jsonpath`, `go-template`,
   * `custom-columns`…) are allowed on Secrets, helm may print release values (`helm get values|all`) and
   * run server-side dry runs, and Secret `data` in the output is kept (the `--allow-secrets` opt-in).
   * Tokens, keys and passwords elsewhere stay redacted.
   */
  allowSecrets?: boolean;
  /**
   * Options, arguments and commands that read or write files on the server's own disk (`-f ./file`,
   * `--from-file`, `-o jsonpath-file=…`, `--values`, `--set-file`, local charts, `helm package`,
   * `kubectl kustomize`…) are allowed. `-` (stdin) is always allowed. Off by default: over HTTP the server's
   * disk is not the caller's.
   */
  allowLocalFiles?: boolean;
  /**
   * URLs the tools may fetch for the caller (`kubectl apply -f https://…`, `helm --repo URL`, `https://` and
   * `oci://` charts, `helm repo add`, `helm search hub`), as prefixes: a URL is allowed when its scheme, host
   * and port equal a prefix's and its path is at or below the prefix's path (at a `/` boundary), compared
   * after normalisation (case of scheme and host, default ports, `.`/`..` segments); with a list, URLs with
   * a user name or password are refused. `undefined`: any URL (stdio, the user's own machine); `[]`: none.
   * URLs must be written plainly either way (a lower-case scheme, no backslashes or encoded separators).
   */
  allowedUrls?: readonly string[];
}

/** What the policy found in an allowed command. */
export interface CommandCheck {
  tool: CliTool;
  /** The command after global flags, subcommands included: `get`, `rollout status`, `app list`; `''` for none. */
  verb: string;
  /** `read` for read-only commands and dry runs. */
  access: CliAccess;
  /** Deletes something (`kubectl delete`, `drain`, `helm uninstall`, `argocd app delete`…), not in a dry run. */
  destructive: boolean;
  /** `--dry-run=client|server` (helm also bare `--dry-run`) makes a write command a preview. */
  dryRun: boolean;
  /** The command names a namespace (`-n`, `--namespace`) or all of them (`-A`, `--all-namespaces`). */
  hasNamespace: boolean;
  /** The options whose value is a path, `-` or a URL (kubectl `-f`), in order, with their items. */
  sources: SourceOption[];
}

/** A path-or-URL option (kubectl `-f`) and what it names: `-f a.yaml,https://…` names two items. */
export interface SourceOption {
  readonly use: FlagUse;
  /** Its value split the way the tool splits it (one item unless the tool reads a list). */
  readonly items: readonly string[];
}

/** Given to a command's own checks. */
export interface CheckContext {
  readonly tool: CliTool;
  readonly verb: string;
  readonly args: readonly string[];
  /** Arguments that are not options, option values or the command's own words. */
  readonly positionals: readonly string[];
  /** Every option, by long name (shorthands resolved). */
  readonly flags: readonly FlagUse[];
  readonly allowLocalFiles: boolean;
  readonly allowSecrets: boolean;
  readonly allowedUrls: readonly string[] | undefined;
  /** The last use of an option by long name, the one the tool keeps. */
  lastFlag(name: string): FlagUse | undefined;
  refuse(kind: CliRefusalKind, shown: string, why: string, next: string): never;
}

function refusal(tool: CliTool, kind: CliRefusalKind, shown: string, why: string, next: string): CliRefused {
  return new CliRefused(tool, kind, shown, `Refused \`${shown}\`: ${why}.`, next);
}

function commandName(tool: CliTool, path: readonly string[]): string {
  return [tool, ...path].join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Finding the command the way cobra does

interface Found {
  /** The command's words as written (`top pods`). */
  path: string[];
  /** Its own names, aliases resolved (`top pod`): where its options are found. */
  own: string[];
  rule: VerbRule | undefined;
  /** Where the command's words are in the args. */
  words: Set<number>;
}

/** The options known at a command level: the root's and the command's own. */
function levelTable(policy: ToolPolicy, own: readonly string[]): OptionTable {
  return mergeTables(policy.options(''), own.length > 0 ? policy.options(own.join(' ')) : undefined);
}

/**
 * The index of the next command word from `start`, skipping options as cobra's `stripFlags` does with
 * the options of the current level: `--x v` and `-x v` skip `v` unless `x` is a boolean or takes an
 * optional value (an unknown option skips it too); `--x=v`, `-xv` and `-x=v` skip nothing; `--` ends.
 */
function nextWord(policy: ToolPolicy, args: readonly string[], start: number, table: OptionTable): number {
  for (let i = start; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return -1;
    if (arg.startsWith('--')) {
      const spec = arg.includes('=') ? undefined : table.long.get(policy.normalise(arg.slice(2)));
      if (!arg.includes('=') && spec?.value !== 'none' && spec?.value !== 'optional') i++;
    } else if (arg.startsWith('-')) {
      const long = arg.length === 2 ? table.short.get(arg[1]!) : undefined;
      const spec = long === undefined ? undefined : table.long.get(long);
      if (arg.length === 2 && spec?.value !== 'none' && spec?.value !== 'optional') i++;
    } else if (arg !== '') {
      return i;
    }
  }
  return -1;
}

function unknownCommand(
  policy: ToolPolicy,
  path: readonly string[],
  word: string,
  parent: VerbRule | undefined,
) {
  const table = parent?.sub ?? policy.verbs;
  const names = Object.keys(table).filter((key) => table[key]!.access !== 'refused');
  const where =
    path.length > 0 ? `\`${commandName(policy.tool, path)}\` has no subcommand` : 'unknown command';
  return new CliRefused(
    policy.tool,
    'unknown-verb',
    word,
    `Refused \`${commandName(policy.tool, [...path, word])}\`: ${where} \`${word}\` that this runner allows (plugins and unknown commands are not run).`,
    `Use one of: ${names.join(', ')}.${path.length === 0 ? ' Put global options after the command if one was read as the command.' : ''}`,
  );
}

function lookup(table: Readonly<Record<string, VerbRule>>, name: string): VerbRule | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

interface Unknown {
  error: CliRefused;
  /** Where the word that is not a command is. */
  at: number;
}

function find(policy: ToolPolicy, args: readonly string[]): Found | Unknown {
  const found: Found = { path: [], own: [], rule: undefined, words: new Set() };
  let start = 0;
  for (;;) {
    const i = nextWord(policy, args, start, levelTable(policy, found.own));
    if (i < 0) return found;
    const word = args[i]!;
    const rule = found.rule;
    const next = lookup(rule?.sub ?? (rule ? {} : policy.verbs), word) ?? rule?.otherSub;
    if (!next) return { error: unknownCommand(policy, found.path, word, rule), at: i };
    found.path.push(word);
    found.own.push(next.name ?? word);
    found.rule = next;
    found.words.add(i);
    if (!next.sub && !next.otherSub) return found;
    start = i + 1;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Options

/** Refused options, by long name: credentials, targets, programs, verbose logs. */
function refuseNamed(policy: ToolPolicy, use: FlagUse, own: OptionTable | undefined): void {
  const found = Object.hasOwn(policy.refused, use.name) ? policy.refused[use.name] : undefined;
  if (!found || (found.rootOnly && own?.long.has(use.name))) return;
  throw refusal(policy.tool, found.kind ?? 'flag', use.shown, found.why, found.next);
}

function allowedOptions(policy: ToolPolicy, own: OptionTable | undefined): string {
  const names = [...(own?.long.keys() ?? [])].filter((n) => !Object.hasOwn(policy.refused, n)).sort();
  const shown = names.slice(0, 40).map((n) => `--${n}`);
  return shown.length === 0
    ? 'It takes no options of its own here'
    : `Its options here: ${shown.join(', ')}${names.length > 40 ? ' and more' : ''}`;
}

function refuseUnknown(policy: ToolPolicy, use: FlagUse, name: string, own: OptionTable | undefined): never {
  const shown = use.short ? `-${use.short}` : use.shown;
  throw refusal(
    policy.tool,
    'option',
    shown,
    `${shown} is not an option this runner allows for \`${name}\``,
    `${allowedOptions(policy, own)} (besides global ones such as ${policy.tool === 'argocd' ? '--loglevel' : '-n'}). Leave it out, or check the spelling.`,
  );
}

/**
 * An option's value split into the items the tool reads: pflag parses a string slice's value as one CSV
 * record, so `-f a,b` is two. Quotes and line breaks, which CSV reads in ways of its own (a quoted comma, a
 * record ending at a newline), are refused rather than imitated.
 */
function valueItems(policy: ToolPolicy, ctx: CheckContext, use: FlagUse, shown: string): string[] {
  const value = use.value ?? '';
  if (!policy.lists.includes(use.name)) return [value];
  if (/["\r\n]/.test(value)) {
    ctx.refuse(
      'syntax',
      shown,
      `${policy.tool} reads \`${use.shown}\` as a comma-separated list, and quotes or line breaks in it are not accepted here`,
      `Give each file or URL as its own \`${use.shown}\` option, without quotes.`,
    );
  }
  return value === '' ? [] : value.split(',');
}

/**
 * Option values that name files on the server's disk or URLs the tool would fetch. Returns the
 * path-or-URL options (`-f`) with their items.
 */
function checkFilesAndUrls(policy: ToolPolicy, ctx: CheckContext): SourceOption[] {
  const sources: SourceOption[] = [];
  for (const use of ctx.flags) {
    const isPath = policy.paths.includes(use.name);
    const isPathOrUrl = policy.pathsOrUrls.includes(use.name);
    const isUrl = policy.urls.includes(use.name);
    if (!isPath && !isPathOrUrl && !isUrl) continue;
    const flag = use.short ? `-${use.short}` : use.shown;
    const items = valueItems(policy, ctx, use, `${flag} ${use.value ?? ''}`);
    for (const value of items) {
      const shown = `${flag} ${value}`;
      if (isPathOrUrl && value === '-') continue;
      if ((isPathOrUrl && looksLikeUrl(value)) || isUrl) {
        const why = urlRefusal(value, policy.schemes, ctx.allowedUrls);
        if (why !== undefined) {
          ctx.refuse(
            'url',
            shown,
            `${policy.tool} would fetch \`${value}\`, and ${why}`,
            ctx.allowedUrls === undefined
              ? `Write the URL plainly: a lower-case ${policy.schemes.map((s) => `\`${s}://\``).join(' or ') || 'scheme'}, a host, a path.`
              : `Use a URL under one of the allowed prefixes (${ctx.allowedUrls.join(', ') || 'none'}), or pass the content as stdin with \`-\`.`,
          );
        }
        continue;
      }
      refuseOwnDescriptor(ctx, shown, value);
      if (!ctx.allowLocalFiles) {
        ctx.refuse(
          'local-file',
          shown,
          `it reads or writes \`${value}\` on the server's own disk`,
          `${isPathOrUrl ? 'Pass a URL (https://…) instead of a path, or `-` with the content given as stdin' : 'Leave it out'}; the server can allow local files with its local-files option.`,
        );
      }
    }
    if (isPathOrUrl) sources.push({ use, items });
  }
  return sources;
}

// ---------------------------------------------------------------------------------------------------------
// The check

/**
 * Checks a tokenised command against the tool's policy and says what it is, or throws a {@link CliRefused}
 * naming what was refused, why, and what to do instead. In order:
 * 1. the command is found the way cobra finds it (unknown commands are refused, since kubectl and helm run
 *    plugins for them), then refused commands (`kubectl exec`, `helm plugin`, `argocd login`…);
 * 2. every option is read the way pflag reads it, with the command's allowlist (kubectl and helm: read from
 *    their binaries; istioctl and argocd: written by hand): refused options with their reason (credentials,
 *    targets, programs, verbose logs), then any option the command does not have or the runner does not list;
 * 3. the command's own checks (`config view --raw`, `run -it`, kustomize plugins…);
 * 4. files on the server's disk (commands, path options, output formats that name files), unless
 *    `allowLocalFiles`, and URLs the tool would fetch, against `allowedUrls`;
 * 5. option values (log levels, output formats), then the tool's checks (Secret values in the output,
 *    chart references);
 * 6. in `readOnly`, anything but reads and dry runs the tool honours.
 */
export function checkCommand(
  tool: CliTool,
  args: readonly string[],
  options: CheckOptions = {},
): CommandCheck {
  if (!CLI_TOOLS.includes(tool)) {
    throw new CliRefused(
      undefined,
      'tool',
      String(tool),
      `Unknown tool \`${String(tool)}\`.`,
      `Use one of: ${CLI_TOOLS.join(', ')}.`,
    );
  }
  const policy = POLICIES[tool];
  for (const arg of args as readonly unknown[]) {
    if (typeof arg !== 'string' || arg.includes('\0')) {
      throw new CliRefused(
        tool,
        'syntax',
        String(arg),
        'Every argument must be a string without NUL characters.',
      );
    }
  }
  const found = find(policy, args);
  if ('error' in found) {
    // a refused option is the clearer refusal when there is one, then an unknown one before the word
    // (cobra took the word after it as its value)
    const uses = parseArgs(args, levelTable(policy, []), new Set(), policy.normalise).flags;
    for (const use of uses) refuseNamed(policy, use, undefined);
    const unknown = uses.find((use) => !use.known && use.index < found.at);
    if (unknown) refuseUnknown(policy, unknown, tool, undefined);
    throw found.error;
  }
  const { path, own, rule, words } = found;
  const verb = path.join(' ');
  const name = commandName(tool, path);
  if (rule?.access === 'refused') {
    const why = rule.refusal?.why ?? 'this runner never runs it';
    throw refusal(tool, 'verb', name, why, rule.refusal?.next ?? 'Use another command.');
  }

  const ownTable = own.length > 0 ? policy.options(own.join(' ')) : policy.options('');
  const { flags, positionals } = parseArgs(args, levelTable(policy, own), words, policy.normalise);
  for (const use of flags) {
    refuseNamed(policy, use, own.length > 0 ? ownTable : undefined);
    if (!use.known) refuseUnknown(policy, use, name, ownTable);
  }

  const lastFlag = (flag: string): FlagUse | undefined => {
    for (let i = flags.length - 1; i >= 0; i--) if (flags[i]!.name === flag) return flags[i];
    return undefined;
  };
  const ctx: CheckContext = {
    tool,
    verb,
    args,
    positionals,
    flags,
    allowLocalFiles: options.allowLocalFiles === true,
    allowSecrets: options.allowSecrets === true,
    allowedUrls: options.allowedUrls,
    lastFlag,
    refuse(kind, shown, why, next) {
      throw refusal(tool, kind, shown, why, next);
    },
  };
  rule?.check?.(ctx);

  if (rule?.localFiles && !ctx.allowLocalFiles) {
    ctx.refuse(
      'local-file',
      name,
      rule.localFiles,
      "Files on the server's disk are off limits here; the server can allow them with its local-files option.",
    );
  }
  const sources = checkFilesAndUrls(policy, ctx);
  for (const use of flags) {
    const check = Object.hasOwn(policy.values, use.name) ? policy.values[use.name] : undefined;
    check?.(use, ctx);
  }
  policy.check?.(ctx);

  let access: CliAccess = rule?.access === 'write' ? 'write' : 'read';
  const dryRun = access === 'write' && policy.dryRun(ctx);
  if (dryRun) access = 'read';
  if (options.readOnly && access === 'write') {
    const all = listVerbs(tool).read.filter((v) => !/^(help|completion|options)\b/.test(v));
    const reads = all.slice(0, 16).join(', ') + (all.length > 16 ? ' and more' : '');
    const preview =
      tool === 'kubectl'
        ? ' To preview a change, add `--dry-run=server`.'
        : tool === 'helm'
          ? ' To preview a change, add `--dry-run=client` (or `helm template`).'
          : '';
    ctx.refuse(
      'read-only',
      name,
      'it changes the cluster, and this server is read-only',
      `Only read-only commands run here: ${reads}.${preview}`,
    );
  }
  const hasNamespace = flags.some((f) => f.name === 'namespace' || f.name === 'all-namespaces');
  return {
    tool,
    verb,
    access,
    destructive: !dryRun && rule?.destructive === true,
    dryRun,
    hasNamespace,
    sources,
  };
}

/** The commands of a tool's policy by class, subcommands as `rollout status`, `config *` for any other. */
export function listVerbs(tool: CliTool): { read: string[]; write: string[]; refused: string[] } {
  const out = { read: [] as string[], write: [] as string[], refused: [] as string[] };
  const visit = (table: Readonly<Record<string, VerbRule>>, prefix: string): void => {
    const seen = new Set<VerbRule>();
    for (const [name, rule] of Object.entries(table)) {
      if (seen.has(rule)) continue;
      seen.add(rule);
      const path = prefix ? `${prefix} ${name}` : name;
      if (rule.sub || rule.otherSub) {
        if (rule.access !== 'read' || rule.bare) out[rule.access].push(path);
        if (rule.sub) visit(rule.sub, path);
        if (rule.otherSub) out[rule.otherSub.access].push(`${path} *`);
      } else {
        out[rule.access].push(path);
      }
    }
  };
  visit(POLICIES[tool].verbs, '');
  return out;
}
