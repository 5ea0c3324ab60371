import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connect, startSim } from './harness.js';

// Hostile input, issue 7 ("code execution"): YAML tags that some parsers turn into code (`!!js/function`,
// `!!python/object/apply`, custom tags) in a resource_apply manifest run nothing on the server's host: the
// marker file each would create stays absent, and no object carrying them is created.

let sim: KubeSim;
let c: Connected;
let marker: string;

beforeAll(async () => {
  sim = await startSim();
  c = await connect(sim);
  marker = join(mkdtempSync(join(tmpdir(), 'kube-hostile-exec-')), 'ran');
});
afterAll(async () => {
  await c?.close();
  await sim?.close();
});

describe('hostile input (code execution): YAML tags in a manifest run nothing', () => {
  const write = `require('fs').writeFileSync('${marker}', 'x')`;
  const cm = (name: string, rest: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n${rest}`;
  // `inert`: the tag is dropped and its payload kept as the plain string it is; else the call is refused.
  it.each([
    ['a js function as the document', () => `!!js/function "function () { ${write} }"`, undefined],
    [
      'a js function as a value',
      () => cm('tagged-1', `data:\n  a: !!js/function "function () { ${write} }"\n`),
      'tagged-1',
    ],
    [
      'a python object',
      () => cm('tagged-2', `data:\n  a: !!python/object/apply:os.system ["touch ${marker}"]\n`),
      undefined,
    ],
    [
      'a custom tag on metadata',
      () => `apiVersion: v1\nkind: ConfigMap\nmetadata: !<tag:yaml.org,2002:js/eval> "${write}"\n`,
      undefined,
    ],
  ])('%s', async (_what, manifest, inert) => {
    const result = await c.call('resource_apply', { manifest: manifest(), namespace: 'default' });
    expect(existsSync(marker)).toBe(false);
    expect(result.isError, result.text).toBe(inert === undefined);
    if (inert) {
      const got = await c.call('resource_get', { kind: 'configmap', name: inert, namespace: 'default' });
      expect(got.structured?.['object']).toMatchObject({ data: { a: `function () { ${write} }` } });
    }
  });
});
