import { renderTable } from '@cloudmcp/format';
import { ANNOTATIONS, badInput, defineTool, type ToolContext } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { HUB, type OcmDeps } from '../deps.js';
import { type ClusterReach, queryPrometheus } from '../prometheus/discovery.js';
import { type SeriesRow, shapeResult } from '../prometheus/shape.js';
import { formatDuration, isoTime, parseTime, rangeWindow } from '../prometheus/time.js';
import { formatValue, type ResolvedUnit, resolveUnit, UNITS, unitSuffix } from '../prometheus/units.js';
import { clusterNameOf } from '../targets.js';

const LABEL_LIST = /^\s*[a-zA-Z_][a-zA-Z0-9_]*(\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*)*\s*$/;

const input = z.object({
  ql: z
    .string()
    .min(1)
    .max(10_000)
    .describe('PromQL, e.g. `sum by (pod) (rate(container_cpu_usage_seconds_total[5m]))`'),
  data_type: z
    .enum(['snapshot', 'range'])
    .default('snapshot')
    .describe('`snapshot`: the value now; `range`: start..end, summarised per series'),
  group_by: z
    .string()
    .regex(LABEL_LIST, 'label names separated by commas, e.g. `namespace,pod`')
    .optional()
    .describe('Labels naming each row, e.g. `namespace,pod`; default: the fewest that tell series apart'),
  unit: z
    .enum(UNITS)
    .default('auto')
    .describe('MiB/GiB from bytes, millicores from cores; `auto` guesses from the metric name'),
  cluster: z.string().min(1).max(253).optional().describe('Managed cluster; default: the hub'),
  start: z
    .string()
    .max(64)
    .optional()
    .describe('range: RFC 3339, Unix seconds or relative (`-1h`); default: 1h before end'),
  end: z.string().max(64).optional().describe('Same forms; default: now (snapshot: the evaluation time)'),
  step: z.string().max(32).optional().describe('range: resolution, e.g. `5m`; default: about 120 points'),
  limit: z.number().int().min(1).max(500).default(50).describe('Series shown at most; the rest are counted'),
  points: z.boolean().default(false).describe('range: also the raw points'),
});

const nullableNumber = z.number().nullable();

const row = z.object({
  series: z.string().describe('The group_by label values (or the label set) of the series'),
  labels: z.record(z.string(), z.string()),
  value: nullableNumber.optional().describe('snapshot: the value in `unit` (null for NaN/±Inf)'),
  points: z.number().int().optional(),
  min: nullableNumber.optional(),
  avg: nullableNumber.optional(),
  max: nullableNumber.optional(),
  last: nullableNumber.optional(),
  first_time: z.string().optional(),
  last_time: z.string().optional(),
  values: z
    .array(z.tuple([z.string(), nullableNumber]))
    .optional()
    .describe('With `points: true`'),
});

const output = z.object({
  cluster: z.string(),
  endpoint: z.string().describe('How Prometheus was reached'),
  data_type: z.enum(['snapshot', 'range']),
  result_type: z.enum(['vector', 'matrix', 'scalar', 'string']),
  unit: z.string().describe('Unit of every value (`raw`: as Prometheus gave them)'),
  group_by: z.array(z.string()),
  time: z.string().optional().describe('snapshot: the evaluation time'),
  start: z.string().optional(),
  end: z.string().optional(),
  step: z.string().optional(),
  series: z.number().int().describe('Series in the answer (rows past `limit` are not in items)'),
  items: z.array(row),
  notes: z.array(z.string()).optional(),
});
type Output = z.output<typeof output>;

/** Seconds as Prometheus takes them: decimal, millisecond precision. */
const seconds = (value: number): string => String(Math.round(value * 1000) / 1000);

function header(o: Output): string {
  const when =
    o.data_type === 'range'
      ? `range ${o.start} .. ${o.end}, step ${o.step}`
      : `instant${o.time ? ` at ${o.time}` : ''}`;
  const unit = o.unit === 'raw' ? '' : ` · unit ${o.unit}`;
  return `Prometheus on cluster "${o.cluster}" via ${o.endpoint}\n${when} · ${o.series} series${unit}`;
}

function table(o: Output): string {
  const unit = unitSuffix(o.unit as ResolvedUnit);
  const keys = o.group_by.length
    ? o.group_by.map((name) => ({ header: name, value: (r: SeriesRow) => r.labels[name] ?? '<none>' }))
    : [{ header: 'series', value: (r: SeriesRow) => r.series, maxWidth: 100 }];
  if (o.result_type !== 'matrix') {
    return renderTable(o.items, [...keys, { header: `value${unit}`, value: (r) => formatValue(r.value) }]);
  }
  const stat = (name: 'min' | 'avg' | 'max' | 'last') => ({
    header: `${name}${unit}`,
    value: (r: SeriesRow) => formatValue(r[name]),
  });
  const uniform = (field: 'first_time' | 'last_time') => new Set(o.items.map((r) => r[field])).size <= 1;
  const times =
    uniform('first_time') && uniform('last_time')
      ? []
      : [
          { header: 'from', value: (r: SeriesRow) => r.first_time },
          { header: 'to', value: (r: SeriesRow) => r.last_time },
        ];
  return renderTable(o.items, [
    ...keys,
    { header: 'points', value: (r) => r.points },
    stat('min'),
    stat('avg'),
    stat('max'),
    stat('last'),
    ...times,
  ]);
}

function text(o: Output): string {
  const body =
    o.items.length === 0
      ? 'No series matched: check the metric and label names (they may differ on this cluster), or widen the range.'
      : table(o);
  return [header(o), body, ...(o.notes ?? [])].join('\n');
}

export const prometheusTool = defineTool({
  name: 'prometheus',
  title: 'Query Prometheus',
  description:
    "Runs a PromQL query on a cluster's Prometheus (default: the hub): `snapshot` values or `range` statistics, in " +
    '`unit`. Aggregate in the query (`topk`, `sum by`) to keep answers small.',
  toolset: 'prometheus',
  input,
  output,
  annotations: ANNOTATIONS.read,
  render: { kind: 'text', text },
  async handler(args, ctx: ToolContext<OcmDeps>) {
    // whole seconds: what Prometheus aligns to anyway, and shorter to read
    const nowMs = Math.floor(Date.now() / 1000) * 1000;
    if (args.data_type === 'snapshot') {
      for (const field of ['start', 'step'] as const) {
        if (args[field] !== undefined) {
          throw badInput(field, 'only for data_type range', 'Pass data_type: "range", or leave it out.');
        }
      }
      if (args.points) throw badInput('points', 'only for data_type range');
    }
    const window = args.data_type === 'range' ? rangeWindow(args, nowMs) : undefined;
    const time =
      args.data_type === 'snapshot' && args.end !== undefined
        ? parseTime(args.end, 'end', nowMs)
        : nowMs / 1000;
    const groupBy = args.group_by ? args.group_by.split(',').map((s) => s.trim()) : [];
    const unit = resolveUnit(args.unit, args.ql);

    const hub = args.cluster === undefined || args.cluster === HUB || args.cluster === 'default';
    const name = hub ? HUB : clusterNameOf(args.cluster!, 'cluster');
    const reach: ClusterReach = {
      name,
      client: (signal) => ctx.deps.kube.client(name, { field: 'cluster', signal }),
      ...(hub ? {} : { access: () => ctx.deps.connections.access(name, ctx) }),
    };
    const params: Record<string, string> = window
      ? { query: args.ql, start: seconds(window.start), end: seconds(window.end), step: seconds(window.step) }
      : { query: args.ql, time: seconds(time) };
    const { way, answer } = await queryPrometheus(reach, ctx.deps.settings.prometheus, {
      path: window ? '/api/v1/query_range' : '/api/v1/query',
      params,
      signal: ctx.signal,
    });

    const shaped = shapeResult(answer.data, { unit, groupBy, limit: args.limit, points: args.points });
    const warnings = [...(answer.warnings ?? []), ...(answer.infos ?? [])].map((w) => `Prometheus: ${w}`);
    const notes = [...shaped.notes, ...warnings];
    return {
      cluster: name,
      endpoint: way,
      data_type: args.data_type,
      result_type: shaped.result_type,
      unit,
      group_by: shaped.group_by,
      ...(window
        ? { start: isoTime(window.start), end: isoTime(window.end), step: formatDuration(window.step) }
        : { time: isoTime(time) }),
      series: shaped.series,
      items: shaped.items,
      ...(notes.length ? { notes } : {}),
    };
  },
});
