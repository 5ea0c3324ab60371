import { CLI_TOOLS, CliRefused, type CliTool } from './errors.js';

const QUOTE_HINT =
  'If the character belongs to an argument (a label value, a JSONPath), put that argument in single quotes.';

/** Shell operators, refused unquoted: the runner starts one program and never a shell. */
function shellOperator(tool: CliTool | undefined, text: string, i: number): CliRefused {
  const c = text[i]!;
  const two = text.slice(i, i + 2);
  const name = tool ?? 'the tool';
  const one = `Run one ${name} command per call and filter its output with the tool's own flags (\`-o jsonpath=…\`, \`-l selector\`, \`--tail\`). ${QUOTE_HINT}`;
  switch (c) {
    case '|':
      return new CliRefused(
        tool,
        'shell',
        two === '||' ? '||' : '|',
        two === '||'
          ? 'Refused `||`: it chains commands in a shell, and this runner runs one program without a shell.'
          : 'Refused `|`: a pipe needs a shell, and this runner runs one program without a shell.',
        one,
      );
    case '&':
      return new CliRefused(
        tool,
        'shell',
        two === '&&' ? '&&' : '&',
        two === '&&'
          ? 'Refused `&&`: it chains commands in a shell, and this runner runs one program without a shell.'
          : 'Refused `&`: running in the background needs a shell, and this runner runs one program without a shell.',
        one,
      );
    case ';':
      return new CliRefused(
        tool,
        'shell',
        ';',
        'Refused `;`: it separates shell commands, and this runner runs one program without a shell.',
        one,
      );
    case '>':
    case '<':
      return new CliRefused(
        tool,
        'shell',
        c,
        `Refused \`${c}\`: redirection needs a shell and would touch files on the server; this runner runs one program without a shell and returns its output.`,
        `Drop the redirection: the output comes back in the result. ${QUOTE_HINT}`,
      );
    case '(':
    case ')':
      return new CliRefused(
        tool,
        'shell',
        c,
        `Refused \`${c}\`: subshells need a shell, and this runner runs one program without a shell.`,
        QUOTE_HINT,
      );
    default:
      return new CliRefused(
        tool,
        'shell',
        '`',
        'Refused a backtick: command substitution needs a shell, and this runner never runs one.',
        `Run the inner command as its own call and paste its result into this one. ${QUOTE_HINT}`,
      );
  }
}

/** `$NAME`, `${…}`, `$(…)`, `$((…))`, `$'…'`, `$"…"` and the special parameters expand in a shell. */
const EXPANDS = /[A-Za-z_0-9{(@*#?!$'"-]/;

function expansion(tool: CliTool | undefined, text: string, i: number, quoted: boolean): CliRefused {
  const next = text[i + 1] ?? '';
  const what = next === '(' ? 'command substitution' : 'variable expansion';
  const shown = next === '(' ? '$(' : next === '{' ? '${' : `$${next}`;
  return new CliRefused(
    tool,
    'shell',
    shown,
    `Refused \`${shown}\`${quoted ? ' inside double quotes' : ''}: ${what} needs a shell, and this runner never runs one.`,
    next === '('
      ? 'Run the inner command as its own call and paste its result into this one.'
      : 'Write the value itself instead of a variable; for a literal `$`, use single quotes.',
  );
}

/**
 * Splits a command line into argv the way a POSIX shell would quote it, without any of what a shell would
 * run or expand:
 * - spaces and tabs separate words; `'…'` is literal; `"…"` keeps everything but `\"`, `\\`, `\$`, `` \` ``
 *   and backslash-newline (the escapes a shell honours there); a backslash outside quotes escapes the next
 *   character, and backslash-newline continues the line;
 * - `*`, `?`, `[…]`, `{…}`, `~` and `!` are plain characters (no globbing, no brace or tilde expansion);
 * - refused with a {@link CliRefused}: `|`, `||`, `&`, `&&`, `;`, `<`, `>`, `(`, `)`, backticks, `$(…)`,
 *   `${…}`, `$NAME` (unquoted or in double quotes), an unquoted `#` starting a word (a shell comment), a
 *   line break outside quotes (a second command), NUL characters and unbalanced quotes.
 *
 * With `tool`, a leading tool name (`kubectl get pods` for kubectl) is dropped, and a leading name of another
 * tool (`helm list` given to kubectl) is refused.
 */
export function tokenize(command: string, tool?: CliTool): string[] {
  if (typeof command !== 'string') {
    throw new CliRefused(tool, 'syntax', String(command), 'The command must be a string.');
  }
  const text = command.trim();
  if (text === '') {
    throw new CliRefused(
      tool,
      'syntax',
      '',
      'The command is empty.',
      tool ? `Pass a ${tool} command, for example \`${example(tool)}\`.` : undefined,
    );
  }
  if (text.includes('\0')) {
    throw new CliRefused(tool, 'syntax', '\\0', 'The command contains a NUL character.', 'Remove it.');
  }
  const words: string[] = [];
  let word: string | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== null) words.push(word);
      word = null;
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      throw new CliRefused(
        tool,
        'shell',
        '\\n',
        'Refused a line break: a shell would run each line as its own command, and this runner runs one.',
        'Put the whole command on one line (a backslash at the end of a line continues it), one command per call.',
      );
    }
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) {
        throw new CliRefused(
          tool,
          'syntax',
          '\\',
          'The command ends with a backslash that escapes nothing.',
          'Remove it, or quote the argument it belongs to.',
        );
      }
      if (next === '\n' || next === '\r') {
        // line continuation: the backslash and the line break disappear
        i += next === '\r' && text[i + 2] === '\n' ? 3 : 2;
        continue;
      }
      word = (word ?? '') + next;
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) {
        throw new CliRefused(
          tool,
          'syntax',
          "'",
          'Unbalanced single quote: a quote opened here is never closed.',
          "Close the quote; inside single quotes every character is literal, so a literal ' must be written outside them as \\'.",
        );
      }
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const d = text[j]!;
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '\\') {
          const e = text[j + 1];
          if (e === '"' || e === '\\' || e === '$' || e === '`') {
            value += e;
            j += 2;
            continue;
          }
          if (e === '\n' || e === '\r') {
            j += e === '\r' && text[j + 2] === '\n' ? 3 : 2;
            continue;
          }
          value += d;
          j++;
          continue;
        }
        if (d === '$' && EXPANDS.test(text[j + 1] ?? '')) throw expansion(tool, text, j, true);
        if (d === '`') {
          throw new CliRefused(
            tool,
            'shell',
            '`',
            'Refused a backtick inside double quotes: command substitution needs a shell, and this runner never runs one.',
            'Use single quotes for a literal backtick.',
          );
        }
        value += d;
        j++;
      }
      if (!closed) {
        throw new CliRefused(
          tool,
          'syntax',
          '"',
          'Unbalanced double quote: a quote opened here is never closed.',
          'Close the quote, or escape a literal double quote as \\".',
        );
      }
      word = (word ?? '') + value;
      i = j + 1;
      continue;
    }
    if (
      c === '|' ||
      c === '&' ||
      c === ';' ||
      c === '<' ||
      c === '>' ||
      c === '(' ||
      c === ')' ||
      c === '`'
    ) {
      throw shellOperator(tool, text, i);
    }
    if (c === '$' && EXPANDS.test(text[i + 1] ?? '')) throw expansion(tool, text, i, false);
    if (c === '#' && word === null) {
      throw new CliRefused(
        tool,
        'shell',
        '#',
        'Refused `#`: at the start of a word it begins a shell comment, which this runner does not interpret.',
        'Remove the comment, or quote the argument if the `#` belongs to it.',
      );
    }
    word = (word ?? '') + c;
    i++;
  }
  if (word !== null) words.push(word);

  if (tool && words.length > 0) {
    const first = words[0]!;
    if (first === tool) return words.slice(1);
    const other = CLI_TOOLS.find((t) => t === first);
    if (other) {
      throw new CliRefused(
        tool,
        'tool',
        first,
        `This command is for \`${other}\`, but it was given to the ${tool} tool.`,
        `Run it with the ${other} tool, or pass a ${tool} command (\`${example(tool)}\`).`,
      );
    }
  }
  return words;
}

function example(tool: CliTool): string {
  switch (tool) {
    case 'kubectl':
      return 'kubectl get pods';
    case 'helm':
      return 'helm list';
    case 'istioctl':
      return 'istioctl proxy-status';
    default:
      return 'argocd app list';
  }
}

/** Quotes argv back into one line a POSIX shell would split the same way (for display only; never run). */
export function quoteArgs(args: readonly string[]): string {
  return args
    .map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
