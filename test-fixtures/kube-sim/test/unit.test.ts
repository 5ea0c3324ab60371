import { describe, expect, it } from 'vitest';
import { Api } from '../src/api.js';
import { ApiError } from '../src/errors.js';
import { apply, type FieldContext, recordUpdate } from '../src/managed.js';
import { jsonPatch, mergePatch, strategicMergePatch } from '../src/patch.js';
import { Registry } from '../src/registry.js';
import { builtinSchema } from '../src/schema.js';
import {
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectorString,
} from '../src/selectors.js';
import { Store } from '../src/store.js';
import { humanDuration, podStatusCells } from '../src/table.js';
import type { Json } from './helpers.js';

describe('store', () => {
  it('stamps increasing resourceVersions and rebuilds past snapshots', () => {
    const s = new Store();
    const a = s.create('configmaps', { metadata: { name: 'a', namespace: 'x' }, data: { v: '1' } });
    const rvAfterA = s.rv;
    s.update('configmaps', { ...a, data: { v: '2' } });
    s.create('configmaps', { metadata: { name: 'b', namespace: 'x' } });
    s.delete('configmaps', 'x', 'a');
    expect(Number(a.metadata.resourceVersion)).toBeLessThan(s.rv);
    expect(s.list('configmaps').map((o) => o.metadata.name)).toEqual(['b']);
    const then = s.listAt('configmaps', rvAfterA);
    expect(then.map(([k, o]) => [k, o.data])).toEqual([['x/a', { v: '1' }]]);
    expect(s.eventsSince(rvAfterA)!.map((e) => e.type)).toEqual(['MODIFIED', 'ADDED', 'DELETED']);
    s.compact();
    expect(s.eventsSince(rvAfterA)).toBeUndefined();
    expect(() => s.listAt('configmaps', rvAfterA)).toThrow(ApiError);
  });

  it('compacts its history window on its own', () => {
    const s = new Store(100);
    for (let i = 0; i < 150; i++) s.create('configmaps', { metadata: { name: `c${i}`, namespace: 'x' } });
    expect(s.compactedRv).toBeGreaterThan(1);
    expect(s.eventsSince(1)).toBeUndefined();
    expect(s.eventsSince(s.rv - 5)).toHaveLength(5);
  });
});

describe('selectors', () => {
  it('parses and matches equality and set-based label selectors', () => {
    const labels = { app: 'web', tier: 'frontend', version: '3' };
    const cases: [string, boolean][] = [
      ['app=web', true],
      ['app==web,tier=frontend', true],
      ['app!=web', false],
      ['app in (web, api)', true],
      ['tier notin (frontend)', false],
      ['app', true],
      ['!missing', true],
      ['!app', false],
      ['version>2', true],
      ['version<3', false],
      ['', true],
    ];
    for (const [sel, want] of cases) expect(matchLabels(parseLabelSelector(sel), labels), sel).toBe(want);
    expect(() => parseLabelSelector('app=we b')).toThrow(ApiError);
    expect(() => parseLabelSelector('a==,')).toThrow(ApiError);
    expect(
      selectorString({
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }],
      }),
    ).toBe('app=web,tier in (a,b)');
  });

  it('matches field selectors', () => {
    const pod = {
      metadata: { name: 'p', namespace: 'n' },
      spec: { nodeName: 'n1' },
      status: { phase: 'Running' },
    };
    expect(matchFields(parseFieldSelector('metadata.name=p,status.phase!=Failed'), pod)).toBe(true);
    expect(matchFields(parseFieldSelector('spec.nodeName==n2'), pod)).toBe(false);
  });
});

describe('patches', () => {
  it('applies RFC 6902 JSON patches and reports failed tests', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    expect(
      jsonPatch(doc, [
        { op: 'add', path: '/a/b/-', value: 3 },
        { op: 'replace', path: '/c', value: 'y' },
        { op: 'remove', path: '/a/b/0' },
        { op: 'copy', from: '/c', path: '/d' },
        { op: 'move', from: '/d', path: '/e' },
        { op: 'test', path: '/e', value: 'y' },
      ]),
    ).toEqual({ a: { b: [2, 3] }, c: 'y', e: 'y' });
    expect(doc.a.b).toEqual([1, 2]);
    expect(() => jsonPatch(doc, [{ op: 'test', path: '/c', value: 'z' }])).toThrow(/test failed/);
    expect(() => jsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(/missing path/);
  });

  it('applies RFC 7386 merge patches', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1] }, { a: null, b: { c: 9 }, l: [2] })).toEqual({
      b: { c: 9, d: 3 },
      l: [2],
    });
  });

  it('applies strategic merge patches with merge keys and directives', () => {
    const sc = builtinSchema('', 'v1', 'Pod');
    const pod = {
      metadata: { labels: { a: '1' }, finalizers: ['x'] },
      spec: {
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'side:1' },
        ],
        tolerations: [{ key: 't1' }],
      },
    };
    const out = strategicMergePatch(
      pod,
      {
        metadata: { labels: { b: '2' }, finalizers: ['y'] },
        spec: {
          $setElementOrder$containers: undefined,
          containers: [
            { name: 'app', image: 'app:2', env: [{ name: 'B', value: '2' }] },
            { name: 'side', $patch: 'delete' },
            { name: 'new', image: 'new:1' },
          ],
          tolerations: [{ key: 't2' }],
        },
      },
      sc,
    );
    expect(out.metadata).toEqual({ labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] });
    expect(out.spec.containers).toEqual([
      {
        name: 'app',
        image: 'app:2',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
      { name: 'new', image: 'new:1' },
    ]);
    expect(out.spec.tolerations).toEqual([{ key: 't2' }]);
    const ordered = strategicMergePatch(
      pod,
      { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }] } },
      sc,
    );
    expect(ordered.spec.containers.map((c: { name: string }) => c.name)).toEqual(['side', 'app']);
    const prim = strategicMergePatch(pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }, sc);
    expect(prim.metadata.finalizers).toEqual([]);
  });
});

describe('server-side apply', () => {
  const reg = new Registry();
  const cmType = reg.forKind('', 'v1', 'ConfigMap')!;
  const ctx = (): FieldContext => ({
    schema: reg.schema(cmType),
    apiVersion: 'v1',
    subresource: '',
    hasStatus: false,
    now: '2025-01-01T00:00:00Z',
  });
  const id = { group: '', resource: 'configmaps', name: 'cfg' };
  const cm = (data: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg' },
    data,
  });

  it('records Apply ownership of the applied leaves only', () => {
    const out = apply(undefined, cm({ key: 'v' }), 'kubectl', false, ctx(), id);
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2025-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:key': {} } },
      },
    ]);
  });

  it('conflicts with another manager and takes over with force', () => {
    const live: Json = cm({ key: 'v1' });
    recordUpdate(undefined, live, 'kubectl-client-side-apply', ctx());
    expect(live.metadata.managedFields[0].fieldsV1).toEqual({ 'f:data': { '.': {}, 'f:key': {} } });
    let err: ApiError | undefined;
    try {
      apply(live, cm({ key: 'v2' }), 'kubectl', false, ctx(), id);
    } catch (e) {
      err = e as ApiError;
    }
    expect(err?.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.key',
      reason: 'Conflict',
      details: {
        name: 'cfg',
        kind: 'configmaps',
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using v1',
            field: '.data.key',
          },
        ],
      },
      code: 409,
    });
    // The same value is shared ownership, not a conflict.
    const shared = apply(live, cm({ key: 'v1' }), 'kubectl', false, ctx(), id);
    expect(shared.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual([
      'kubectl-client-side-apply',
      'kubectl',
    ]);
    const forced = apply(live, cm({ key: 'v2' }), 'kubectl', true, ctx(), id);
    expect(forced.data.key).toBe('v2');
    expect(forced.metadata.managedFields).toHaveLength(2);
    expect(forced.metadata.managedFields[0].fieldsV1).toEqual({ 'f:data': {} });
  });

  it('removes fields the applier stopped applying and nobody else owns', () => {
    const first = apply(undefined, cm({ a: '1', b: '2' }), 'mgr', false, ctx(), id);
    const second = apply(first, cm({ a: '1' }), 'mgr', false, ctx(), id);
    expect(second.data).toEqual({ a: '1' });
  });

  it('merges associative lists by key, defaulting omitted key fields', () => {
    const svcType = reg.forKind('', 'v1', 'Service')!;
    const c: FieldContext = { ...ctx(), schema: reg.schema(svcType) };
    const live = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] },
    };
    const out = apply(
      live,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
        spec: { ports: [{ port: 80, name: 'http' }] },
      },
      'helm',
      false,
      c,
      id,
    );
    expect(out.spec.ports).toEqual([{ port: 80, protocol: 'TCP', targetPort: 80, name: 'http' }]);
    expect(out.metadata.managedFields[0].fieldsV1).toEqual({
      'f:spec': { 'f:ports': { 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:name': {}, 'f:port': {} } } },
    });
  });
});

describe('printers', () => {
  it('formats durations like apimachinery', () => {
    expect(humanDuration(5_000)).toBe('5s');
    expect(humanDuration(150_000)).toBe('2m30s');
    expect(humanDuration(15 * 60_000)).toBe('15m');
    expect(humanDuration(5 * 3_600_000 + 60_000)).toBe('5h1m');
    expect(humanDuration(3 * 86_400_000 + 3_600_000)).toBe('3d1h');
    expect(humanDuration(40 * 86_400_000)).toBe('40d');
  });

  it('derives READY/STATUS/RESTARTS like kubectl', () => {
    const now = Date.parse('2025-01-01T00:10:00Z');
    const pod = {
      metadata: {},
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          {
            name: 'b',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { finishedAt: '2025-01-01T00:08:00Z' } },
          },
        ],
      },
    };
    expect(podStatusCells(pod, now)).toEqual({
      ready: '1/2',
      status: 'CrashLoopBackOff',
      restarts: '4 (2m ago)',
    });
    expect(podStatusCells({ ...pod, metadata: { deletionTimestamp: 'x' } }, now).status).toBe('Terminating');
  });
});

describe('api rules', () => {
  it('bumps generation on spec changes only and honours dryRun', () => {
    const api = new Api(new Store(), new Registry());
    const ns = api.registry.forKind('', 'v1', 'Namespace')!;
    const user = { username: 'u', groups: [] };
    api.create(ns, undefined, { metadata: { name: 'default' } }, { user, track: false });
    const dt = api.registry.forKind('apps', 'v1', 'Deployment')!;
    const body = {
      metadata: { name: 'd' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
    };
    const dry = api.create(dt, 'default', body, { user, dryRun: true });
    expect(dry.body.spec.replicas).toBe(1);
    expect(() => api.getStored(dt, 'default', 'd')).toThrow(/not found/);
    const created = api.create(dt, 'default', body, { user, fieldManager: 'test' }).body;
    expect(created.metadata.generation).toBe(1);
    expect(created.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    const labelled = api.patch(
      dt,
      'default',
      'd',
      'application/merge-patch+json',
      JSON.stringify({ metadata: { labels: { x: 'y' } } }),
      { user, fieldManager: 'test' },
    ).body;
    expect(labelled.metadata.generation).toBe(1);
    const scaled = api.patch(
      dt,
      'default',
      'd',
      'application/merge-patch+json',
      JSON.stringify({ spec: { replicas: 3 } }),
      { user, fieldManager: 'test' },
    ).body;
    expect(scaled.metadata.generation).toBe(2);
    expect(() =>
      api.patch(
        dt,
        'default',
        'd',
        'application/merge-patch+json',
        JSON.stringify({ spec: { selector: { matchLabels: { a: 'c' } } } }),
        { user },
      ),
    ).toThrow(/field is immutable|does not match/);
  });
});
