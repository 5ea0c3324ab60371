/** The PromQL syntax tree of the subset the simulator evaluates, with each node's value type. */

export type ValueType = 'scalar' | 'string' | 'vector' | 'matrix';

/** How Prometheus names the value types in its messages. */
export const TYPE_NAMES: Record<ValueType, string> = {
  scalar: 'scalar',
  string: 'string',
  vector: 'instant vector',
  matrix: 'range vector',
};

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
  /** Compiled for `=~` and `!~` (fully anchored, as Prometheus anchors them). */
  re?: RegExp;
}

export interface VectorSelector {
  kind: 'selector';
  matchers: LabelMatcher[];
  offsetMs: number;
}

export interface MatrixSelector {
  kind: 'matrix';
  selector: VectorSelector;
  rangeMs: number;
}

export interface NumberLiteral {
  kind: 'number';
  value: number;
}

export interface StringLiteral {
  kind: 'string';
  value: string;
}

export interface Call {
  kind: 'call';
  func: string;
  args: Expr[];
}

export type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group' | 'topk' | 'bottomk';

export interface Aggregate {
  kind: 'aggregate';
  op: AggregateOp;
  /** `by (…)` keeps these labels; `without (…)` drops them (and the metric name). */
  grouping: { without: boolean; labels: string[] };
  /** topk/bottomk's k. */
  param?: Expr;
  expr: Expr;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | 'atan2'
  | '=='
  | '!='
  | '>'
  | '<'
  | '>='
  | '<='
  | 'and'
  | 'or'
  | 'unless';

export interface Binary {
  kind: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** Comparisons with `bool` return 0/1 instead of filtering. */
  returnBool: boolean;
  /** `on (…)` or `ignoring (…)`; one-to-one matching only. */
  matching?: { on: boolean; labels: string[] };
}

export interface Unary {
  kind: 'unary';
  op: '-' | '+';
  expr: Expr;
}

export interface Paren {
  kind: 'paren';
  expr: Expr;
}

export type Expr =
  | VectorSelector
  | MatrixSelector
  | NumberLiteral
  | StringLiteral
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren;

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

/** A query the API refuses: `bad_data` (400) for what the parser or the parameters reject, `execution` (422). */
export class PromError extends Error {
  constructor(
    readonly errorType: 'bad_data' | 'execution',
    message: string,
  ) {
    super(message);
  }
}
