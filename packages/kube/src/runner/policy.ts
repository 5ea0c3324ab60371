import { CLI_TOOLS, type CliRefusalKind, CliRefused, type CliTool } from './errors.js';
import { type LevelFlags, POLICIES, type ToolPolicy, type VerbRule } from './tables.js';

export type CliAccess = 'read' | 'write';

export interface CheckOptions {
  /** Only read-only commands (and `--dry-run=client|server` previews) are allowed. */
  readOnly?: boolean;
  /**
   * Secret values may be shown: kubectl output formats that cannot be redacted (`-o jsonpath`, `go-template`,
   * `custom-columns`…) are allowed on Secrets, and Secret `data` in the output is kept (the `--allow-secrets`
   * opt-in). Tokens, keys and passwords elsewhere stay redacted.
   */
  allowSecrets?: boolean;
  /**
   * Flags and commands that read or write files on the server's own disk (`-f ./file`, `--from-file`,
   * `--values`, `helm package`, `kubectl kustomize`…) are allowed. URLs and `-` (stdin) are always allowed.
   * Off by default: over HTTP the server's disk is not the caller's.
   */
  allowLocalFiles?: boolean;
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
}

/** One flag as the tool would parse it. */
export interface FlagUse {
  /** Long name without dashes (`_` read as `-`), or the one-character shorthand. */
  name: string;
  long: boolean;
  /** As written (`--raw`, `-it`). */
  shown: string;
  /** Its value when it has one (`--output=yaml`, `-oyaml`, `-o yaml`); undefined for booleans and unknowns. */
  value: string | undefined;
  /** Index of the flag's token in the args. */
  index: number;
  /** False when the token may be the value of an unknown flag before it. */
  certain: boolean;
}

/** Given to a command's own checks. */
export interface CheckContext {
  readonly tool: CliTool;
  readonly verb: string;
  readonly args: readonly string[];
  /** Arguments after the command that are not flags or flag values. */
  readonly positionals: readonly string[];
  readonly flags: readonly FlagUse[];
  readonly allowLocalFiles: boolean;
  readonly allowSecrets: boolean;
  /** The last use of a flag (by long name or shorthand), the one the tool keeps. */
  lastFlag(name: string): FlagUse | undefined;
  refuse(kind: CliRefusalKind, shown: string, why: string, next: string): never;
}

function norm(name: string): string {
  return name.replace(/_/g, '-');
}

function has(list: readonly string[] | undefined, name: string): boolean {
  return list?.includes(name) === true;
}

function lookup(table: Readonly<Record<string, VerbRule>> | undefined, name: string): VerbRule | undefined {
  return table !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;
}

function refusal(tool: CliTool, kind: CliRefusalKind, shown: string, why: string, next: string): CliRefused {
  return new CliRefused(tool, kind, shown, `Refused \`${shown}\`: ${why}.`, next);
}

// ---------------------------------------------------------------------------------------------------------
// Finding the command the way cobra does

interface Found {
  path: string[];
  rule: VerbRule | undefined;
  /** Index after the last command token. */
  end: number;
}

type Walk = { found: Found; error?: undefined } | { error: CliRefused; found?: undefined };

/** How cobra treats a flag while looking for subcommands: its value is skipped, it is not, or unknown. */
function flagStep(arg: string, levels: readonly LevelFlags[]): 'skip' | 'none' | 'unknown' {
  let name: string;
  if (arg.startsWith('--')) {
    if (arg.includes('=')) return 'none';
    name = norm(arg.slice(2));
  } else {
    if (arg.length !== 2) return 'none'; // `-nfoo`, `-n=foo`, `-it`: cobra never skips the next token
    name = arg[1]!;
  }
  for (const level of levels) if (has(level.bool, name)) return 'none';
  for (const level of levels) if (has(level.value, name)) return 'skip';
  return 'unknown';
}

function commandName(tool: CliTool, path: readonly string[]): string {
  return [tool, ...path].join(' ');
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
    `Use one of: ${names.join(', ')}.${path.length === 0 ? ' Put global flags after the command if one was read as the command.' : ''}`,
  );
}

function sameWalk(a: Walk, b: Walk): boolean {
  if (a.found && b.found)
    return a.found.rule === b.found.rule && a.found.path.join(' ') === b.found.path.join(' ');
  return false;
}

function walk(
  policy: ToolPolicy,
  args: readonly string[],
  start: number,
  from: VerbRule | undefined,
  path: string[],
  memo: Map<string, Walk>,
): Walk {
  const key = `${start} ${path.join(' ')}`;
  const cached = memo.get(key);
  if (cached) return cached;
  const result = walkFrom(policy, args, start, from, path, memo);
  memo.set(key, result);
  return result;
}

function walkFrom(
  policy: ToolPolicy,
  args: readonly string[],
  start: number,
  from: VerbRule | undefined,
  path: string[],
  memo: Map<string, Walk>,
): Walk {
  let rule = from;
  let current = path;
  for (let i = start; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg.length > 1 && arg.startsWith('-')) {
      const levels = rule?.flags ? [policy.globals, rule.flags] : [policy.globals];
      const step = flagStep(arg, levels);
      if (step === 'skip') i++;
      if (step !== 'unknown' || i + 1 >= args.length) continue;
      // cobra skips the next token unless it knows the flag as a boolean: follow both readings
      const asBool = walk(policy, args, i + 1, rule, current, memo);
      const withValue = walk(policy, args, i + 2, rule, current, memo);
      if (sameWalk(asBool, withValue)) return asBool;
      if (asBool.error && withValue.error) return withValue; // refused either way; cobra's reading
      const name = arg;
      return {
        error: refusal(
          policy.tool,
          'ambiguous',
          name,
          `the runner does not know whether ${name} takes a value, so it cannot tell which command \`${args[i + 1]}\` belongs to`,
          `Put the flag after the full command (\`${policy.tool} <command> <subcommand> … ${name} …\`) or write it as \`${name}=VALUE\`.`,
        ),
      };
    }
    const next = lookup(rule === undefined ? policy.verbs : rule.sub, arg) ?? rule?.otherSub;
    if (!next) return { error: unknownCommand(policy, current, arg, rule) };
    current = [...current, arg];
    rule = next;
    if (!next.sub && !next.otherSub) return { found: { path: current, rule, end: i + 1 } };
  }
  return { found: { path: current, rule, end: args.length } };
}

// ---------------------------------------------------------------------------------------------------------
// Flags as the tool parses them

function scanFlags(
  policy: ToolPolicy,
  args: readonly string[],
  verb: string,
  end: number,
): { flags: FlagUse[]; positionals: string[] } {
  const flags: FlagUse[] = [];
  const positionals: string[] = [];
  const valueShorts = policy.valueShorts(verb);
  const known = new Set([...(policy.globals.bool ?? []), ...policy.boolLongs]);
  let uncertain = false;
  let dashdash = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const certain = !uncertain;
    uncertain = false;
    if (dashdash || arg === '-' || !arg.startsWith('-')) {
      if (i >= end) positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      dashdash = true;
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = norm(eq < 0 ? arg.slice(2) : arg.slice(2, eq));
      const shown = `--${name}`;
      if (eq >= 0) {
        flags.push({ name, long: true, shown, value: arg.slice(eq + 1), index: i, certain });
      } else if (policy.valueLongs.includes(name)) {
        flags.push({ name, long: true, shown, value: args[i + 1], index: i, certain });
        i++;
      } else {
        flags.push({ name, long: true, shown, value: undefined, index: i, certain });
        if (!known.has(name)) uncertain = true;
      }
      continue;
    }
    for (let k = 1; k < arg.length; k++) {
      const name = arg[k]!;
      if (arg[k + 1] === '=') {
        flags.push({ name, long: false, shown: arg, value: arg.slice(k + 2), index: i, certain });
        break;
      }
      if (valueShorts.includes(name)) {
        const rest = arg.slice(k + 1);
        if (rest !== '') {
          flags.push({ name, long: false, shown: arg, value: rest, index: i, certain });
        } else {
          flags.push({ name, long: false, shown: arg, value: args[i + 1], index: i, certain });
          i++;
        }
        break;
      }
      flags.push({ name, long: false, shown: arg, value: undefined, index: i, certain });
      if (k === arg.length - 1 && !known.has(name)) uncertain = true;
    }
  }
  return { flags, positionals };
}

/** Credential-bearing and target-changing flags, anywhere in the command, in every form. */
function refuseFlags(policy: ToolPolicy, args: readonly string[], verb: string): void {
  const valueShorts = policy.valueShorts(verb);
  for (const arg of args) {
    if (arg.length < 2 || !arg.startsWith('-')) continue;
    if (arg.startsWith('--')) {
      const raw = arg.slice(2).split('=')[0]!;
      const name = norm(raw);
      const found = Object.hasOwn(policy.refusedFlags, name) ? policy.refusedFlags[name] : undefined;
      if (found) throw refusal(policy.tool, 'flag', `--${raw}`, found.why, found.next);
      continue;
    }
    for (let k = 1; k < arg.length; k++) {
      const ch = arg[k]!;
      const found = Object.hasOwn(policy.refusedShorts, ch) ? policy.refusedShorts[ch] : undefined;
      if (found) throw refusal(policy.tool, 'flag', k === 1 ? `-${ch}` : arg, found.why, found.next);
      if (arg[k + 1] === '=' || valueShorts.includes(ch)) break; // the rest is this flag's value
    }
  }
}

const SAFE_SECRET_OUTPUTS = new Set(['', 'yaml', 'json', 'name', 'wide']);
const SECRET_RESOURCE = /^secrets?(?:$|[./])/i;

function mentionsSecrets(positionals: readonly string[]): boolean {
  return positionals.some((p) => p.split(',').some((part) => SECRET_RESOURCE.test(part)));
}

// ---------------------------------------------------------------------------------------------------------
// The check

/**
 * Checks a tokenised command against the tool's policy and says what it is, or throws a {@link CliRefused}
 * naming what was refused, why, and what to do instead. In order:
 * 1. the command is found after global flags (a flag whose value-taking is unknown before the command is
 *    refused as ambiguous; unknown commands are refused, since kubectl and helm run plugins for them);
 * 2. refused commands (`kubectl exec`, `helm plugin`, `argocd login`…);
 * 3. credential-bearing and target-changing flags anywhere, in `--flag value`, `--flag=value` and shorthand
 *    forms (`--token`, `--server`/`-s`, `--kubeconfig`, `--as`…);
 * 4. the command's own checks (`config view --raw`, `run -it`…);
 * 5. files on the server's disk, unless `allowLocalFiles`;
 * 6. kubectl output formats that cannot be redacted on Secrets, unless `allowSecrets`;
 * 7. in `readOnly`, anything but reads and dry runs.
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
  const walked = walk(policy, args, 0, undefined, [], new Map());
  if (walked.error) {
    // a credential flag is the clearer refusal when there is one
    refuseFlags(policy, args, '');
    throw walked.error;
  }
  const { path, rule, end } = walked.found;
  const verb = path.join(' ');
  const name = commandName(tool, path);
  if (rule?.access === 'refused') {
    const why = rule.refusal?.why ?? 'this runner never runs it';
    throw refusal(tool, 'verb', name, why, rule.refusal?.next ?? 'Use another command.');
  }
  refuseFlags(policy, args, verb);

  const { flags, positionals } = scanFlags(policy, args, verb, end);
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
    lastFlag,
    refuse(kind, shown, why, next) {
      throw refusal(tool, kind, shown, why, next);
    },
  };
  rule?.check?.(ctx);

  if (!ctx.allowLocalFiles) {
    if (rule?.localFiles) {
      ctx.refuse(
        'local-file',
        name,
        rule.localFiles,
        "Files on the server's disk are off limits here; the server can allow them with its local-files option.",
      );
    }
    const shorts = policy.localPaths.short(verb);
    for (const use of flags) {
      const isPath = use.long ? policy.localPaths.long.includes(use.name) : shorts.includes(use.name);
      if (!isPath || use.value === undefined || policy.localPaths.remote.test(use.value)) continue;
      ctx.refuse(
        'local-file',
        use.long ? `${use.shown} ${use.value}` : `-${use.name} ${use.value}`,
        `it reads or writes \`${use.value}\` on the server's own disk`,
        'Pass a URL (https://…) instead of a path, or `-` with the content given as stdin; the server can allow local files with its local-files option.',
      );
    }
  }

  if (tool === 'kubectl' && !ctx.allowSecrets) {
    const output = flags.filter((f) => f.name === 'o' || f.name === 'output').pop();
    const template = lastFlag('template');
    const format = (output?.value ?? '').split('=')[0]!.toLowerCase();
    const unsafe = template !== undefined || !SAFE_SECRET_OUTPUTS.has(format);
    const fromFiles = flags.some(
      (f) => ['f', 'k', 'filename', 'kustomize'].includes(f.name) && verb !== 'logs',
    );
    const secrets = mentionsSecrets(positionals) || verb.startsWith('create secret');
    if (unsafe && (secrets || fromFiles)) {
      ctx.refuse(
        'secrets',
        template ? `${template.shown}` : `-o ${output?.value ?? ''}`,
        secrets
          ? 'on Secrets this output format prints their values, which this server does not show'
          : 'the objects named by the file may be Secrets, and this output format would print their values',
        'Use `-o yaml` or `-o json` (values redacted, keys kept) or `kubectl describe secret` (sizes); the server can allow secret values with its allow-secrets option.',
      );
    }
  }

  let access: CliAccess = rule?.access === 'write' ? 'write' : 'read';
  let dryRun = false;
  const dry = lastFlag('dry-run');
  if (access === 'write' && dry?.long && dry.certain) {
    const value = dry.value?.toLowerCase();
    dryRun =
      tool === 'kubectl'
        ? value === 'client' || value === 'server'
        : tool === 'helm' &&
          (value === undefined || value === 'client' || value === 'server' || value === 'true');
    if (dryRun) access = 'read';
  }
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
  const hasNamespace = flags.some((f) => ['n', 'namespace', 'A', 'all-namespaces'].includes(f.name));
  return {
    tool,
    verb,
    access,
    destructive: !dryRun && rule?.destructive === true,
    dryRun,
    hasNamespace,
  };
}

/** The commands of a tool's policy by class, subcommands as `rollout status`, `proj *` for any other. */
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
