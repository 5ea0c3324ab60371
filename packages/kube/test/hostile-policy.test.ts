import type { KubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, startSim } from './harness.js';

// Hostile input, issue 7 ("policy"): a prompt-injected model tries to make resource_apply do what the
// operator's mode forbids — apply at all under --read-only, or delete under --disable-destructive through a
// `kind: List`, a deletion timestamp or a `DeleteOptions` object — or to turn a dry run into a real one with
// another spelling. Each is refused or inert, and the simulator still holds exactly what it held.

let sim: KubeSim;
let admin: Connected;
let readOnly: Connected;
let noDestroy: Connected;

beforeAll(async () => {
  sim = await startSim();
  admin = await connect(sim);
  readOnly = await connect(sim, { policy: { readOnly: true } });
  noDestroy = await connect(sim, { policy: { disableDestructive: true } });
});
afterAll(async () => {
  for (const c of [admin, readOnly, noDestroy]) await c?.close();
  await sim?.close();
});

const configMap = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { a: '1' },
});

async function exists(kind: string, name: string, namespace?: string): Promise<boolean> {
  const got = await admin.call('resource_get', { kind, name, ...(namespace ? { namespace } : {}) });
  if (got.isError && /not found/i.test(got.text)) return false;
  expect(got.isError, got.text).toBe(false);
  return true;
}

/** Calls a tool the policy may have removed: an error result or a protocol error both count as refused. */
async function refused(c: Connected, name: string, args: Record<string, unknown>): Promise<string> {
  try {
    const result = await c.call(name, args);
    expect(result.isError, result.text).toBe(true);
    return result.text;
  } catch (error) {
    return String(error);
  }
}

describe('hostile input (policy): resource_apply stays inside the mode', () => {
  it('--read-only lists no tool that writes, and refuses resource_apply, even as a dry run', async () => {
    const names = (await readOnly.client.listTools()).tools.map((t) => t.name);
    for (const name of [
      'resource_apply',
      'resource_delete',
      'pod_delete',
      'deployment_scale',
      'deployment_restart',
    ])
      expect(names).not.toContain(name);
    for (const dry_run of [true, false]) {
      await refused(readOnly, 'resource_apply', {
        manifest: configMap('ro-apply'),
        namespace: 'default',
        dry_run,
      });
    }
    expect(await exists('configmap', 'ro-apply', 'default')).toBe(false);
  });

  it('--disable-destructive: a List, a deletion timestamp or DeleteOptions deletes nothing', async () => {
    expect((await noDestroy.client.listTools()).tools.map((t) => t.name)).not.toContain('resource_delete');
    await refused(noDestroy, 'resource_delete', { kind: 'namespace', name: 'team-a' });
    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Namespace',
      '  metadata: {name: team-a, deletionTimestamp: "2020-01-01T00:00:00Z", finalizers: []}',
      '- apiVersion: v1',
      '  kind: Secret',
      '  metadata: {name: db-credentials, namespace: team-a, deletionGracePeriodSeconds: 0}',
    ].join('\n');
    await noDestroy.call('resource_apply', { manifest: list });
    for (const kind of ['DeleteOptions', 'Status', 'Eviction']) {
      const text = await refused(noDestroy, 'resource_apply', {
        manifest: { apiVersion: 'v1', kind, metadata: { name: 'db-credentials', namespace: 'team-a' } },
      });
      expect(text).toContain('`manifest`');
    }
    const ns = await admin.call('resource_get', { kind: 'namespace', name: 'team-a' });
    expect(ns.isError, ns.text).toBe(false);
    expect(ns.text).not.toContain('deletionTimestamp');
    expect(await exists('secret', 'db-credentials', 'team-a')).toBe(true);
  });

  it('a dry run spelled another way is refused, and dry_run: true saves nothing', async () => {
    for (const spelling of ['dryRun', 'dry-run', 'DryRun', 'dry_run ']) {
      const text = await refused(admin, 'resource_apply', {
        manifest: configMap('dry-spelled'),
        namespace: 'default',
        [spelling]: true,
      });
      expect(text).toContain(`\`${spelling}\``);
    }
    for (const value of ['true', 'All', 1]) {
      await refused(admin, 'resource_apply', {
        manifest: configMap('dry-spelled'),
        namespace: 'default',
        dry_run: value,
      });
    }
    const dry = await admin.call('resource_apply', {
      manifest: configMap('dry-real'),
      namespace: 'default',
      dry_run: true,
    });
    expect(dry.text).toContain('dry run, nothing saved');
    expect(await exists('configmap', 'dry-spelled', 'default')).toBe(false);
    expect(await exists('configmap', 'dry-real', 'default')).toBe(false);
  });
});
