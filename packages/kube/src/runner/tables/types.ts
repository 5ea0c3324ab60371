import type { CliRefusalKind, CliTool } from '../errors.js';
import type { FlagUse } from '../flags/parse.js';
import type { OptionTable } from '../flags/spec.js';
import type { CheckContext } from '../policy.js';

export interface Refusal {
  /** Why, completing "Refused `X`: …". */
  readonly why: string;
  /** What to do instead. */
  readonly next: string;
  /** Default `flag`. */
  readonly kind?: CliRefusalKind;
  /**
   * Only the root's option of that name is refused: a command's own option of the same name is another
   * option (`kubectl create rolebinding --user` names a subject, not the kubeconfig user).
   */
  readonly rootOnly?: boolean;
}

export interface VerbRule {
  /** `refused`: never run, whatever the mode. */
  readonly access: 'read' | 'write' | 'refused';
  /** Deletes or replaces something (for confirmation prompts). */
  readonly destructive?: boolean;
  /** For refused commands: why and what instead. */
  readonly refusal?: Refusal;
  /** Subcommands (aliases share the same rule object). Without it, the command is a leaf. */
  readonly sub?: Readonly<Record<string, VerbRule>>;
  /** Rule for subcommands not in `sub`; without it they are refused as unknown. */
  readonly otherSub?: VerbRule;
  /** A group that also runs without a subcommand (`kubectl cluster-info`, `kubectl create -f`). */
  readonly bare?: boolean;
  /** The command's own name when it has aliases (`deployment` for `deploy`): its options are found by it. */
  readonly name?: string;
  /** Reads or writes files on the server's disk: refused unless local files are allowed. Says how. */
  readonly localFiles?: string;
  /** Extra checks on the whole command (throw a CliRefused). */
  readonly check?: (ctx: CheckContext) => void;
}

export interface ToolPolicy {
  readonly tool: CliTool;
  /** A command's own options by its path of own names (`create deployment`); `''` is the root's. */
  options(path: string): OptionTable | undefined;
  /** How the tool reads a long option name (kubectl reads `_` as `-`). */
  normalise(name: string): string;
  /** Options refused wherever they appear, by long name, with why. */
  readonly refused: Readonly<Record<string, Refusal>>;
  /** Options whose value is a file or directory on the server's disk. */
  readonly paths: readonly string[];
  /** Options whose value is a path, `-` (stdin), or a URL the tool fetches. */
  readonly pathsOrUrls: readonly string[];
  /**
   * Options among those above that the tool reads as a comma-separated list (pflag's string slices, parsed
   * as CSV: `-f a.yaml,https://…` reads both). Each item is checked on its own.
   */
  readonly lists: readonly string[];
  /** Options whose value is a URL the tool fetches. */
  readonly urls: readonly string[];
  /** URL schemes the tool fetches, spelled as it recognises them. */
  readonly schemes: readonly string[];
  /** Checks of option values by long name (log levels, output formats). */
  readonly values: Readonly<Record<string, (use: FlagUse, ctx: CheckContext) => void>>;
  /** The command is a dry run the tool honours (never for a command that ignores it). */
  dryRun(ctx: CheckContext): boolean;
  /** Checks of every command after its options (Secrets in the output, URLs in arguments). */
  readonly check?: (ctx: CheckContext) => void;
  readonly verbs: Readonly<Record<string, VerbRule>>;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers for writing the tables

export const read: VerbRule = { access: 'read' };
export const write: VerbRule = { access: 'write' };
export const destroy: VerbRule = { access: 'write', destructive: true };

export function refused(why: string, next: string): VerbRule {
  return { access: 'refused', refusal: { why, next } };
}

export function group(
  sub: Record<string, VerbRule>,
  extra: Omit<VerbRule, 'sub' | 'access'> & { access?: VerbRule['access'] } = {},
): VerbRule {
  return { access: 'read', ...extra, sub };
}

/** `names` may hold aliases separated by `|`: `list|ls`; the first is the command's own name. */
export function table(entries: Record<string, VerbRule>): Record<string, VerbRule> {
  const out: Record<string, VerbRule> = {};
  for (const [names, rule] of Object.entries(entries)) {
    const all = names.split('|');
    const own = { ...rule, name: all[0]! }; // one object per command, shared by its aliases only
    for (const name of all) out[name] = own;
  }
  return out;
}

/** Options from a map of hand-written tables, for tools without a binary here. */
export function handOptions(
  tables: Readonly<Record<string, OptionTable>>,
): (path: string) => OptionTable | undefined {
  return (path) => (Object.hasOwn(tables, path) ? tables[path] : undefined);
}

/** A log-level option that allows only the levels in `allowed` (compared in lower case). */
export function levelCheck(allowed: readonly string[], why: string, next: string) {
  return (use: FlagUse, ctx: CheckContext): void => {
    const value = (use.value ?? '').toLowerCase();
    if (!allowed.includes(value)) ctx.refuse('verbose', `${use.shown} ${use.value ?? ''}`.trim(), why, next);
  };
}
