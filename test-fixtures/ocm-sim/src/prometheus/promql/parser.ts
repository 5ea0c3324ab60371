/**
 * A PromQL parser for the subset the simulator evaluates: precedence, associativity, type checks and messages
 * follow Prometheus' (promql/parser); valid PromQL outside the subset is refused by name, not misparsed.
 */
import {
  type Aggregate,
  type AggregateOp,
  type BinaryOp,
  COMPARISON_OPS,
  type Expr,
  type LabelMatcher,
  type MatchOp,
  PromError,
  SET_OPS,
  TYPE_NAMES,
  type ValueType,
  type VectorSelector,
} from './ast.js';
import { durationMs, parseError, type Token, tokenize } from './lexer.js';

/** Function name → argument types (a trailing `?` marks an optional one) and result type. */
export const FUNCTIONS: Record<string, { args: string[]; returns: ValueType }> = {
  rate: { args: ['matrix'], returns: 'vector' },
  irate: { args: ['matrix'], returns: 'vector' },
  increase: { args: ['matrix'], returns: 'vector' },
  delta: { args: ['matrix'], returns: 'vector' },
  avg_over_time: { args: ['matrix'], returns: 'vector' },
  min_over_time: { args: ['matrix'], returns: 'vector' },
  max_over_time: { args: ['matrix'], returns: 'vector' },
  sum_over_time: { args: ['matrix'], returns: 'vector' },
  count_over_time: { args: ['matrix'], returns: 'vector' },
  last_over_time: { args: ['matrix'], returns: 'vector' },
  abs: { args: ['vector'], returns: 'vector' },
  ceil: { args: ['vector'], returns: 'vector' },
  floor: { args: ['vector'], returns: 'vector' },
  round: { args: ['vector', 'scalar?'], returns: 'vector' },
  sqrt: { args: ['vector'], returns: 'vector' },
  clamp_min: { args: ['vector', 'scalar'], returns: 'vector' },
  clamp_max: { args: ['vector', 'scalar'], returns: 'vector' },
  sort: { args: ['vector'], returns: 'vector' },
  sort_desc: { args: ['vector'], returns: 'vector' },
  scalar: { args: ['vector'], returns: 'scalar' },
  vector: { args: ['scalar'], returns: 'vector' },
  time: { args: [], returns: 'scalar' },
};

const AGGREGATIONS: ReadonlySet<string> = new Set([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'group',
  'topk',
  'bottomk',
]);
/** Valid PromQL the simulator does not evaluate. */
const UNSUPPORTED_AGGREGATIONS = new Set([
  'stddev',
  'stdvar',
  'quantile',
  'count_values',
  'limitk',
  'limit_ratio',
]);
const KNOWN_UNSUPPORTED_FUNCTIONS = new Set([
  'absent',
  'absent_over_time',
  'changes',
  'clamp',
  'day_of_month',
  'day_of_week',
  'days_in_month',
  'deriv',
  'exp',
  'histogram_quantile',
  'holt_winters',
  'hour',
  'idelta',
  'label_join',
  'label_replace',
  'ln',
  'log2',
  'log10',
  'minute',
  'month',
  'predict_linear',
  'quantile_over_time',
  'resets',
  'sgn',
  'stddev_over_time',
  'stdvar_over_time',
  'timestamp',
  'year',
]);

/** Binding power, from Prometheus' grammar: `^` binds tightest and is right-associative. */
const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function unsupported(what: string): PromError {
  return new PromError(
    'bad_data',
    `ocm-sim's Prometheus does not support ${what} (see its README for the subset)`,
  );
}

export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'selector':
      return 'vector';
    case 'matrix':
      return 'matrix';
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'call':
      return FUNCTIONS[e.func]!.returns;
    case 'aggregate':
      return 'vector';
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(e.expr);
  }
}

class Parser {
  private i = 0;
  constructor(
    private readonly query: string,
    private readonly tokens: Token[],
  ) {}

  private get tok(): Token {
    return this.tokens[this.i]!;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private fail(message: string, at: Token = this.tok): never {
    throw parseError(this.query, at.pos, message);
  }

  private describe(t: Token): string {
    switch (t.type) {
      case 'eof':
        return 'end of input';
      case 'ident':
        return AGGREGATIONS.has(t.text) ? `<aggr:${t.text}>` : `identifier ${JSON.stringify(t.text)}`;
      case 'number':
        return `number ${JSON.stringify(t.text)}`;
      case 'duration':
        return `duration ${JSON.stringify(t.text)}`;
      case 'string':
        return `string ${JSON.stringify(t.text)}`;
      case 'punct':
        return t.text in PRECEDENCE ? `<op:${t.text}>` : JSON.stringify(t.text);
    }
  }

  private unexpected(context = ''): never {
    return this.fail(`unexpected ${this.describe(this.tok)}${context}`);
  }

  private atEnd(): boolean {
    return this.tok.type === 'eof';
  }

  private is(text: string): boolean {
    return (this.tok.type === 'punct' || this.tok.type === 'ident') && this.tok.text === text;
  }

  private expect(text: string, context: string): Token {
    if (!this.is(text)) this.unexpected(context);
    return this.next();
  }

  parse(): Expr {
    if (this.atEnd()) this.fail('no expression found in input');
    const e = this.expr(0);
    if (!this.atEnd()) this.unexpected();
    return e;
  }

  private binaryOp(): BinaryOp | undefined {
    const t = this.tok;
    if (t.type === 'punct' && t.text in PRECEDENCE) return t.text as BinaryOp;
    if (t.type === 'ident' && ['and', 'or', 'unless', 'atan2'].includes(t.text)) return t.text as BinaryOp;
    return undefined;
  }

  private expr(minPrec: number): Expr {
    let lhs = this.unary();
    for (;;) {
      const op = this.binaryOp();
      if (!op || PRECEDENCE[op]! < minPrec) return lhs;
      const opTok = this.next();
      let returnBool = false;
      if (this.is('bool')) {
        this.next();
        if (!COMPARISON_OPS.has(op))
          this.fail('bool modifier can only be used on comparison operators', opTok);
        returnBool = true;
      }
      let matching: { on: boolean; labels: string[] } | undefined;
      if (this.is('on') || this.is('ignoring')) {
        const on = this.next().text === 'on';
        matching = { on, labels: this.labelList() };
        if (this.is('group_left') || this.is('group_right'))
          throw unsupported('group_left/group_right (many-to-one matching)');
      }
      const prec = PRECEDENCE[op]!;
      const rhs = this.expr(op === '^' ? prec : prec + 1);
      lhs = this.checkBinary(
        { kind: 'binary', op, lhs, rhs, returnBool, ...(matching ? { matching } : {}) },
        opTok,
      );
    }
  }

  private checkBinary(e: Expr & { kind: 'binary' }, at: Token): Expr {
    const lt = typeOf(e.lhs);
    const rt = typeOf(e.rhs);
    const ok = (t: ValueType) => t === 'scalar' || t === 'vector';
    if (!ok(lt) || !ok(rt))
      this.fail('binary expression must contain only scalar and instant vector types', at);
    if (SET_OPS.has(e.op) && (lt === 'scalar' || rt === 'scalar')) {
      this.fail(`set operator "${e.op}" not allowed in binary scalar expression`, at);
    }
    if (lt === 'scalar' && rt === 'scalar') {
      if (COMPARISON_OPS.has(e.op) && !e.returnBool)
        this.fail('comparisons between scalars must use BOOL modifier', at);
      if (e.matching) this.fail('vector matching only allowed between instant vectors', at);
    } else if ((lt === 'scalar' || rt === 'scalar') && e.matching) {
      this.fail('vector matching only allowed between instant vectors', at);
    }
    return e;
  }

  private unary(): Expr {
    if (this.is('-') || this.is('+')) {
      const op = this.next().text as '-' | '+';
      const expr = this.expr(PRECEDENCE['^']!);
      const t = typeOf(expr);
      if (t !== 'scalar' && t !== 'vector') {
        this.fail(
          `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(TYPE_NAMES[t])}`,
        );
      }
      if (expr.kind === 'number') return { kind: 'number', value: op === '-' ? -expr.value : expr.value };
      return { kind: 'unary', op, expr };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    let out = e;
    for (;;) {
      if (this.is('[')) {
        const open = this.next();
        const range = this.durationOrSeconds(' in subquery or range selector');
        if (this.is(':')) throw unsupported('subqueries');
        this.expect(']', ' in subquery or range selector, expected "]"');
        if (out.kind !== 'selector') this.fail('ranges only allowed for vector selectors', open);
        out = { kind: 'matrix', selector: out, rangeMs: range };
        continue;
      }
      if (this.is('offset')) {
        const at = this.next();
        const negative = this.is('-');
        if (negative) this.next();
        const ms = this.durationOrSeconds(' in offset') * (negative ? -1 : 1);
        const target = out.kind === 'matrix' ? out.selector : out.kind === 'selector' ? out : undefined;
        if (!target)
          this.fail(
            'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
            at,
          );
        target!.offsetMs = ms;
        continue;
      }
      if (this.is('@')) throw unsupported('the @ modifier');
      return out;
    }
  }

  private durationOrSeconds(context: string): number {
    const t = this.tok;
    if (t.type === 'duration') {
      this.next();
      return durationMs(t.text)!;
    }
    if (t.type === 'number' && Number.isFinite(Number(t.text))) {
      this.next();
      return Math.round(Number(t.text) * 1000);
    }
    return this.unexpected(context);
  }

  private primary(): Expr {
    const t = this.tok;
    switch (t.type) {
      case 'number':
        this.next();
        return { kind: 'number', value: parseNumber(t.text) };
      case 'string':
        this.next();
        return { kind: 'string', value: t.text };
      case 'punct':
        if (t.text === '(') {
          this.next();
          const expr = this.expr(0);
          this.expect(')', ' in paren expression, expected ")"');
          return { kind: 'paren', expr };
        }
        if (t.text === '{') return this.selector(undefined);
        return this.unexpected();
      case 'ident': {
        const nextTok = this.tokens[this.i + 1]!;
        const callLike = nextTok.type === 'punct' && nextTok.text === '(';
        if (AGGREGATIONS.has(t.text) && (callLike || nextTok.text === 'by' || nextTok.text === 'without')) {
          return this.aggregate();
        }
        if (UNSUPPORTED_AGGREGATIONS.has(t.text) && callLike) throw unsupported(`the ${t.text} aggregation`);
        if (callLike) return this.call();
        this.next();
        return this.selector(t.text);
      }
      default:
        return this.unexpected();
    }
  }

  private call(): Expr {
    const nameTok = this.next();
    const name = nameTok.text;
    const sig = FUNCTIONS[name];
    if (!sig) {
      if (KNOWN_UNSUPPORTED_FUNCTIONS.has(name)) throw unsupported(`the function ${name}()`);
      this.fail(`unknown function with name ${JSON.stringify(name)}`, nameTok);
    }
    this.expect('(', '');
    const args: Expr[] = [];
    while (!this.is(')')) {
      args.push(this.expr(0));
      if (!this.is(',')) break;
      this.next();
    }
    this.expect(')', ' in function call, expected ")"');
    const required = sig!.args.filter((a) => !a.endsWith('?')).length;
    if (args.length < required || args.length > sig!.args.length) {
      const expected = required === sig!.args.length ? `${required}` : `at most ${sig!.args.length}`;
      this.fail(
        `expected ${expected} argument(s) in call to ${JSON.stringify(name)}, got ${args.length}`,
        nameTok,
      );
    }
    args.forEach((a, i) => {
      const want = sig!.args[i]!.replace('?', '') as ValueType;
      const got = typeOf(a);
      if (got !== want) {
        this.fail(
          `expected type ${TYPE_NAMES[want]} in call to function ${JSON.stringify(name)}, got ${TYPE_NAMES[got]}`,
          nameTok,
        );
      }
    });
    return { kind: 'call', func: name, args };
  }

  private aggregate(): Expr {
    const opTok = this.next();
    const op = opTok.text as AggregateOp;
    let grouping = { without: false, labels: [] as string[] };
    let sawGrouping = false;
    if (this.is('by') || this.is('without')) {
      grouping = { without: this.next().text === 'without', labels: this.labelList() };
      sawGrouping = true;
    }
    this.expect('(', ' in aggregation, expected "("');
    const args: Expr[] = [];
    while (!this.is(')')) {
      args.push(this.expr(0));
      if (!this.is(',')) break;
      this.next();
    }
    this.expect(')', ' in aggregation, expected ")"');
    if (!sawGrouping && (this.is('by') || this.is('without'))) {
      grouping = { without: this.next().text === 'without', labels: this.labelList() };
    }
    const takesParam = op === 'topk' || op === 'bottomk';
    if (args.length !== (takesParam ? 2 : 1)) {
      this.fail(
        `wrong number of arguments for aggregate expression provided, expected ${takesParam ? 2 : 1}, got ${args.length}`,
        opTok,
      );
    }
    const expr = args[takesParam ? 1 : 0]!;
    const t = typeOf(expr);
    if (t !== 'vector')
      this.fail(`expected type instant vector in aggregation expression, got ${TYPE_NAMES[t]}`, opTok);
    const agg: Aggregate = { kind: 'aggregate', op, grouping, expr };
    if (takesParam) {
      const param = args[0]!;
      const pt = typeOf(param);
      if (pt !== 'scalar')
        this.fail(`expected type scalar in aggregation parameter, got ${TYPE_NAMES[pt]}`, opTok);
      agg.param = param;
    }
    return agg;
  }

  private labelList(): string[] {
    this.expect('(', ' in grouping opts, expected "("');
    const labels: string[] = [];
    while (!this.is(')')) {
      const t = this.tok;
      if (t.type !== 'ident' || !LABEL_NAME.test(t.text))
        this.unexpected(' in grouping opts, expected label');
      labels.push(this.next().text);
      if (!this.is(',')) break;
      this.next();
    }
    this.expect(')', ' in grouping opts, expected ")" or ","');
    return labels;
  }

  private selector(name: string | undefined): VectorSelector {
    const at = this.tok;
    const matchers: LabelMatcher[] = [];
    if (name !== undefined) matchers.push({ name: '__name__', op: '=', value: name });
    if (this.is('{')) {
      this.next();
      while (!this.is('}')) {
        const label = this.tok;
        if (label.type !== 'ident' || !LABEL_NAME.test(label.text))
          this.unexpected(' in label matching, expected label');
        this.next();
        const opTok = this.tok;
        if (!(opTok.type === 'punct' && ['=', '!=', '=~', '!~'].includes(opTok.text))) {
          this.unexpected(' in label matching, expected label matching operator');
        }
        this.next();
        const value = this.tok;
        if (value.type !== 'string') this.unexpected(' in label matching, expected string');
        this.next();
        matchers.push(matcher(this.query, label.text, opTok.text as MatchOp, value));
        if (!this.is(',')) break;
        this.next();
      }
      this.expect('}', ' in label matching, expected "," or "}"');
    }
    if (name !== undefined && matchers.filter((m) => m.name === '__name__').length > 1) {
      this.fail(
        `metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(matchers[1]?.value)}`,
        at,
      );
    }
    if (!matchers.some((m) => !matches(m, '')))
      this.fail('vector selector must contain at least one non-empty matcher', at);
    return { kind: 'selector', matchers, offsetMs: 0 };
  }
}

function matcher(query: string, name: string, op: MatchOp, value: Token): LabelMatcher {
  if (op === '=' || op === '!=') return { name, op, value: value.text };
  try {
    return { name, op, value: value.text, re: new RegExp(`^(?:${value.text})$`, 's') };
  } catch (e) {
    throw parseError(query, value.pos, `invalid regular expression: ${(e as Error).message}`);
  }
}

/** Whether a label value (`''` when the label is absent) satisfies the matcher. */
export function matches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return m.re!.test(value);
    case '!~':
      return !m.re!.test(value);
  }
}

function parseNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'inf') return Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  return Number(text);
}

export function parse(query: string): Expr {
  return new Parser(query, tokenize(query)).parse();
}
