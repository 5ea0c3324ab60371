import { loadYaml } from '@cloudmcp/format';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_RENDER, defineTool, type RenderSettings, renderToolResult } from '../src/index.js';

// What structuredContent carries: for a list, the table the text shows; for an object, the whole object.

beforeAll(() => loadYaml()); // YAML renders synchronously once loaded (the server loads it per call)

const podList = defineTool({
  name: 'pod_list',
  title: 'List pods',
  description: 'Lists pods.',
  toolset: 'pods',
  input: z.object({}),
  output: z.object({
    items: z.array(z.object({ namespace: z.string(), name: z.string(), phase: z.string(), uid: z.string() })),
    total: z.number().optional(),
    unreachable: z.array(z.object({ cluster: z.string(), reason: z.string() })).optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  render: {
    kind: 'list',
    noun: 'pods',
    columns: [
      { header: 'namespace', value: (p) => p.namespace, collapseWhenUniform: true },
      { header: 'name', value: (p) => p.name },
      { header: 'phase', value: (p) => p.phase, maxWidth: 8 },
    ],
  },
  handler: async () => ({ items: [] }),
});

const pods = [
  { namespace: 'team-a', name: 'api-1', phase: 'Running', uid: 'u1' },
  { namespace: 'team-a', name: 'web-1', phase: 'CrashLoopBackOff', uid: 'u2' },
];

const render = (output: Record<string, unknown>, settings: Partial<RenderSettings> = {}) =>
  renderToolResult(podList, output, undefined, { ...DEFAULT_RENDER, ...settings });

describe('structuredContent of a list', () => {
  it('is the table shown: columns, the cut cells, shared values, and the other top-level fields', () => {
    const result = render({ items: pods, total: 2, unreachable: [{ cluster: 'b', reason: 'timeout' }] });
    expect(result.content[0]!.text).toBe('NAMESPACE: team-a\nNAME   PHASE\napi-1  Running\nweb-1  CrashLo…');
    expect(result.structuredContent).toEqual({
      total: 2,
      unreachable: [{ cluster: 'b', reason: 'timeout' }],
      columns: ['name', 'phase'],
      rows: [
        ['api-1', 'Running'],
        ['web-1', 'CrashLo…'],
      ],
      uniform: { namespace: 'team-a' },
    });
    // never the items, nor fields no column shows
    expect(JSON.stringify(result.structuredContent)).not.toContain('u1');
  });

  it('is still the table with --output yaml or json, whose text carries the whole items', () => {
    for (const output of ['yaml', 'json'] as const) {
      const result = render({ items: pods }, { output });
      expect(result.content[0]!.text).toContain('uid');
      expect(result.structuredContent).toEqual({
        columns: ['name', 'phase'],
        rows: [
          ['api-1', 'Running'],
          ['web-1', 'CrashLo…'],
        ],
        uniform: { namespace: 'team-a' },
      });
    }
  });

  it('has no rows for an empty page', () => {
    expect(render({ items: [] }).structuredContent).toEqual({
      columns: ['namespace', 'name', 'phase'],
      rows: [],
    });
  });
});

describe('structuredContent of an object', () => {
  const get = defineTool({
    ...podList,
    name: 'pod_get',
    output: z.object({
      name: z.string(),
      node: z.string().nullable(),
      spec: z.record(z.string(), z.unknown()),
    }),
    render: { kind: 'object' },
    handler: async () => ({ name: 'x', node: null, spec: {} }),
  });

  it('is the whole object, redacted, less top-level nulls', () => {
    const result = renderToolResult(
      get,
      { name: 'api-1', node: null, spec: { env: [{ name: 'PASSWORD', value: 'hunter2' }], nodeName: null } },
      undefined,
      DEFAULT_RENDER,
    );
    expect(result.structuredContent).toEqual({
      name: 'api-1',
      spec: { env: [{ name: 'PASSWORD', value: expect.not.stringContaining('hunter2') }], nodeName: null },
    });
  });
});
