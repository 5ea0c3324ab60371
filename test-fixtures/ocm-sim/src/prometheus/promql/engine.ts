/**
 * Evaluates the parsed subset as Prometheus 3 does: samples every scrape interval, a 5-minute lookback for
 * instant selectors, left-open range windows, extrapolated rate/increase, one-to-one vector matching.
 */
import {
  type Aggregate,
  type Binary,
  COMPARISON_OPS,
  type Expr,
  type MatrixSelector,
  PromError,
  SET_OPS,
  type VectorSelector,
} from './ast.js';
import { matches } from './parser.js';

export type Labels = Record<string, string>;

/** One time series of the simulated cluster: its labels and its value at any of its sample times. */
export interface SeriesData {
  labels: Labels;
  /** No sample before this (epoch ms); samples fall on multiples of the scrape interval. */
  startMs: number;
  valueAt(ms: number): number;
}

export const SCRAPE_INTERVAL_MS = 30_000;
const LOOKBACK_MS = 5 * 60_000;

export interface Sample {
  labels: Labels;
  value: number;
}

export type Point = [ms: number, value: number];

export interface Series {
  labels: Labels;
  points: Point[];
}

export type Value =
  | { type: 'scalar'; value: number }
  | { type: 'string'; value: string }
  | { type: 'vector'; samples: Sample[] }
  | { type: 'matrix'; series: Series[] };

export function labelsKey(l: Labels): string {
  return JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** labels.Labels.String(): `{__name__="up", job="a"}`, sorted. */
function formatLabels(l: Labels): string {
  const inner = Object.keys(l)
    .sort()
    .map((k) => `${k}=${JSON.stringify(l[k])}`)
    .join(', ');
  return `{${inner}}`;
}

const withoutName = ({ __name__: _n, ...rest }: Labels): Labels => rest;

const byLabels = (a: { labels: Labels }, b: { labels: Labels }) => {
  const ka = labelsKey(a.labels);
  const kb = labelsKey(b.labels);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

export class Engine {
  private readonly selected = new Map<VectorSelector, SeriesData[]>();

  /** `series`: a snapshot of the cluster's series, taken once per query. */
  constructor(private readonly series: SeriesData[]) {}

  private select(sel: VectorSelector): SeriesData[] {
    let out = this.selected.get(sel);
    if (!out) {
      out = this.series
        .filter((s) => sel.matchers.every((m) => matches(m, s.labels[m.name] ?? '')))
        .sort(byLabels);
      this.selected.set(sel, out);
    }
    return out;
  }

  /** The samples of `s` in (fromMs, toMs]. */
  private samples(s: SeriesData, fromMs: number, toMs: number): Point[] {
    const points: Point[] = [];
    const first = Math.max(
      Math.floor(fromMs / SCRAPE_INTERVAL_MS) + 1,
      Math.ceil(s.startMs / SCRAPE_INTERVAL_MS),
    );
    for (let k = first; k * SCRAPE_INTERVAL_MS <= toMs; k++) {
      const ms = k * SCRAPE_INTERVAL_MS;
      points.push([ms, s.valueAt(ms)]);
    }
    return points;
  }

  /** The latest sample at or before `t` within the lookback window. */
  private instant(sel: VectorSelector, t: number): Sample[] {
    const at = t - sel.offsetMs;
    const ms = Math.floor(at / SCRAPE_INTERVAL_MS) * SCRAPE_INTERVAL_MS;
    const out: Sample[] = [];
    for (const s of this.select(sel)) {
      if (ms >= s.startMs && ms > at - LOOKBACK_MS) out.push({ labels: s.labels, value: s.valueAt(ms) });
    }
    return out;
  }

  private range(m: MatrixSelector, t: number): Series[] {
    const at = t - m.selector.offsetMs;
    return this.select(m.selector)
      .map((s) => ({ labels: s.labels, points: this.samples(s, at - m.rangeMs, at) }))
      .filter((s) => s.points.length > 0);
  }

  eval(e: Expr, t: number): Value {
    switch (e.kind) {
      case 'number':
        return { type: 'scalar', value: e.value };
      case 'string':
        return { type: 'string', value: e.value };
      case 'paren':
        return this.eval(e.expr, t);
      case 'selector':
        return { type: 'vector', samples: this.instant(e, t) };
      case 'matrix':
        return { type: 'matrix', series: this.range(e, t) };
      case 'unary': {
        const v = this.eval(e.expr, t);
        if (e.op === '+') return v;
        if (v.type === 'scalar') return { type: 'scalar', value: -v.value };
        return {
          type: 'vector',
          samples: this.vector(v).map((s) => ({ labels: withoutName(s.labels), value: -s.value })),
        };
      }
      case 'call':
        return this.call(e.func, e.args, t);
      case 'aggregate':
        return { type: 'vector', samples: this.aggregate(e, t) };
      case 'binary':
        return this.binary(e, t);
    }
  }

  private vector(v: Value): Sample[] {
    if (v.type !== 'vector') throw new PromError('execution', `expected instant vector, got ${v.type}`);
    return v.samples;
  }

  private scalar(v: Value): number {
    if (v.type !== 'scalar') throw new PromError('execution', `expected scalar, got ${v.type}`);
    return v.value;
  }

  private call(func: string, args: Expr[], t: number): Value {
    if (func === 'time') return { type: 'scalar', value: t / 1000 };
    if (func === 'vector')
      return { type: 'vector', samples: [{ labels: {}, value: this.scalar(this.eval(args[0]!, t)) }] };
    if (func === 'scalar') {
      const v = this.vector(this.eval(args[0]!, t));
      return { type: 'scalar', value: v.length === 1 ? v[0]!.value : Number.NaN };
    }
    const arg = args[0]!;
    if (arg.kind === 'matrix') {
      const out: Sample[] = [];
      for (const s of this.range(arg, t)) {
        const value = overTime(func, s.points, arg, t);
        if (value === undefined) continue;
        out.push({ labels: func === 'last_over_time' ? s.labels : withoutName(s.labels), value });
      }
      return { type: 'vector', samples: out };
    }
    const v = this.vector(this.eval(arg, t));
    if (func === 'sort' || func === 'sort_desc') {
      const dir = func === 'sort' ? 1 : -1;
      return { type: 'vector', samples: [...v].sort((a, b) => dir * compareValues(a.value, b.value)) };
    }
    const param = args[1] ? this.scalar(this.eval(args[1], t)) : undefined;
    const fn = elementwise(func, param);
    return { type: 'vector', samples: v.map((s) => ({ labels: withoutName(s.labels), value: fn(s.value) })) };
  }

  private aggregate(e: Aggregate, t: number): Sample[] {
    const input = this.vector(this.eval(e.expr, t));
    const groups = new Map<string, { labels: Labels; samples: Sample[] }>();
    for (const s of input) {
      const labels = groupLabels(s.labels, e.grouping);
      const key = labelsKey(labels);
      const g = groups.get(key) ?? { labels, samples: [] };
      g.samples.push(s);
      groups.set(key, g);
    }
    const ordered = [...groups.values()].sort(byLabels);
    if (e.op === 'topk' || e.op === 'bottomk') {
      const k = Math.floor(this.scalar(this.eval(e.param!, t)));
      const dir = e.op === 'topk' ? -1 : 1;
      // NaN sorts last either way, as Prometheus ranks it below every number
      return ordered.flatMap((g) =>
        k < 1
          ? []
          : [...g.samples]
              .sort((a, b) =>
                Number.isNaN(a.value) ? 1 : Number.isNaN(b.value) ? -1 : dir * (a.value - b.value),
              )
              .slice(0, k),
      );
    }
    return ordered.map((g) => ({
      labels: g.labels,
      value: reduce(
        e.op,
        g.samples.map((s) => s.value),
      ),
    }));
  }

  private binary(e: Binary, t: number): Value {
    const lhs = this.eval(e.lhs, t);
    const rhs = this.eval(e.rhs, t);
    const comparison = COMPARISON_OPS.has(e.op);
    if (lhs.type === 'scalar' && rhs.type === 'scalar') {
      return { type: 'scalar', value: arithmetic(e.op, lhs.value, rhs.value) };
    }
    if (lhs.type === 'scalar' || rhs.type === 'scalar') {
      const scalarLeft = lhs.type === 'scalar';
      const scalar = scalarLeft ? this.scalar(lhs) : this.scalar(rhs);
      const out: Sample[] = [];
      for (const s of this.vector(scalarLeft ? rhs : lhs)) {
        const [l, r] = scalarLeft ? [scalar, s.value] : [s.value, scalar];
        const value = arithmetic(e.op, l, r);
        if (comparison && !e.returnBool) {
          // a comparison filters, keeping the vector's own value whichever side it is on
          if (value === 1) out.push({ labels: s.labels, value: s.value });
          continue;
        }
        out.push({ labels: withoutName(s.labels), value });
      }
      return { type: 'vector', samples: out };
    }
    const left = this.vector(lhs);
    const right = this.vector(rhs);
    const signature = (l: Labels) => labelsKey(matchLabels(l, e.matching));
    if (SET_OPS.has(e.op)) return { type: 'vector', samples: setOperation(e.op, left, right, signature) };

    const rightBySig = new Map<string, Sample>();
    for (const s of right) {
      const sig = signature(s.labels);
      const dup = rightBySig.get(sig);
      if (dup) {
        throw new PromError(
          'execution',
          `found duplicate series for the match group ${formatLabels(matchLabels(s.labels, e.matching))} on the right hand-side of the operation: [${formatLabels(dup.labels)}, ${formatLabels(s.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      rightBySig.set(sig, s);
    }
    const matchedLeft = new Map<string, Labels>();
    const out: Sample[] = [];
    for (const s of left) {
      const sig = signature(s.labels);
      const r = rightBySig.get(sig);
      if (!r) continue;
      if (matchedLeft.has(sig)) {
        throw new PromError(
          'execution',
          `found duplicate series for the match group ${formatLabels(matchLabels(s.labels, e.matching))} on the left hand-side of the operation: [${formatLabels(matchedLeft.get(sig)!)}, ${formatLabels(s.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      matchedLeft.set(sig, s.labels);
      const value = arithmetic(e.op, s.value, r.value);
      if (comparison && !e.returnBool) {
        if (value === 1) out.push({ labels: resultLabels(s.labels, e, false), value: s.value });
        continue;
      }
      out.push({ labels: resultLabels(s.labels, e, true), value });
    }
    return { type: 'vector', samples: out };
  }
}

/** The labels two vectors are matched on: `on (…)` keeps those, otherwise all but the name and `ignoring (…)`. */
function matchLabels(l: Labels, matching: Binary['matching']): Labels {
  if (matching?.on)
    return Object.fromEntries(matching.labels.filter((n) => l[n] !== undefined).map((n) => [n, l[n]!]));
  const ignored = new Set(['__name__', ...(matching?.labels ?? [])]);
  return Object.fromEntries(Object.entries(l).filter(([k]) => !ignored.has(k)));
}

/** One-to-one results carry the left side's labels, narrowed to `on (…)` or without `ignoring (…)`. */
function resultLabels(l: Labels, e: Binary, dropName: boolean): Labels {
  let out = dropName ? withoutName(l) : { ...l };
  if (e.matching?.on) {
    const keep = new Set(e.matching.labels);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  } else if (e.matching) {
    for (const k of e.matching.labels) delete out[k];
  }
  return out;
}

function setOperation(
  op: string,
  left: Sample[],
  right: Sample[],
  signature: (l: Labels) => string,
): Sample[] {
  const rightSigs = new Set(right.map((s) => signature(s.labels)));
  if (op === 'and') return left.filter((s) => rightSigs.has(signature(s.labels)));
  if (op === 'unless') return left.filter((s) => !rightSigs.has(signature(s.labels)));
  const leftSigs = new Set(left.map((s) => signature(s.labels)));
  return [...left, ...right.filter((s) => !leftSigs.has(signature(s.labels)))];
}

function groupLabels(l: Labels, grouping: Aggregate['grouping']): Labels {
  if (grouping.without) {
    const dropped = new Set(['__name__', ...grouping.labels]);
    return Object.fromEntries(Object.entries(l).filter(([k]) => !dropped.has(k)));
  }
  return Object.fromEntries(grouping.labels.filter((n) => l[n] !== undefined).map((n) => [n, l[n]!]));
}

function reduce(op: string, values: number[]): number {
  switch (op) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return values.reduce((a, b) => (Number.isNaN(a) || b < a ? b : a));
    case 'max':
      return values.reduce((a, b) => (Number.isNaN(a) || b > a ? b : a));
    case 'count':
      return values.length;
    default:
      return 1; // group
  }
}

function compareValues(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

/** Go's float semantics: x/0 is ±Inf or NaN, `%` is math.Mod; comparisons yield 1 or 0. */
function arithmetic(op: string, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return l ** r;
    case 'atan2':
      return Math.atan2(l, r);
    case '==':
      return l === r ? 1 : 0;
    case '!=':
      return l !== r ? 1 : 0;
    case '>':
      return l > r ? 1 : 0;
    case '<':
      return l < r ? 1 : 0;
    case '>=':
      return l >= r ? 1 : 0;
    default:
      return l <= r ? 1 : 0;
  }
}

function elementwise(func: string, param: number | undefined): (v: number) => number {
  switch (func) {
    case 'abs':
      return Math.abs;
    case 'ceil':
      return Math.ceil;
    case 'floor':
      return Math.floor;
    case 'sqrt':
      return Math.sqrt;
    case 'clamp_min':
      return (v) => Math.max(v, param!);
    case 'clamp_max':
      return (v) => Math.min(v, param!);
    default: {
      // round(v, to_nearest): Go's math.Floor(v*inv + 0.5) / inv
      const inv = 1 / (param ?? 1);
      return (v) => Math.floor(v * inv + 0.5) / inv;
    }
  }
}

function overTime(func: string, points: Point[], m: MatrixSelector, t: number): number | undefined {
  const values = points.map((p) => p[1]);
  switch (func) {
    case 'rate':
      return extrapolatedRate(points, m, t, true, true);
    case 'increase':
      return extrapolatedRate(points, m, t, true, false);
    case 'delta':
      return extrapolatedRate(points, m, t, false, false);
    case 'irate': {
      if (points.length < 2) return undefined;
      const [prevT, prev] = points.at(-2)!;
      const [lastT, last] = points.at(-1)!;
      const diff = last < prev ? last : last - prev;
      return diff / ((lastT - prevT) / 1000);
    }
    case 'avg_over_time':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min_over_time':
      return Math.min(...values);
    case 'max_over_time':
      return Math.max(...values);
    case 'sum_over_time':
      return values.reduce((a, b) => a + b, 0);
    case 'count_over_time':
      return values.length;
    default:
      return values.at(-1); // last_over_time
  }
}

/** promql/functions.go extrapolatedRate: counter resets, extrapolation to the window's edges, not below zero. */
function extrapolatedRate(
  points: Point[],
  m: MatrixSelector,
  t: number,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  if (points.length < 2) return undefined;
  const rangeStart = t - m.rangeMs - m.selector.offsetMs;
  const rangeEnd = t - m.selector.offsetMs;
  const [firstT, first] = points[0]!;
  const [lastT, last] = points.at(-1)!;
  let result = last - first;
  if (isCounter) {
    let prev = first;
    for (const [, v] of points.slice(1)) {
      if (v < prev) result += prev;
      prev = v;
    }
  }
  let durationToStart = (firstT - rangeStart) / 1000;
  let durationToEnd = (rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageBetweenSamples = sampledInterval / (points.length - 1);
  const threshold = averageBetweenSamples * 1.1;
  if (durationToStart >= threshold) durationToStart = averageBetweenSamples / 2;
  if (isCounter && result > 0 && first >= 0) {
    const durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageBetweenSamples / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= m.rangeMs / 1000;
  return result * factor;
}
