/**
 * A Prometheus answer made compact: an instant vector becomes one row per series (its `group_by` labels and
 * value), a matrix one row per series with its statistics (points, min, avg, max, last, first and last
 * time) instead of every point. Values are converted to the unit first; rows are sorted descending and
 * capped at `limit`, the rest counted.
 */
import * as z from 'zod';
import { isoTime } from './time.js';
import { convert, parseSample, type ResolvedUnit } from './units.js';

/** Raw points returned with `points: true`, in all (rows past the cap carry statistics only). */
export const MAX_RAW_POINTS = 5000;

const sample = z.tuple([z.number(), z.string()]);
const labels = z.record(z.string(), z.string());

/** What `/api/v1/query` and `/api/v1/query_range` answer on success (checked: the endpoint is not trusted). */
export const promSuccess = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({
      resultType: z.literal('vector'),
      result: z.array(z.object({ metric: labels, value: sample })),
    }),
    z.object({
      resultType: z.literal('matrix'),
      result: z.array(z.object({ metric: labels, values: z.array(sample) })),
    }),
    z.object({ resultType: z.literal('scalar'), result: sample }),
    z.object({ resultType: z.literal('string'), result: sample }),
  ]),
  warnings: z.array(z.string()).optional(),
  infos: z.array(z.string()).optional(),
});
export type PromSuccess = z.output<typeof promSuccess>;
type PromData = PromSuccess['data'];

/** One row: a series and its value (instant) or its statistics (range). Non-finite values are null. */
export interface SeriesRow {
  /** The `group_by` label values (or the whole label set), as one string. */
  series: string;
  labels: Record<string, string>;
  value?: number | null;
  points?: number;
  min?: number | null;
  avg?: number | null;
  max?: number | null;
  last?: number | null;
  first_time?: string;
  last_time?: string;
  /** With `points: true`: [time, value] pairs. */
  values?: Array<[string, number | null]>;
}

export interface Shaped {
  result_type: PromData['resultType'];
  /** The labels rows are keyed by: `group_by`, else the fewest labels that tell the series apart. */
  group_by: string[];
  /** Every series of the answer (rows past `limit` are counted, not shown). */
  series: number;
  items: SeriesRow[];
  /** Notes for the reader: rows left out, keys shared by several series, raw points cut. */
  notes: string[];
}

export interface ShapeOptions {
  unit: ResolvedUnit;
  /** Labels to key rows by; empty: the labels that differ between series. */
  groupBy: string[];
  limit: number;
  points: boolean;
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** Labels people key series by, preferred in this order when several tell series apart equally well. */
const FAMILIAR = ['namespace', 'pod', 'container', 'node', 'instance', 'job', '__name__'];

/**
 * The fewest labels that tell the series apart (at most 4): labels that differ between series, the one with
 * the most distinct values first (familiar names win ties), added until every series has its own key.
 */
function distinguishingLabels(sets: Array<Record<string, string>>): string[] {
  if (sets.length < 2) return [];
  const names = [...new Set(sets.flatMap((set) => Object.keys(set)))];
  const distinct = new Map(names.map((name) => [name, new Set(sets.map((set) => set[name] ?? '')).size]));
  const rank = (name: string) => (FAMILIAR.includes(name) ? FAMILIAR.indexOf(name) : FAMILIAR.length);
  const candidates = names
    .filter((name) => distinct.get(name)! > 1)
    .sort((a, b) => distinct.get(b)! - distinct.get(a)! || rank(a) - rank(b));
  const chosen: string[] = [];
  for (const name of candidates) {
    chosen.push(name);
    if (new Set(sets.map((set) => keyOf(set, chosen))).size === sets.length || chosen.length === 4) break;
  }
  return chosen;
}

/** `{job="api", instance="a:9090"}`, or `{}` for an aggregate without labels. */
function labelText(set: Record<string, string>): string {
  const pairs = Object.entries(set).map(([name, value]) => `${name}="${value}"`);
  return `{${pairs.join(', ')}}`;
}

function keyOf(set: Record<string, string>, groupBy: string[]): string {
  if (groupBy.length === 0) return labelText(set);
  return groupBy.map((name) => set[name] ?? '<none>').join('/');
}

/** Descending, with nulls (NaN) last. */
function descending(a: number | null | undefined, b: number | null | undefined): number {
  const x = a ?? Number.NEGATIVE_INFINITY;
  const y = b ?? Number.NEGATIVE_INFINITY;
  return y - x || 0;
}

function rangeRow(
  metric: Record<string, string>,
  values: Array<[number, string]>,
  unit: ResolvedUnit,
  series: string,
): SeriesRow {
  const converted = values.map(([at, text]) => [at, convert(parseSample(text), unit)] as const);
  let [count, sum, min, max] = [0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const [, v] of converted) {
    if (!Number.isFinite(v)) continue;
    count++;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const first = converted[0];
  const last = converted[converted.length - 1];
  return {
    series,
    labels: metric,
    points: converted.length,
    min: count ? min : null,
    avg: count ? sum / count : null,
    max: count ? max : null,
    last: last ? finite(last[1]) : null,
    ...(first ? { first_time: isoTime(first[0]) } : {}),
    ...(last ? { last_time: isoTime(last[0]) } : {}),
  };
}

/** Shapes a successful answer. */
export function shapeResult(data: PromData, opts: ShapeOptions): Shaped {
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    const value =
      data.resultType === 'scalar' ? finite(convert(parseSample(data.result[1]), opts.unit)) : null;
    const notes = data.resultType === 'string' ? [`String result: ${data.result[1]}`] : [];
    return {
      result_type: data.resultType,
      group_by: [],
      series: 1,
      items: [{ series: data.resultType, labels: {}, value }],
      notes,
    };
  }
  const metrics = data.result.map((r) => r.metric);
  const groupBy = opts.groupBy.length ? opts.groupBy : distinguishingLabels(metrics);
  const rows: SeriesRow[] =
    data.resultType === 'vector'
      ? data.result.map((r) => ({
          series: keyOf(r.metric, groupBy),
          labels: r.metric,
          value: finite(convert(parseSample(r.value[1]), opts.unit)),
        }))
      : data.result.map((r) => rangeRow(r.metric, r.values, opts.unit, keyOf(r.metric, groupBy)));
  rows.sort((a, b) =>
    data.resultType === 'vector' ? descending(a.value, b.value) : descending(a.max, b.max),
  );

  const notes: string[] = [];
  const keys = new Map<string, number>();
  for (const row of rows) keys.set(row.series, (keys.get(row.series) ?? 0) + 1);
  const shared = [...keys.values()].filter((n) => n > 1).length;
  if (shared > 0 && groupBy.length > 0) {
    notes.push(
      `${shared} group_by key(s) name several series: add a label to group_by, or aggregate in the query (sum by (${groupBy.join(', ')}) (…)).`,
    );
  }
  const shown = rows.slice(0, opts.limit);
  if (rows.length > shown.length) {
    notes.push(
      `${rows.length - shown.length} more series not shown (limit ${opts.limit}); raise limit, or narrow or aggregate the query (topk, sum by).`,
    );
  }
  if (opts.points && data.resultType === 'matrix') attachPoints(shown, data.result, opts.unit, notes);
  return { result_type: data.resultType, group_by: groupBy, series: rows.length, items: shown, notes };
}

/** Adds raw points to the rows shown, up to `MAX_RAW_POINTS` in all. */
function attachPoints(
  rows: SeriesRow[],
  result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>,
  unit: ResolvedUnit,
  notes: string[],
): void {
  const byLabels = new Map(result.map((r) => [r.metric, r.values]));
  let budget = MAX_RAW_POINTS;
  let cut = 0;
  for (const row of rows) {
    const values = byLabels.get(row.labels) ?? [];
    if (values.length > budget) {
      cut++;
      continue;
    }
    budget -= values.length;
    row.values = values.map(([at, text]) => [isoTime(at), finite(convert(parseSample(text), unit))]);
  }
  if (cut > 0) {
    notes.push(
      `Raw points stop at ${MAX_RAW_POINTS} in all: ${cut} series carry statistics only; use a larger step or fewer series.`,
    );
  }
}
