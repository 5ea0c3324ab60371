import { type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, credentialLeaks, items } from './harness.js';

// One question across every cluster: the diagnostics tools with `context: "*"`.

let sim: KubeSim;
let admin: Connected;

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 3 });
  admin = await connect(sim);
});

afterAll(async () => {
  expect(credentialLeaks(sim)).toEqual([]);
  await admin?.close();
  await sim?.close();
});

interface CrashRow {
  context?: string;
  namespace: string;
  pod: string;
  restarts: string;
}

describe('context "*": every cluster at once', () => {
  it('answers with the rows of every cluster, each naming its context, as the per-context calls do', async () => {
    const all = await admin.call('pods_crashlooping', { context: '*' });
    expect(all.isError).toBe(false);
    const rows = items<CrashRow>(all);
    expect(rows.map((r) => r.context).sort()).toEqual(['sim-1', 'sim-2', 'sim-3']);
    for (const context of ['sim-1', 'sim-2', 'sim-3']) {
      const one = items<CrashRow>(await admin.call('pods_crashlooping', { context }));
      expect(one).toHaveLength(1);
      const { context: _c, ...row } = rows.find((r) => r.context === context)!;
      expect(row).toEqual({ ...one[0]!, 'last exit': expect.any(String) });
    }
    // the shared namespace collapses above the table, the context stays a column
    const lines = all.text.split('\n');
    expect(lines[0]).toBe('NAMESPACE: team-a');
    expect(lines[1]).toMatch(/^CONTEXT\s+POD\s+CONTAINER\s+RESTARTS/);
    expect(lines.filter((l) => /^sim-\d\s/.test(l))).toHaveLength(3);
  });

  it('a single-context call shows no empty CONTEXT column', async () => {
    const one = await admin.call('pods_not_ready', { context: 'sim-2' });
    expect(one.isError).toBe(false);
    expect(one.text).not.toMatch(/CONTEXT/);
    expect(items(one).every((r) => !('context' in r))).toBe(true);
  });

  it('pages the merged rows with the one cursor contract, each row once', async () => {
    const full = items<{ context: string; namespace: string; name: string }>(
      await admin.call('pods_not_ready', { context: '*' }),
    );
    expect(new Set(full.map((r) => r.context))).toEqual(new Set(['sim-1', 'sim-2', 'sim-3']));
    const walked: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin.call('pods_not_ready', {
        context: '*',
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      walked.push(...items(page));
      cursor = page.structured?.['next_cursor'] as string | undefined;
    } while (cursor);
    expect(walked).toEqual(full);
  });

  it('security_findings across clusters stay ordered by severity', async () => {
    const rows = items<{ context: string; severity: string }>(
      await admin.call('security_findings', { context: '*' }),
    );
    const rank = { high: 3, medium: 2, low: 1 } as Record<string, number>;
    expect(new Set(rows.map((r) => r.context)).size).toBe(3);
    for (let i = 1; i < rows.length; i++) {
      expect(rank[rows[i - 1]!.severity]!).toBeGreaterThanOrEqual(rank[rows[i]!.severity]!);
    }
  });

  it('a cluster that fails is named with its error; the others still answer', async () => {
    sim.clusters[2]!.addFault({
      kind: 'status',
      status: 500,
      verb: 'list',
      resource: 'pods',
      times: Infinity,
    });
    try {
      const r = await admin.call('pods_crashlooping', { context: '*' });
      expect(r.isError).toBe(false);
      expect(items<CrashRow>(r).map((row) => row.context)).toEqual(['sim-1', 'sim-2']);
      expect(r.structured?.['unreachable']).toEqual([
        { context: 'sim-3', error: expect.stringMatching(/500|Internal error/) },
      ]);
      expect(r.text).toMatch(/\ncontext sim-3 did not answer: .*(500|Internal error)/);
    } finally {
      sim.clusters[2]!.clearFaults();
    }
  });

  it('asks at most 200 contexts at once (a request may bring a kubeconfig naming thousands of hosts)', async () => {
    const many = await connect(sim);
    try {
      for (let i = 0; i < 198; i++) many.kube.set(`extra-${i}`, sim.kubeconfig({ user: 'admin' }));
      expect(many.kube.size).toBe(201);
      const before = sim.clusters.map((c) => c.log.length);
      const r = await many.call('pods_not_ready', { context: '*' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Error: `\*` asks at most 200 contexts at once; there are 201\./);
      expect(sim.clusters.map((c) => c.log.length)).toEqual(before); // no cluster was asked
    } finally {
      await many.close();
    }
  });

  it('asks at most 16 contexts of a kubeconfig that came from a request', async () => {
    const untrusted = await connect(sim, { targets: { untrusted: true, allowLocal: true } });
    try {
      for (let i = 0; i < 14; i++) untrusted.kube.set(`extra-${i}`, sim.kubeconfig({ user: 'admin' }));
      expect(untrusted.kube.size).toBe(17);
      const before = sim.clusters.map((c) => c.log.length);
      const r = await untrusted.call('pods_not_ready', { context: '*' });
      expect(r.isError).toBe(true);
      expect(r.text).toMatch(/^Error: `\*` asks at most 16 contexts at once; there are 17\./);
      expect(sim.clusters.map((c) => c.log.length)).toEqual(before);
      untrusted.kube.remove('extra-0');
      const ok = await untrusted.call('pods_not_ready', { context: '*' });
      expect(ok.isError).toBe(false);
    } finally {
      await untrusted.close();
    }
  });

  it('tools that do not fan out refuse "*" as an unknown context', async () => {
    const r = await admin.call('pod_list', { context: '*' });
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/no context named "\*"/);
  });

  it('with one target there is no context argument at all', async () => {
    const single = await connect(sim, { tools: { multiTarget: false } });
    try {
      const { tools } = await single.client.listTools();
      const crash = tools.find((t) => t.name === 'pods_crashlooping')!;
      expect(crash.inputSchema.properties).not.toHaveProperty('context');
      expect(crash.outputSchema?.properties).not.toHaveProperty('unreachable');
    } finally {
      await single.close();
    }
  });
});
