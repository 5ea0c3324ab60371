import type { OciSim } from 'oci-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { countOps, items, type OkeServer, type OkeStartOptions, startOke, startSim } from './harness.js';

// node_pool_scale over stdio: up with progress until the work request succeeds, down only when the user
// says so, a scale OCI fails, a cancel and a timeout mid-wait, and a reader whom OCI refuses.

let sim: OciSim;
const servers: OkeServer[] = [];

beforeAll(async () => {
  sim = await startSim();
});
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
afterAll(async () => {
  await sim?.close();
});

async function start(opts: OkeStartOptions = {}) {
  const server = await startOke(sim, opts);
  servers.push(server);
  return server;
}

async function poolSize(server: OkeServer, pool: string): Promise<number> {
  const got = await server.ok('node_pool_get', { cluster: 'oke-prod', node_pool: pool });
  return got.structured?.['size'] as number;
}

describe('node_pool_scale', () => {
  it('scales up with progress until SUCCEEDED, and node_pool_get shows the new size and nodes', async () => {
    const server = await start();
    const from = await poolSize(server, 'pool1');
    const progress: Array<{ progress: number; total?: number; message?: string }> = [];
    const scaled = await server.ok(
      'node_pool_scale',
      { cluster: 'oke-prod', node_pool: 'pool1', size: from + 1 },
      { onprogress: (p) => void progress.push(p) },
    );
    expect(scaled.structured).toMatchObject({ node_pool: 'pool1', from, to: from + 1, status: 'SUCCEEDED' });
    expect(String(scaled.structured?.['work_request'])).toMatch(/^ocid1\.clustersworkrequest\./);
    expect(progress.length).toBeGreaterThan(0);
    // OKE work requests carry no percent complete: progress counts the polls, strictly increasing.
    expect(progress.every((p, i) => i === 0 || p.progress > progress[i - 1]!.progress)).toBe(true);
    expect(progress.map((p) => p.message).join('\n')).toContain('NODEPOOL_UPDATE');

    const after = await server.ok('node_pool_get', { cluster: 'oke-prod', node_pool: 'pool1' });
    expect(after.structured?.['size']).toBe(from + 1);
    expect(after.structured?.['nodes']).toHaveLength(from + 1);
  });

  it('scaling down asks the user: declined, nothing is sent; accepted, it is done', async () => {
    const declining = await start({ elicit: 'decline' });
    const from = await poolSize(declining, 'pool1');
    const updates = countOps(sim, 'UpdateNodePool');
    const declined = await declining.call('node_pool_scale', {
      cluster: 'oke-prod',
      node_pool: 'pool1',
      size: from - 1,
    });
    expect(declined.isError).toBe(true);
    expect(declined.text).toContain('did not confirm');
    expect(countOps(sim, 'UpdateNodePool')).toBe(updates);
    expect(await poolSize(declining, 'pool1')).toBe(from);

    const accepting = await start({ elicit: 'accept' });
    const done = await accepting.ok('node_pool_scale', {
      cluster: 'oke-prod',
      node_pool: 'pool1',
      size: from - 1,
    });
    expect(done.structured).toMatchObject({ from, to: from - 1, status: 'SUCCEEDED' });
    expect(countOps(sim, 'UpdateNodePool')).toBe(updates + 1);
    expect(await poolSize(accepting, 'pool1')).toBe(from - 1);
  });

  it('a scale beyond the service limit fails with LimitExceeded and the work request to read', async () => {
    const server = await start();
    const failed = await server.call('node_pool_scale', {
      cluster: 'oke-prod',
      node_pool: 'pool-arm',
      size: 11,
    });
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain('Scaling node pool pool-arm failed');
    expect(failed.text).toContain('FAILED');
    expect(failed.text).toContain('LimitExceeded');
    expect(failed.text).toMatch(/work_request_get\(work_request: "ocid1\.clustersworkrequest\./);
  });

  it('a short --work-request-timeout answers with the work request id and how to resume', async () => {
    const slow = await startSim({ workRequestStepMs: Number.POSITIVE_INFINITY, clusters: 1 });
    try {
      const onSlow = await startOke(slow, { args: ['--work-request-timeout', '0.1'] });
      servers.push(onSlow);
      const answer = await onSlow.ok('node_pool_scale', { cluster: 'oke-prod', node_pool: 'pool1', size: 3 });
      expect(answer.structured?.['status']).not.toBe('SUCCEEDED');
      expect(answer.structured?.['resume']).toContain('Still running after');
      expect(answer.structured?.['resume']).toContain(
        `work_request_get(work_request: "${answer.structured?.['work_request']}", wait: true)`,
      );
    } finally {
      await slow.close();
    }
  });

  it('a cancel mid-wait stops the polling', async () => {
    const slow = await startSim({ workRequestStepMs: Number.POSITIVE_INFINITY, clusters: 1 });
    try {
      const server = await startOke(slow);
      servers.push(server);
      const polls = () => countOps(slow, 'GetWorkRequest');
      const aborter = new AbortController();
      const scaling = server.call(
        'node_pool_scale',
        { cluster: 'oke-prod', node_pool: 'pool1', size: 3 },
        { signal: aborter.signal },
      );
      await vi.waitFor(() => expect(polls()).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 10 });
      aborter.abort();
      await expect(scaling).rejects.toThrow();
      // One round trip after the cancel: a poll already on the wire has landed by now.
      await server.ok('defaults_get');
      const stopped = polls();
      // Absence needs a window: 10x the longest poll interval (20 ms growing to 100 ms); a poller still
      // running would have asked several times in it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await server.ok('defaults_get');
      expect(polls()).toBe(stopped);
      // The work goes on in OCI: the work request is still there to follow.
      const list = items(await server.ok('work_request_list', { status: ['ACCEPTED', 'IN_PROGRESS'] }));
      expect(list.map((w) => w['operation'])).toContain('NODEPOOL_UPDATE');
    } finally {
      await slow.close();
    }
  });

  it('a reader is refused the scale as OCI refuses it, and nothing changes', async () => {
    const server = await start({ user: 'reader' });
    const from = await poolSize(server, 'pool1');
    const refused = await server.call('node_pool_scale', {
      cluster: 'oke-prod',
      node_pool: 'pool1',
      size: from + 1,
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('UpdateNodePool');
    expect(refused.text).toMatch(/NotAuthorizedOrNotFound|NotAuthorized/);
    expect(refused.text).toContain('opc-request-id');
    expect(await poolSize(server, 'pool1')).toBe(from);
  });
});
