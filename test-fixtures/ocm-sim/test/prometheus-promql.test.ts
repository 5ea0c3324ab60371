import type { ProxiedRequest } from 'kube-sim';
import { describe, expect, it } from 'vitest';
import { formatValue, prometheusApi } from '../src/prometheus/http-api.js';
import type { SeriesData } from '../src/prometheus/promql/engine.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
type Json = any;

/** Fixed series: a 2/s counter, a 1/s counter that restarts from 0 after 3450 s, and gauges. */
const SERIES: SeriesData[] = [
  {
    labels: { __name__: 'reqs_total', job: 'a', instance: 'x' },
    startMs: 0,
    valueAt: (ms) => (2 * ms) / 1000,
  },
  {
    labels: { __name__: 'reqs_total', job: 'b', instance: 'x' },
    startMs: 0,
    valueAt: (ms) => (ms <= 3_450_000 ? ms / 1000 : (ms - 3_450_000) / 1000),
  },
  { labels: { __name__: 'mem', job: 'a', instance: 'x' }, startMs: 0, valueAt: () => 5 },
  { labels: { __name__: 'mem', job: 'a', instance: 'y' }, startMs: 0, valueAt: () => 7 },
  { labels: { __name__: 'mem', job: 'b', instance: 'x' }, startMs: 0, valueAt: () => 11 },
  { labels: { __name__: 'limit', job: 'a', instance: 'x' }, startMs: 0, valueAt: () => 10 },
  { labels: { __name__: 'limit', job: 'a', instance: 'y' }, startMs: 0, valueAt: () => 14 },
  // born at 20 min
  { labels: { __name__: 'late', job: 'c' }, startMs: 1_200_000, valueAt: () => 1 },
];

const NOW = 3_600_000; // 1 h after the epoch, a multiple of the 30 s scrape interval
const api = prometheusApi(
  () => SERIES,
  () => NOW,
);

async function get(path: string, params: Record<string, string>): Promise<{ status: number; body: Json }> {
  const req: ProxiedRequest = {
    method: 'GET',
    path,
    query: new URLSearchParams(params).toString(),
    headers: {},
    body: Buffer.alloc(0),
  };
  const res = await api(req);
  return { status: res.status, body: JSON.parse(String(res.body)) };
}

const query = (q: string, time = String(NOW / 1000)) => get('/api/v1/query', { query: q, time });

/** `metric{labels} value` lines of an instant vector, in answer order. */
async function vector(q: string, time?: string): Promise<string[]> {
  const r = await query(q, time);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.data.resultType).toBe('vector');
  return r.body.data.result.map((s: Json) => {
    const { __name__: name = '', ...rest } = s.metric;
    const labels = Object.entries(rest)
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    return `${name}{${labels}} ${s.value[1]}`;
  });
}

async function error(q: string, path = '/api/v1/query', extra: Record<string, string> = {}) {
  const r = await get(path, { query: q, ...extra });
  return [r.status, r.body.errorType, r.body.error];
}

describe('PromQL evaluation', () => {
  it('selects with =, !=, =~ and !~, fully anchored', async () => {
    expect(await vector('mem{job="a"}')).toEqual([
      'mem{instance="x",job="a"} 5',
      'mem{instance="y",job="a"} 7',
    ]);
    expect(await vector('mem{job!="a"}')).toEqual(['mem{instance="x",job="b"} 11']);
    expect(await vector('mem{instance=~"x|z"}')).toEqual([
      'mem{instance="x",job="a"} 5',
      'mem{instance="x",job="b"} 11',
    ]);
    expect(await vector('mem{instance=~"x.+"}')).toEqual([]);
    expect(await vector('{__name__=~"mem|limit",instance!~"x"}')).toEqual([
      'limit{instance="y",job="a"} 14',
      'mem{instance="y",job="a"} 7',
    ]);
  });

  it('takes the latest sample within the lookback, and none before a series starts', async () => {
    expect(await vector('late', '1199')).toEqual([]);
    expect(await vector('late', '1200')).toEqual(['late{job="c"} 1']);
    // the counter's sample at 3570 s is the latest at 3599.9 s
    expect(await vector('reqs_total{job="a"}', '3599.9')).toEqual(['reqs_total{instance="x",job="a"} 7140']);
  });

  it('computes rate, increase and irate as Prometheus does, extrapolating and handling counter resets', async () => {
    expect(await vector('rate(reqs_total{job="a"}[5m])')).toEqual(['{instance="x",job="a"} 2']);
    expect(await vector('increase(reqs_total{job="a"}[5m])')).toEqual(['{instance="x",job="a"} 600']);
    expect(await vector('irate(reqs_total[1m])')).toEqual([
      '{instance="x",job="a"} 2',
      '{instance="x",job="b"} 1',
    ]);
    // job b restarts after 3450 s: what it had counted is added back
    expect(await vector('rate(reqs_total{job="b"}[5m])')).toEqual(['{instance="x",job="b"} 1']);
    // offset moves the window back
    expect(await vector('increase(reqs_total{job="a"}[10m] offset 30m)')).toEqual([
      '{instance="x",job="a"} 1200',
    ]);
  });

  it('aggregates by and without labels, and ranks with topk/bottomk', async () => {
    expect(await vector('sum(mem)')).toEqual(['{} 23']);
    expect(await vector('sum by (job) (mem)')).toEqual(['{job="a"} 12', '{job="b"} 11']);
    expect(await vector('avg(mem) without (instance)')).toEqual(['{job="a"} 6', '{job="b"} 11']);
    expect(await vector('max by (instance) (mem)')).toEqual(['{instance="x"} 11', '{instance="y"} 7']);
    expect(await vector('min(mem)')).toEqual(['{} 5']);
    expect(await vector('count by (job) (mem)')).toEqual(['{job="a"} 2', '{job="b"} 1']);
    expect(await vector('topk(2, mem)')).toEqual([
      'mem{instance="x",job="b"} 11',
      'mem{instance="y",job="a"} 7',
    ]);
    expect(await vector('bottomk by (job) (1, mem)')).toEqual([
      'mem{instance="x",job="a"} 5',
      'mem{instance="x",job="b"} 11',
    ]);
  });

  it('does arithmetic with scalars and between vectors, one to one', async () => {
    expect(await vector('mem{job="a"} * 2 + 1')).toEqual([
      '{instance="x",job="a"} 11',
      '{instance="y",job="a"} 15',
    ]);
    expect(await vector('mem / limit')).toEqual(['{instance="x",job="a"} 0.5', '{instance="y",job="a"} 0.5']);
    expect(await vector('sum by (job) (mem) / on (job) sum by (job) (limit)')).toEqual(['{job="a"} 0.5']);
    expect(await vector('mem > 6')).toEqual(['mem{instance="x",job="b"} 11', 'mem{instance="y",job="a"} 7']);
    expect(await vector('6 < bool mem{job="a"}')).toEqual([
      '{instance="x",job="a"} 0',
      '{instance="y",job="a"} 1',
    ]);
    expect(await vector('mem unless limit')).toEqual(['mem{instance="x",job="b"} 11']);
    expect(await vector('-mem{job="b"} ^ 2')).toEqual(['{instance="x",job="b"} -121']);
    const scalar = await query('2 ^ 3 ^ 2 - 10 % 4');
    expect(scalar.body.data).toEqual({ resultType: 'scalar', result: [3600, '510'] });
    const str = await query('"hello"');
    expect(str.body.data).toEqual({ resultType: 'string', result: [3600, 'hello'] });
  });

  it('answers a range selector with its raw samples', async () => {
    const r = await query('mem{instance="y"}[1m]');
    expect(r.body.data).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'mem', instance: 'y', job: 'a' },
          values: [
            [3570, '7'],
            [3600, '7'],
          ],
        },
      ],
    });
  });

  it('formats values as Go does, never with an exponent', () => {
    expect(
      [1e-7, 1.5e21, -0.25, 17179869184, Number.NaN, Number.POSITIVE_INFINITY, -Infinity].map(formatValue),
    ).toEqual(['0.0000001', '1500000000000000000000', '-0.25', '17179869184', 'NaN', '+Inf', '-Inf']);
  });
});

describe('query_range', () => {
  it('evaluates at each step from start to end and merges series', async () => {
    const r = await get('/api/v1/query_range', {
      query: 'increase(reqs_total{job="a"}[1m])',
      start: '3000',
      end: '3120',
      step: '1m',
    });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { instance: 'x', job: 'a' },
          values: [
            [3000, '120'],
            [3060, '120'],
            [3120, '120'],
          ],
        },
      ],
    });
    const scalar = await get('/api/v1/query_range', {
      query: 'time()',
      start: '1970-01-01T00:50:00Z',
      end: '1970-01-01T00:51:00.5Z',
      step: '30.25',
    });
    expect(scalar.body.data.result).toEqual([
      {
        metric: {},
        values: [
          [3000, '3000'],
          [3030.25, '3030.25'],
          [3060.5, '3060.5'],
        ],
      },
    ]);
  });

  it('refuses bad parameters with the API errors', async () => {
    const range = (p: Record<string, string>) => error('up', '/api/v1/query_range', p);
    expect(await range({ start: '10', end: '5', step: '1' })).toEqual([
      400,
      'bad_data',
      'end timestamp must not be before start time',
    ]);
    expect(await range({ start: '0', end: '5', step: '0' })).toEqual([
      400,
      'bad_data',
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    ]);
    expect(await range({ start: '0', end: '11001', step: '1' })).toEqual([
      400,
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    ]);
    expect((await range({ start: '0', end: '11000', step: '1' }))[0]).toBe(200);
    expect(await range({ end: '5', step: '1' })).toEqual([
      400,
      'bad_data',
      'invalid parameter "start": cannot parse "" to a valid timestamp',
    ]);
    expect(await range({ start: '0', end: 'yesterday', step: '1' })).toEqual([
      400,
      'bad_data',
      'invalid parameter "end": cannot parse "yesterday" to a valid timestamp',
    ]);
    expect(await range({ start: '0', end: '5', step: '5 min' })).toEqual([
      400,
      'bad_data',
      'invalid parameter "step": cannot parse "5 min" to a valid duration',
    ]);
    expect(await error('mem[5m]', '/api/v1/query_range', { start: '0', end: '5', step: '1' })).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    ]);
  });
});

describe('query errors', () => {
  it('reports parse and type errors as bad_data with the position', async () => {
    expect(await error('')).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": 1:1: parse error: no expression found in input',
    ]);
    expect(await error('sum(mem')).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": 1:8: parse error: unexpected end of input in aggregation, expected ")"',
    ]);
    expect(await error('rate(mem)')).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": 1:1: parse error: expected type range vector in call to function "rate", got instant vector',
    ]);
    expect(await error('sum(mem[5m])')).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": 1:1: parse error: expected type instant vector in aggregation expression, got range vector',
    ]);
    expect(await error('nosuch(mem)')).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": 1:1: parse error: unknown function with name "nosuch"',
    ]);
    expect(await error('{job=~""}')).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": 1:1: parse error: vector selector must contain at least one non-empty matcher',
    ]);
    expect(await error('1 > 2')).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": 1:3: parse error: comparisons between scalars must use BOOL modifier',
    ]);
    expect(await error('(mem + 1)[5m]')).toEqual([
      400,
      'bad_data',
      'invalid parameter "query": 1:10: parse error: ranges only allowed for vector selectors',
    ]);
  });

  it('refuses valid PromQL outside the subset by name', async () => {
    for (const [q, what] of [
      ['quantile(0.9, mem)', 'the quantile aggregation'],
      ['histogram_quantile(0.9, mem)', 'the function histogram_quantile()'],
      ['rate(mem[5m:1m])', 'subqueries'],
      ['mem @ 100', 'the @ modifier'],
      ['mem * on (job) group_left limit', 'group_left/group_right (many-to-one matching)'],
    ]) {
      expect(await error(q!)).toEqual([
        400,
        'bad_data',
        `invalid parameter "query": ocm-sim's Prometheus does not support ${what} (see its README for the subset)`,
      ]);
    }
  });

  it('reports many-to-many matching as an execution error (422)', async () => {
    expect(await error('mem + on (job) limit')).toEqual([
      422,
      'execution',
      'found duplicate series for the match group {job="a"} on the right hand-side of the operation: [{__name__="limit", instance="x", job="a"}, {__name__="limit", instance="y", job="a"}];many-to-many matching not allowed: matching labels must be unique on one side',
    ]);
  });

  it('takes form-encoded POST bodies, and answers unknown paths and methods as Prometheus', async () => {
    const post = await api({
      method: 'POST',
      path: '/api/v1/query',
      query: 'query=ignored',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('query=sum(mem)&time=3600'),
    });
    expect(JSON.parse(String(post.body)).data.result).toEqual([{ metric: {}, value: [3600, '23'] }]);
    const missing = await api({
      method: 'GET',
      path: '/api/v1/nope',
      query: '',
      headers: {},
      body: Buffer.alloc(0),
    });
    expect([missing.status, missing.body]).toEqual([404, '404 page not found\n']);
    const put = await api({
      method: 'PUT',
      path: '/api/v1/query',
      query: '',
      headers: {},
      body: Buffer.alloc(0),
    });
    expect(put.status).toBe(405);
  });
});
