/**
 * What the runner knows about a tool's options: for each command, its own options (long name, shorthand,
 * whether it takes a value). kubectl's and helm's come from their binaries (`scripts/cli-flags.mjs` writes
 * `kubectl.json` and `helm.json`); istioctl's and argocd's are written by hand with {@link options}.
 */

/** `none`: a boolean; `required`: `--x v` or `--x=v`; `optional`: only `--x=v` sets it (pflag NoOptDefVal). */
export type OptionValue = 'none' | 'required' | 'optional';

export interface OptionSpec {
  readonly short?: string;
  readonly value: OptionValue;
}

/** One command's options by long name, and its shorthands. */
export interface OptionTable {
  readonly long: ReadonlyMap<string, OptionSpec>;
  /** Shorthand letter to long name. */
  readonly short: ReadonlyMap<string, string>;
}

/** The shape of `kubectl.json` and `helm.json` (as JSON imports type it: values checked when loaded). */
export interface FlagData {
  readonly tool: string;
  readonly version: string;
  readonly commands: Readonly<
    Record<
      string,
      {
        readonly aliases?: readonly string[];
        /** `mentions`: the help text names a file, path or URL (for the classification tests). */
        readonly flags: Readonly<Record<string, { short?: string; value: string; mentions?: string }>>;
      }
    >
  >;
}

const VALUES: readonly string[] = ['none', 'required', 'optional'] satisfies OptionValue[];

export function optionTable(entries: Iterable<readonly [string, OptionSpec]>): OptionTable {
  const long = new Map<string, OptionSpec>();
  const short = new Map<string, string>();
  for (const [name, spec] of entries) {
    long.set(name, spec);
    if (spec.short) short.set(spec.short, name);
  }
  return { long, short };
}

/** Each command's table by its canonical path (`''` is the root: options valid everywhere). */
export function tablesFromData(data: FlagData): ReadonlyMap<string, OptionTable> {
  const out = new Map<string, OptionTable>();
  for (const [path, command] of Object.entries(data.commands)) {
    const entries = Object.entries(command.flags).map(([name, flag]) => {
      if (!VALUES.includes(flag.value)) throw new Error(`${data.tool} ${path} --${name}: bad value kind`);
      const value = flag.value as OptionValue;
      return [name, flag.short ? { short: flag.short, value } : { value }] as const;
    });
    out.set(path, optionTable(entries));
  }
  return out;
}

/**
 * Options written the way a help page shows them: `-o --output=` takes a value, `--dry-run[=]` takes an
 * optional one (`--dry-run=server`), `-A --all-namespaces` is a boolean.
 */
export function options(...specs: string[]): OptionTable {
  return optionTable(
    specs.map((text) => {
      const m = /^(?:-(\w) )?--([\w-]+)(=|\[=\])?$/.exec(text);
      if (!m) throw new Error(`bad option spec: ${text}`);
      const value: OptionValue = m[3] === '=' ? 'required' : m[3] ? 'optional' : 'none';
      return [m[2]!, m[1] ? { short: m[1], value } : { value }] as const;
    }),
  );
}

/** Merges tables; a later one wins on a clash, as a command's own option hides a global one in cobra. */
export function mergeTables(...tables: readonly (OptionTable | undefined)[]): OptionTable {
  return optionTable(tables.flatMap((t) => (t ? [...t.long] : [])));
}
