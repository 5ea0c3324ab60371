import { describe, expect, it } from 'vitest';
import { CliRefused, quoteArgs, tokenize } from '../src/runner/index.js';

function refusal(fn: () => unknown): CliRefused {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliRefused);
    return error as CliRefused;
  }
  throw new Error('expected a refusal');
}

describe('tokenize: words and quotes', () => {
  it('splits on spaces and tabs, collapsing runs', () => {
    expect(tokenize('  get   pods\t-n  default ')).toEqual(['get', 'pods', '-n', 'default']);
  });

  it('keeps single-quoted text literal, backslashes and $ included', () => {
    expect(tokenize(`get pods -o jsonpath='{.items[*].metadata.name} $HOME \\n'`)).toEqual([
      'get',
      'pods',
      '-o',
      'jsonpath={.items[*].metadata.name} $HOME \\n',
    ]);
  });

  it('honours the shell escapes inside double quotes and keeps other backslashes', () => {
    expect(tokenize('annotate pod x "note=say \\"hi\\" \\\\ \\$5 \\`x\\` \\d"')).toEqual([
      'annotate',
      'pod',
      'x',
      'note=say "hi" \\ $5 `x` \\d',
    ]);
  });

  it('joins adjacent quoted and unquoted parts into one word', () => {
    expect(tokenize(`-l app='my app'"-v2" --from-literal=k='a b'`)).toEqual([
      '-l',
      'app=my app-v2',
      '--from-literal=k=a b',
    ]);
  });

  it('keeps empty quoted strings as empty arguments', () => {
    expect(tokenize(`label pod x note='' other=""`)).toEqual(['label', 'pod', 'x', 'note=', 'other=']);
    expect(tokenize(`a '' b`)).toEqual(['a', '', 'b']);
  });

  it('lets a backslash escape a space, a quote or an operator outside quotes', () => {
    expect(tokenize('get pod my\\ pod \\"q\\" a\\|b a\\;b \\$HOME')).toEqual([
      'get',
      'pod',
      'my pod',
      '"q"',
      'a|b',
      'a;b',
      '$HOME',
    ]);
  });

  it('continues a line after backslash-newline, also inside double quotes', () => {
    expect(tokenize('get pods \\\n  -n default')).toEqual(['get', 'pods', '-n', 'default']);
    expect(tokenize('"ab\\\ncd"')).toEqual(['abcd']);
  });

  it('does not glob, brace-expand or tilde-expand', () => {
    expect(tokenize('get pods -o jsonpath={.items[*].metadata.name} ~/x a?b {a,b} !x')).toEqual([
      'get',
      'pods',
      '-o',
      'jsonpath={.items[*].metadata.name}',
      '~/x',
      'a?b',
      '{a,b}',
      '!x',
    ]);
  });

  it('keeps a field selector with != and a $ that does not expand', () => {
    expect(tokenize('get pods --field-selector=status.phase!=Running price$ a$.b')).toEqual([
      'get',
      'pods',
      '--field-selector=status.phase!=Running',
      'price$',
      'a$.b',
    ]);
  });

  it('keeps # inside a word, and quoted #', () => {
    expect(tokenize(`annotate pod x note=a#b "#c" '#d'`)).toEqual([
      'annotate',
      'pod',
      'x',
      'note=a#b',
      '#c',
      '#d',
    ]);
  });

  it('keeps line breaks inside quotes', () => {
    expect(tokenize(`create cm x --from-literal='a=1\nb=2'`)).toEqual([
      'create',
      'cm',
      'x',
      '--from-literal=a=1\nb=2',
    ]);
  });
});

describe('tokenize: the tool name', () => {
  it('drops a leading name of the same tool', () => {
    expect(tokenize('kubectl get pods', 'kubectl')).toEqual(['get', 'pods']);
    expect(tokenize('helm list -A', 'helm')).toEqual(['list', '-A']);
    expect(tokenize('get pods', 'kubectl')).toEqual(['get', 'pods']);
    expect(tokenize('kubectl', 'kubectl')).toEqual([]);
  });

  it('keeps the name without a tool, or when it is an argument', () => {
    expect(tokenize('kubectl get pods')).toEqual(['kubectl', 'get', 'pods']);
    expect(tokenize('get pod kubectl', 'kubectl')).toEqual(['get', 'pod', 'kubectl']);
  });

  it('refuses a command for another tool, naming it', () => {
    const error = refusal(() => tokenize('helm list', 'kubectl'));
    expect(error.kind).toBe('tool');
    expect(error.refused).toBe('helm');
    expect(error.message).toContain('`helm`');
    expect(error.details.next).toContain('helm tool');
  });
});

describe('tokenize: shell syntax is refused, never interpreted', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['get pods | grep web', '|', /pipe/],
    ['get pods || true', '||', /chains commands/],
    ['get pods && kubectl delete pod x', '&&', /chains commands/],
    ['get pods &', '&', /background/],
    ['get pods; rm -rf /', ';', /separates shell commands/],
    ['get pods > /tmp/out', '>', /redirection/],
    ['get pods 2>&1', '>', /redirection/],
    ['apply -f - < x.yaml', '<', /redirection/],
    ['get pods $(whoami)', '$(', /command substitution/],
    ['get pods `whoami`', '`', /command substitution/],
    ['get pods -n $NAMESPACE', '$N', /variable expansion/],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell syntax under test
    ['get pods -n ${NS}', '${', /variable expansion/],
    ['get pods -n "$NS"', '$N', /inside double quotes/],
    ['get pods -n "$(cat /etc/passwd)"', '$(', /command substitution/],
    ['get pods "`id`"', '`', /backtick/],
    ['get pods (x)', '(', /subshell/],
    ['get pods # all of them', '#', /comment/],
    ["get pods $'a'", "$'", /variable expansion/],
    ['get pods\nget nodes', '\\n', /line break/],
  ];
  for (const [command, refused, why] of cases) {
    it(`refuses ${JSON.stringify(command)}`, () => {
      const error = refusal(() => tokenize(command, 'kubectl'));
      expect(error.kind).toBe('shell');
      expect(error.refused).toBe(refused);
      expect(error.message).toMatch(why);
      expect(error.details.next).toBeTruthy();
    });
  }

  it('explains how to keep such a character literally', () => {
    const error = refusal(() => tokenize('get pods -l app=a|b', 'kubectl'));
    expect(error.details.next).toContain('single quotes');
    expect(tokenize(`get pods -l 'app in (a,b)' -o 'jsonpath={$.items}'`, 'kubectl')).toEqual([
      'get',
      'pods',
      '-l',
      'app in (a,b)',
      '-o',
      'jsonpath={$.items}',
    ]);
  });
});

describe('tokenize: syntax errors', () => {
  it('refuses unbalanced quotes', () => {
    expect(refusal(() => tokenize(`get pod 'x`)).kind).toBe('syntax');
    expect(refusal(() => tokenize(`get pod "x`)).message).toMatch(/double quote/);
    expect(refusal(() => tokenize(`get pod "x\\"`)).message).toMatch(/double quote/);
  });

  it('refuses an empty command, a trailing backslash and NUL', () => {
    expect(refusal(() => tokenize('   ', 'kubectl')).message).toMatch(/empty/);
    expect(refusal(() => tokenize('get pods \\')).message).toMatch(/backslash/);
    expect(refusal(() => tokenize('get pods\0')).message).toMatch(/NUL/);
  });
});

describe('quoteArgs', () => {
  it('round-trips through tokenize', () => {
    const args = ['get', 'pods', '-l', 'app in (a,b)', "it's", '', '$HOME', 'a"b'];
    expect(tokenize(quoteArgs(args))).toEqual(args);
  });
});
