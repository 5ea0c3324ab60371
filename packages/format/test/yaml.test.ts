import { beforeAll, describe, expect, it } from 'vitest';
import { loadYaml, pruneEmpty, renderJson, renderYaml } from '../src/index.js';

// renderYaml and parseYamlInput use the yaml library, which loads on demand
beforeAll(() => loadYaml());

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-0',
    namespace: 'default',
    labels: {},
    annotations: null,
    managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    ownerReferences: [],
  },
  spec: {
    containers: [{ name: 'web', image: 'nginx:1.27', ports: [], env: undefined, args: ['--port', '8080'] }],
    restartCount: 0,
    hostNetwork: false,
    nodeName: '',
    tolerations: null,
    overhead: { cpu: null },
  },
  status: {},
};

describe('pruneEmpty', () => {
  it('drops managedFields, nulls, undefined, {} and [] at any depth and keeps 0, false and empty strings', () => {
    expect(pruneEmpty(pod)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-0', namespace: 'default' },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.27', args: ['--port', '8080'] }],
        restartCount: 0,
        hostNetwork: false,
        nodeName: '',
      },
    });
  });

  it('drops managedFields wherever it appears, not only in metadata', () => {
    expect(pruneEmpty({ items: [{ x: { managedFields: 1, y: 2 } }] })).toEqual({ items: [{ x: { y: 2 } }] });
  });

  it('keeps list elements in place', () => {
    expect(pruneEmpty({ a: [1, null, undefined, {}] })).toEqual({ a: [1, null, null, {}] });
  });

  it('never drops the top-level value and does not mutate its input', () => {
    expect(pruneEmpty({})).toEqual({});
    expect(pruneEmpty(null)).toBe(null);
    const input = { a: null, b: { c: [] } };
    expect(pruneEmpty(input)).toEqual({});
    expect(input).toEqual({ a: null, b: { c: [] } });
  });

  it('keeps key order, turns dates into ISO strings and marks cycles', () => {
    const value: Record<string, unknown> = { z: 1, a: 2, when: new Date('2024-01-02T03:04:05Z') };
    value.loop = value;
    const pruned = pruneEmpty(value) as Record<string, unknown>;
    expect(Object.keys(pruned)).toEqual(['z', 'a', 'when', 'loop']);
    expect(pruned.when).toBe('2024-01-02T03:04:05.000Z');
    expect(pruned.loop).toBe('[Circular]');
  });
});

describe('renderYaml', () => {
  it('renders a pruned object as YAML in the given key order', () => {
    expect(renderYaml(pod)).toBe(
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: web-0',
        '  namespace: default',
        'spec:',
        '  containers:',
        '    - name: web',
        '      image: nginx:1.27',
        '      args:',
        '        - --port',
        '        - "8080"',
        '  restartCount: 0',
        '  hostNetwork: false',
        '  nodeName: ""',
      ].join('\n'),
    );
  });

  it('never folds long lines and writes multi-line strings as block literals', () => {
    const long = 'word '.repeat(40).trim();
    expect(renderYaml({ long, script: 'echo 1\necho 2' })).toBe(
      `long: ${long}\nscript: |-\n  echo 1\n  echo 2`,
    );
  });

  it('writes shared objects out twice instead of YAML aliases', () => {
    const shared = { a: 1 };
    expect(renderYaml({ first: shared, second: shared })).toBe('first:\n  a: 1\nsecond:\n  a: 1');
  });

  it('renders scalars and empty values', () => {
    expect(renderYaml('hello')).toBe('hello');
    expect(renderYaml({})).toBe('{}');
    expect(renderYaml(null)).toBe('null');
  });
});

describe('renderJson', () => {
  it('renders pruned JSON with a 2-space indent', () => {
    expect(renderJson({ a: 1, b: null, c: [], d: { e: 'x', f: {} }, managedFields: [1] })).toBe(
      '{\n  "a": 1,\n  "d": {\n    "e": "x"\n  }\n}',
    );
  });

  it('prints bigints as strings', () => {
    expect(renderJson({ n: 10n })).toBe('{\n  "n": "10"\n}');
  });
});
