/**
 * Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`) over the simulated series: parameters, limits,
 * result and error shapes as web/api/v1/api.go has them. It is a kube-sim service backend, and the route's
 * HTTPS server adapts its requests to the same shape.
 */
import type { ProxiedRequest, ProxiedResponse, ServiceBackend } from 'kube-sim';
import { PromError, TYPE_NAMES } from './promql/ast.js';
import {
  Engine,
  type Labels,
  labelsKey,
  type Point,
  type Sample,
  type Series,
  type SeriesData,
  type Value,
} from './promql/engine.js';
import { durationMs } from './promql/lexer.js';
import { parse, typeOf } from './promql/parser.js';

const MAX_POINTS = 11_000;

/** strconv.FormatFloat(v, 'f', -1, 64): the shortest exact decimal, never an exponent. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const s = String(v);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expText] = m;
  const digits = int! + frac;
  const exp = Number(expText);
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.padEnd(exp + 1, '0')}`;
}

const seconds = (ms: number) => ms / 1000;

/** api.go parseTime: unix seconds (millisecond precision) or RFC 3339. */
function parseTime(text: string, param: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const v = Number(text);
    const whole = Math.trunc(v);
    return whole * 1000 + Math.round((v - whole) * 1000);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw invalidParam(param, `cannot parse ${JSON.stringify(text)} to a valid timestamp`);
}

/** api.go parseDuration: float seconds or a Prometheus duration; milliseconds, possibly fractional. */
function parseStep(text: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text) * 1000;
  const ms = durationMs(text);
  if (ms === undefined)
    throw invalidParam('step', `cannot parse ${JSON.stringify(text)} to a valid duration`);
  return ms;
}

function invalidParam(param: string, message: string): PromError {
  return new PromError('bad_data', `invalid parameter ${JSON.stringify(param)}: ${message}`);
}

function parseQuery(query: string) {
  try {
    return parse(query);
  } catch (e) {
    if (e instanceof PromError) throw invalidParam('query', e.message);
    throw e;
  }
}

/** Labels as Prometheus marshals them: sorted by name, byte-wise (`__name__` first). */
const metric = (l: Labels) =>
  Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const vectorJson = (samples: Sample[], t: number) =>
  samples.map((s) => ({ metric: metric(s.labels), value: [seconds(t), formatValue(s.value)] }));

const matrixJson = (series: Series[]) =>
  series.map((s) => ({
    metric: metric(s.labels),
    values: s.points.map(([ms, v]) => [seconds(ms), formatValue(v)]),
  }));

function resultJson(v: Value, t: number): { resultType: string; result: unknown } {
  switch (v.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [seconds(t), formatValue(v.value)] };
    case 'string':
      return { resultType: 'string', result: [seconds(t), v.value] };
    case 'vector':
      return { resultType: 'vector', result: vectorJson(v.samples, t) };
    case 'matrix':
      return { resultType: 'matrix', result: matrixJson(v.series) };
  }
}

type Params = (name: string) => string | undefined;

function instantQuery(p: Params, series: () => SeriesData[], now: number) {
  const timeText = p('time');
  const t = timeText === undefined || timeText === '' ? now : parseTime(timeText, 'time');
  const expr = parseQuery(p('query') ?? '');
  return resultJson(new Engine(series()).eval(expr, t), t);
}

function rangeQuery(p: Params, series: () => SeriesData[]) {
  const start = parseTime(p('start') ?? '', 'start');
  const end = parseTime(p('end') ?? '', 'end');
  if (end < start) throw new PromError('bad_data', 'end timestamp must not be before start time');
  const step = parseStep(p('step') ?? '');
  if (step <= 0) {
    throw new PromError(
      'bad_data',
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  }
  if (Math.floor((end - start) / step) > MAX_POINTS) {
    throw new PromError(
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const expr = parseQuery(p('query') ?? '');
  const type = typeOf(expr);
  if (type !== 'scalar' && type !== 'vector') {
    throw invalidParam(
      'query',
      `invalid expression type ${JSON.stringify(TYPE_NAMES[type])} for range query, must be Scalar or instant Vector`,
    );
  }
  const engine = new Engine(series());
  const byLabels = new Map<string, { labels: Labels; points: Point[] }>();
  const add = (labels: Labels, t: number, value: number) => {
    const key = labelsKey(labels);
    const s = byLabels.get(key) ?? { labels, points: [] };
    s.points.push([t, value]);
    byLabels.set(key, s);
  };
  const stepMs = Math.max(1, Math.floor(step));
  for (let t = start; t <= end; t += stepMs) {
    const v = engine.eval(expr, t);
    if (v.type === 'scalar') add({}, t, v.value);
    else if (v.type === 'vector') for (const s of v.samples) add(s.labels, t, s.value);
  }
  const result = [...byLabels.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  return { resultType: 'matrix', result: matrixJson(result) };
}

/** Go's Request.FormValue: a form-encoded POST body first, then the URL query. */
function params(req: ProxiedRequest): Params {
  const query = new URLSearchParams(req.query);
  const contentType = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  const form =
    req.method === 'POST' && contentType === 'application/x-www-form-urlencoded'
      ? new URLSearchParams(req.body.toString('utf8'))
      : new URLSearchParams();
  return (name) => form.get(name) ?? query.get(name) ?? undefined;
}

const json = (status: number, body: unknown): ProxiedResponse => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

const text = (status: number, body: string): ProxiedResponse => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  body,
});

/** The API over `series()` (called once per query), with `now()` as the default evaluation time. */
export function prometheusApi(series: () => SeriesData[], now: () => number = Date.now): ServiceBackend {
  return (req) => {
    const handlers: Record<string, (p: Params) => unknown> = {
      '/api/v1/query': (p) => instantQuery(p, series, now()),
      '/api/v1/query_range': (p) => rangeQuery(p, series),
    };
    const handler = handlers[req.path];
    if (!handler) return text(404, '404 page not found\n');
    if (req.method !== 'GET' && req.method !== 'POST') return text(405, 'Method Not Allowed\n');
    try {
      return json(200, { status: 'success', data: handler(params(req)) });
    } catch (e) {
      if (!(e instanceof PromError)) throw e;
      return json(e.errorType === 'bad_data' ? 400 : 422, {
        status: 'error',
        errorType: e.errorType,
        error: e.message,
      });
    }
  };
}
