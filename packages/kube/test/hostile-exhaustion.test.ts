import type { KubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, items, startSim } from './harness.js';

// Hostile input, issue 7 ("exhaustion"): manifests built to blow up the parser — an alias bomb (a billion
// laughs), nesting deeper than any stack, more objects than one call may apply — are refused with an error
// naming `manifest`, nothing is created, and the server answers the next call.

let sim: KubeSim;
let c: Connected;

beforeAll(async () => {
  sim = await startSim();
  c = await connect(sim);
});
afterAll(async () => {
  await c?.close();
  await sim?.close();
});

async function configMaps(): Promise<string[]> {
  const listed = await c.call('resource_list', { kind: 'configmaps', namespace: 'default', limit: 500 });
  expect(listed.isError, listed.text).toBe(false);
  return items(listed)
    .map((row) => row['name']!)
    .sort();
}

/** Ten levels of nine aliases each: 9^10 strings once expanded. */
function aliasBomb(): string {
  const lines = ['  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 10; i++)
    lines.push(
      `  l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(',')}]`,
    );
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.join('\n')}\n`;
}

describe('hostile input (exhaustion): resource_apply survives manifests built to exhaust it', () => {
  it.each([
    ['an alias bomb', aliasBomb()],
    [
      'flow nesting 100 000 deep',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: {x: ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`,
    ],
    [
      'block nesting 20 000 deep',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep2}\ndata:\n${Array.from({ length: 20_000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')} v\n`,
    ],
    [
      '51 objects in a List',
      `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: 51 }, (_, i) => `- {apiVersion: v1, kind: ConfigMap, metadata: {name: many-${i}}}`).join('\n')}\n`,
    ],
    [
      '51 documents',
      Array.from(
        { length: 51 },
        (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: doc-${i}}\n`,
      ).join('---\n'),
    ],
  ])('%s is refused and creates nothing', async (_what, manifest) => {
    const before = await configMaps();
    const result = await c.call('resource_apply', { manifest, namespace: 'default' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/manifest|exhaustion|malformed/i);
    expect(await configMaps()).toEqual(before);
  });

  it.each([
    ['4 MB of empty documents', '---\n'.repeat(999_000)],
    ['one flow list of two million items', `a: [${'1,'.repeat(2_000_000)}1]`],
  ])(
    '%s is refused by its size before it is parsed, and the server answers at once',
    async (_what, manifest) => {
      const result = await c.call('resource_apply', { manifest, namespace: 'default' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(
        /^Error: Invalid input `manifest`: is too large to read here \(over 100000 YAML tokens\)/,
      );
      // parsing these in full held the event loop for 10–24 s; the next call is not kept waiting
      expect((await c.call('namespace_list', {})).isError).toBe(false);
    },
  );

  it('an object argument nested thousands deep is refused and creates nothing', async () => {
    const before = await configMaps();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 2_000; i++) {
      const next = {};
      deep['a'] = next;
      deep = next;
    }
    const manifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep-object' }, extra: root };
    const result = await c.call('resource_apply', { manifest, namespace: 'default' });
    expect(result.isError).toBe(true);
    expect(await configMaps()).toEqual(before);
  });
});
