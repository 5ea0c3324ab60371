import { containerUsage, isRunning } from 'kube-sim';
import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items, type OcmServer, projectedTokens, seen, startOcm, startSim } from './harness.js';

// `prometheus` end to end over stdio against ocm-sim's Prometheus: cluster1 exposes it as the OpenShift
// Route thanos-querier (kube-rbac-proxy lets `view` in), cluster2 and cluster3 as Service monitoring/prometheus
// behind the API server's service proxy (`view` may not use it, `edit` may). Values are checked exactly
// against the simulator's deterministic usage (what metrics.k8s.io reports too), converted to the unit asked.

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const MEMORY = 'sum by (pod) (container_memory_working_set_bytes{namespace="team-a", container!=""})';
const CPU = 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="team-a", container!=""}[5m]))';

let sim: OcmSim;
let server: OcmServer;
const tokens = new Set<string>();

beforeAll(async () => {
  sim = await startSim();
  server = await startOcm(sim, { args: ['--allowed-roles', 'view,edit'] });
});

afterAll(async () => {
  for (const token of projectedTokens(sim)) tokens.add(token);
  await server?.close();
  const secrets = [...tokens, ...Object.values(sim.hub.tokens)];
  for (const m of sim.managed) secrets.push(...Object.values(m.cluster.tokens));
  for (const text of seen) for (const secret of secrets) expect(text).not.toContain(secret);
  await sim?.close();
});

/** What each running team-a pod of a cluster uses (bytes, nanocores), by pod name. */
function usage(cluster: string): Map<string, { mem: number; cpu: number }> {
  const store = sim.managed.find((m) => m.name === cluster)!.cluster.store;
  const out = new Map<string, { mem: number; cpu: number }>();
  for (const pod of store.list('v1', 'Pod', 'team-a')) {
    if (!isRunning(pod)) continue;
    let [mem, cpu] = [0, 0];
    for (const c of pod['spec'].containers) {
      const u = containerUsage(pod, c);
      mem += u.mem;
      cpu += u.cpu;
    }
    out.set(pod['metadata'].name, { mem, cpu });
  }
  return out;
}

type Row = {
  series: string;
  value?: number | null;
  min?: number;
  avg?: number;
  max?: number;
  last?: number;
  points?: number;
};

describe('a Route cluster (cluster1) with the default view role', () => {
  it('answers a snapshot in MiB, exactly what the pods use, sorted descending', async () => {
    const result = await server.ok('prometheus', {
      ql: MEMORY,
      cluster: 'cluster1',
      unit: 'MiB',
      group_by: 'pod',
    });
    expect(result.structured).toMatchObject({
      cluster: 'cluster1',
      endpoint: expect.stringMatching(
        /^Route openshift-monitoring\/thanos-querier \(https:\/\/127\.0\.0\.1:\d+\)$/,
      ),
      data_type: 'snapshot',
      result_type: 'vector',
      unit: 'MiB',
      group_by: ['pod'],
    });
    const expected = usage('cluster1');
    const rows = items<Row>(result);
    expect(rows.length).toBe(expected.size);
    for (const row of rows) expect(row.value).toBe(expected.get(row.series)!.mem / MiB);
    const values = rows.map((r) => r.value as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(result.text).toMatch(/POD\s+VALUE \(MIB\)/);
    expect(result.text).toContain('unit MiB');
  });

  it('converts cores to millicores', async () => {
    const result = await server.ok('prometheus', { ql: CPU, cluster: 'cluster1', unit: 'millicores' });
    const expected = usage('cluster1');
    for (const row of items<Row>(result)) {
      expect(row.value as number).toBeCloseTo(expected.get(row.series)!.cpu / 1e6, 6);
    }
    expect(result.structured?.['group_by']).toEqual(['pod']); // inferred: the label that differs
  });

  it('summarises a range per series in the unit asked (GiB), not always MiB', async () => {
    const result = await server.ok('prometheus', {
      ql: 'sum(container_memory_working_set_bytes{namespace="team-a", container!=""})',
      data_type: 'range',
      cluster: 'cluster1',
      unit: 'GiB',
      start: '-10m',
      step: '1m',
    });
    const total = [...usage('cluster1').values()].reduce((sum, u) => sum + u.mem, 0) / GiB;
    const [row] = items<Row>(result);
    expect(result.structured).toMatchObject({
      data_type: 'range',
      result_type: 'matrix',
      unit: 'GiB',
      step: '1m',
    });
    expect(row).toMatchObject({ points: 11, min: total, max: total, last: total });
    expect(row!.avg).toBeCloseTo(total, 12);
    expect(result.text).toMatch(/POINTS\s+MIN \(GIB\)\s+AVG \(GIB\)\s+MAX \(GIB\)\s+LAST \(GIB\)/);
  });

  it("quotes Prometheus' own error for a bad query", async () => {
    const result = await server.call('prometheus', {
      ql: 'sum(rate(container_cpu_usage_seconds_total[5m])',
      cluster: 'cluster1',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Prometheus on cluster "cluster1" refused the query (bad_data)');
    expect(result.text).toMatch(/Upstream: 400 bad_data .*parse error/);
    expect(result.text).toContain('Next: Fix the PromQL');
  });
});

describe('Service clusters, through the API server proxy', () => {
  it('explains that view may not use services/proxy (cluster2)', async () => {
    const result = await server.call('prometheus', { ql: 'up', cluster: 'cluster2' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('No Prometheus answered on cluster "cluster2"');
    expect(result.text).toContain(
      "Service monitoring/prometheus:9090 (API server service proxy): the API server forbids services/proxy to this connection's role",
    );
    expect(result.text).toContain('Route openshift-monitoring/thanos-querier: not found');
    expect(result.text).toMatch(/Next: .*connect_cluster with cluster_role edit/);
  });

  it('answers with edit (cluster3), the same exact values as metrics-server reports', async () => {
    await server.ok('connect_cluster', { cluster: 'cluster3', cluster_role: 'edit' });
    const result = await server.ok('prometheus', { ql: MEMORY, cluster: 'cluster3' });
    expect(result.structured).toMatchObject({
      endpoint: 'Service monitoring/prometheus:9090 (API server service proxy)',
      unit: 'MiB', // auto: a memory metric
    });
    const expected = usage('cluster3');
    const rows = items<Row>(result);
    expect(rows.length).toBe(expected.size);
    for (const row of rows) expect(row.value).toBe(expected.get(row.series)!.mem / MiB);

    const range = await server.ok('prometheus', {
      ql: CPU,
      cluster: 'cluster3',
      data_type: 'range',
      unit: 'cores',
      start: '-5m',
      step: '30s',
    });
    for (const row of items<Row>(range)) {
      expect(row.points).toBe(11);
      expect(row.last as number).toBeCloseTo(expected.get(row.series)!.cpu / 1e9, 9);
    }
  });
});

describe('input and the hub', () => {
  it('refuses too many points before asking, with the step that fits', async () => {
    const result = await server.call('prometheus', {
      ql: 'up',
      cluster: 'cluster1',
      data_type: 'range',
      start: '-30d',
      step: '10s',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Invalid input `step`');
    expect(result.text).toContain('Prometheus allows at most 11000');
  });

  it('refuses range arguments on a snapshot and times it cannot read', async () => {
    const snapshot = await server.call('prometheus', { ql: 'up', step: '1m' });
    expect(snapshot.text).toContain('Invalid input `step`: only for data_type range');
    const time = await server.call('prometheus', { ql: 'up', data_type: 'range', start: 'yesterday' });
    expect(time.text).toContain('Invalid input `start`');
  });

  it('asks the hub through Services only, and says what it tried', async () => {
    const result = await server.call('prometheus', { ql: 'up' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('No Prometheus answered on cluster "hub"');
    expect(result.text).toContain('--prometheus-url: not set');
    expect(result.text).toContain('Route openshift-monitoring/thanos-querier: not used for the hub');
    expect(result.text).toContain('no Service monitoring/prometheus:9090');
  });
});
