import { COMMON_OPTIONS, type OptionSpec } from './options.js';
import type { AnyTool } from './tool.js';

function flagOf(spec: OptionSpec): string {
  return `--${spec.name}${spec.type === 'boolean' ? '' : ` ${spec.valueName ?? spec.type.toUpperCase()}`}`;
}

function optionLines(specs: OptionSpec[], width: number): string[] {
  const rows = specs.map((spec) => {
    const flag = flagOf(spec);
    const notes = [
      spec.defaultText ? `default ${spec.defaultText}` : '',
      spec.env?.length ? `env ${spec.env.join(', ')}` : '',
      spec.secret ? 'prefer the env: flags show in ps' : '',
    ].filter(Boolean);
    return [flag, `${spec.description}${notes.length ? ` [${notes.join('; ')}]` : ''}`] as const;
  });
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`);
}

export interface HelpSpec {
  bin: string;
  version: string;
  description: string;
  options: OptionSpec[];
  optionsTitle: string;
  tools: readonly AnyTool[];
  examples?: string[];
}

/** The `--help` text: generated from the same option specs the loader reads, so it cannot drift. */
export function helpText(spec: HelpSpec): string {
  const toolsets = [...new Set(spec.tools.map((t) => t.toolset))];
  // One column width for both sections, so descriptions line up and never touch the flag.
  const width = Math.max(...[...spec.options, ...COMMON_OPTIONS].map((s) => flagOf(s).length), 14) + 2;
  return [
    `${spec.bin} ${spec.version} — ${spec.description}`,
    '',
    `Usage: ${spec.bin} [options]`,
    '',
    'Precedence: flags, then environment variables, then the --config file.',
    '',
    `${spec.optionsTitle}:`,
    ...optionLines(spec.options, width),
    '',
    'Common options:',
    ...optionLines(COMMON_OPTIONS, width),
    `  ${'--list-tools'.padEnd(width)}Print the tools this configuration exposes and exit.`,
    `  ${'--help, --version'.padEnd(width)}This text; the version.`,
    '',
    `Tools: ${spec.tools.length} in toolsets ${toolsets.join(', ')}.`,
    ...(spec.examples?.length ? ['', 'Examples:', ...spec.examples.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n');
}

/** `--list-tools`: one line per tool with its toolset and what it may do. */
export function toolListText(tools: readonly AnyTool[]): string {
  const width = Math.max(...tools.map((t) => t.name.length), 4) + 2;
  return tools
    .map((t) => {
      const a = t.annotations;
      const kind = a.readOnlyHint ? 'read' : a.destructiveHint ? 'destructive' : 'write';
      return `${t.name.padEnd(width)}${t.toolset.padEnd(14)}${kind.padEnd(13)}${t.title}`;
    })
    .join('\n');
}
