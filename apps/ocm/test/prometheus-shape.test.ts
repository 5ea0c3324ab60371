import { describe, expect, it } from 'vitest';
import { MAX_RAW_POINTS, type PromSuccess, promSuccess, shapeResult } from '../src/prometheus/shape.js';

const MiB = 2 ** 20;
const T0 = 1_749_168_000;

function vector(samples: Array<[Record<string, string>, string]>): PromSuccess['data'] {
  return { resultType: 'vector', result: samples.map(([metric, v]) => ({ metric, value: [T0, v] })) };
}

function matrix(series: Array<[Record<string, string>, string[]]>, step = 60): PromSuccess['data'] {
  return {
    resultType: 'matrix',
    result: series.map(([metric, values]) => ({ metric, values: values.map((v, i) => [T0 + i * step, v]) })),
  };
}

const opts = { unit: 'raw' as const, groupBy: [] as string[], limit: 50, points: false };

describe('shapeResult: instant vectors', () => {
  it('keys rows by group_by, converts to the unit and sorts descending with NaN last', () => {
    const shaped = shapeResult(
      vector([
        [{ namespace: 'a', pod: 'small' }, String(64 * MiB)],
        [{ namespace: 'a', pod: 'nan' }, 'NaN'],
        [{ namespace: 'b', pod: 'big' }, String(512 * MiB)],
      ]),
      { ...opts, unit: 'MiB', groupBy: ['pod'] },
    );
    expect(shaped.items.map((r) => [r.series, r.value])).toEqual([
      ['big', 512],
      ['small', 64],
      ['nan', null],
    ]);
    expect(shaped.group_by).toEqual(['pod']);
    expect(shaped.series).toBe(3);
  });

  it('without group_by, keys rows by the labels that differ between series', () => {
    const shaped = shapeResult(
      vector([
        [{ __name__: 'up', job: 'node', instance: 'n1' }, '1'],
        [{ __name__: 'up', job: 'node', instance: 'n2' }, '0'],
      ]),
      opts,
    );
    expect(shaped.group_by).toEqual(['instance']);
    expect(shaped.items.map((r) => r.series)).toEqual(['n1', 'n2']);
  });

  it('without group_by, picks the fewest labels that tell the series apart, familiar ones first', () => {
    const up = shapeResult(
      vector([
        [{ job: 'kubelet', instance: '10.0.0.1:10250', node: 'n1', metrics_path: '/metrics/cadvisor' }, '1'],
        [{ job: 'kubelet', instance: '10.0.0.2:10250', node: 'n2', metrics_path: '/metrics/cadvisor' }, '1'],
        [{ job: 'node-exporter', instance: 'n1', pod: 'ne-1' }, '1'],
        [{ job: 'prometheus', instance: 'localhost:9090' }, '1'],
      ]),
      opts,
    );
    expect(up.group_by).toEqual(['instance']);
    const containers = shapeResult(
      vector([
        [{ pod: 'web-1', container: 'app', image: 'a' }, '1'],
        [{ pod: 'web-1', container: 'proxy', image: 'b' }, '2'],
        [{ pod: 'web-2', container: 'app', image: 'a' }, '3'],
      ]),
      opts,
    );
    expect(containers.group_by).toEqual(['pod', 'container']);
    expect(containers.items.map((r) => r.series)).toEqual(['web-2/app', 'web-1/proxy', 'web-1/app']);
  });

  it('a single series is keyed by its whole label set', () => {
    const shaped = shapeResult(vector([[{ job: 'api' }, '3']]), opts);
    expect(shaped.items[0]!.series).toBe('{job="api"}');
    expect(shapeResult(vector([[{}, '3']]), opts).items[0]!.series).toBe('{}');
  });

  it('caps rows at limit and counts the rest', () => {
    const many = Array.from(
      { length: 7 },
      (_, i) => [{ pod: `p${i}` }, String(i)] as [Record<string, string>, string],
    );
    const shaped = shapeResult(vector(many), { ...opts, limit: 3 });
    expect(shaped.items.map((r) => r.series)).toEqual(['p6', 'p5', 'p4']);
    expect(shaped.series).toBe(7);
    expect(shaped.notes.join('\n')).toContain('4 more series not shown (limit 3)');
  });

  it('says when a group_by key names several series', () => {
    const shaped = shapeResult(
      vector([
        [{ pod: 'web', container: 'app' }, '1'],
        [{ pod: 'web', container: 'sidecar' }, '2'],
      ]),
      { ...opts, groupBy: ['pod'] },
    );
    expect(shaped.notes.join('\n')).toContain('1 group_by key(s) name several series');
    expect(shaped.notes.join('\n')).toContain('sum by (pod)');
  });

  it('shapes a scalar as one row', () => {
    const shaped = shapeResult({ resultType: 'scalar', result: [T0, '1048576'] }, { ...opts, unit: 'MiB' });
    expect(shaped.items).toEqual([{ series: 'scalar', labels: {}, value: 1 }]);
  });
});

describe('shapeResult: range matrices', () => {
  it('summarises each series (points, min, avg, max, last, first and last time) in the unit asked', () => {
    const shaped = shapeResult(
      matrix([
        [{ pod: 'a' }, ['0.1', '0.3', '0.2']],
        [{ pod: 'b' }, ['1', '2', 'NaN']],
      ]),
      { ...opts, unit: 'millicores', groupBy: ['pod'] },
    );
    const [b, a] = shaped.items;
    expect(b).toMatchObject({ series: 'b', points: 3, min: 1000, avg: 1500, max: 2000, last: null });
    expect(a).toMatchObject({ series: 'a', points: 3, min: 100, max: 300, last: 200 });
    expect(a!.avg).toBeCloseTo(200, 9);
    expect(a!.first_time).toBe('2025-06-06T00:00:00Z');
    expect(a!.last_time).toBe('2025-06-06T00:02:00Z');
    expect(a!.values).toBeUndefined();
  });

  it('converts range values with the unit asked, not always to MiB (the seed divided them by 1024²)', () => {
    const cores = shapeResult(matrix([[{ pod: 'a' }, ['0.5', '1.5']]]), { ...opts, unit: 'cores' });
    expect(cores.items[0]).toMatchObject({ min: 0.5, max: 1.5, last: 1.5 });
    const gib = shapeResult(matrix([[{ pod: 'a' }, [String(2 * 1024 ** 3)]]]), { ...opts, unit: 'GiB' });
    expect(gib.items[0]).toMatchObject({ min: 2, max: 2, last: 2 });
  });

  it('returns raw points only when asked, and at most MAX_RAW_POINTS in all', () => {
    const long = Array.from({ length: 3000 }, (_, i) => String(i));
    const shaped = shapeResult(
      matrix([
        [{ pod: 'a' }, long],
        [{ pod: 'b' }, long.map((v) => String(Number(v) + 1))],
      ]),
      { ...opts, points: true },
    );
    expect(shaped.items[0]!.series).toBe('b');
    expect(shaped.items[0]!.values).toHaveLength(3000);
    expect(shaped.items[0]!.values![1]).toEqual(['2025-06-06T00:01:00Z', 2]);
    expect(shaped.items[1]!.values).toBeUndefined();
    expect(shaped.notes.join('\n')).toContain(`Raw points stop at ${MAX_RAW_POINTS}`);
  });
});

describe('promSuccess', () => {
  it('accepts what Prometheus answers and refuses other JSON', () => {
    expect(
      promSuccess.safeParse({
        status: 'success',
        data: { resultType: 'vector', result: [] },
        warnings: ['x'],
      }).success,
    ).toBe(true);
    expect(
      promSuccess.safeParse({ status: 'success', data: { resultType: 'vector', result: [{ metric: {} }] } })
        .success,
    ).toBe(false);
    expect(promSuccess.safeParse({ kind: 'Status', status: 'Success' }).success).toBe(false);
  });
});
