import type { OptionTable } from './spec.js';

/** One option as the tool parses it. */
export interface FlagUse {
  /** The long name (shorthands resolved through the command's table); as written when unknown. */
  name: string;
  /** The shorthand letter when written as one (`-o`), else undefined. */
  short: string | undefined;
  /** As written, for messages: `--raw`, `-o`, or the whole group when not its first letter (`-As`). */
  shown: string;
  /**
   * Its value: `--output=yaml`, `-oyaml`, `-o yaml`; `'true'` for a boolean given bare; undefined for an
   * optional value given bare (`--dry-run`) or a value missing at the end.
   */
  value: string | undefined;
  /** Index of the option's token in the args. */
  index: number;
  /** The option is in the command's table (its own or the root's). */
  known: boolean;
}

export interface ParsedArgs {
  flags: FlagUse[];
  /** Arguments that are neither options, option values nor command names. */
  positionals: string[];
}

/**
 * Reads the options of a command line the way pflag does, with the final command's table:
 * `--x=v`, `--x v` (not for booleans and optional values), `-xv`, `-x=v`, `-x v`, grouped booleans `-abc`
 * (a shorthand that takes a value ends the group), a lone `-` is an argument, `--` ends the options.
 * Unknown options are kept (`known: false`) and read as booleans; the caller refuses them.
 * `skip` holds the indices of the command's own words (`get`, `rollout status`).
 */
export function parseArgs(
  args: readonly string[],
  table: OptionTable,
  skip: ReadonlySet<number>,
  normalise: (name: string) => string,
): ParsedArgs {
  const flags: FlagUse[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (skip.has(i)) continue;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.length < 2 || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const written = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const name = normalise(written);
      const spec = /^[^-=]/.test(written) ? table.long.get(name) : undefined;
      const use: FlagUse = {
        name,
        short: undefined,
        shown: `--${written}`,
        value: undefined,
        index: i,
        known: spec !== undefined,
      };
      if (eq >= 0) use.value = arg.slice(eq + 1);
      else if (spec?.value === 'required') use.value = args[++i];
      else if (spec?.value !== 'optional') use.value = 'true';
      flags.push(use);
      continue;
    }
    for (let k = 1; k < arg.length; k++) {
      const letter = arg[k]!;
      const long = table.short.get(letter);
      const spec = long === undefined ? undefined : table.long.get(long);
      const use: FlagUse = {
        name: long ?? letter,
        short: letter,
        shown: k === 1 ? `-${letter}` : arg,
        value: undefined,
        index: i,
        known: spec !== undefined,
      };
      flags.push(use);
      if (!spec) break; // pflag stops at an unknown shorthand
      const rest = arg.slice(k + 1);
      if (rest.length > 1 && rest[0] === '=') {
        use.value = rest.slice(1);
        break;
      }
      if (spec.value === 'none') {
        use.value = 'true';
        continue;
      }
      if (spec.value === 'optional') continue;
      use.value = rest !== '' ? rest : args[++i];
      break;
    }
  }
  return { flags, positionals };
}
