/**
 * The direct YAML writer against the yaml library it replaces: for every value, its text is the library's
 * text (or it leaves the value to the library), and the yaml library reads it back as the value.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadYaml, pruneEmpty, renderYaml } from '../src/index.js';
import { directYaml, libraryYaml } from '../src/yaml.js';

beforeAll(() => loadYaml());

/** A small seeded generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces that meet every quoting rule: indicators, quotes, blanks around line breaks, comments, markers,
// numbers and booleans of YAML 1.1 and 1.2, unicode, control characters.
const PIECES = [
  'a',
  'web',
  'nginx:1.27',
  '-',
  '?',
  ':',
  ': ',
  ' :',
  '#',
  ' #',
  '# ',
  ',',
  '[',
  ']',
  '{',
  '}',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  ' \n',
  '\n ',
  '---',
  '...',
  'yes',
  'No',
  'on',
  'true',
  'False',
  'null',
  '~',
  '0',
  '007',
  '0o7',
  '0x1F',
  '1.5',
  '.5',
  '1e3',
  '.inf',
  '.NaN',
  '12:30',
  '2025-01-01',
  '2025-01-01T00:00:00Z',
  'é',
  '日本',
  '😀',
  '\\',
  '\u0007',
  '\u001b',
  '\u0085',
  '\u00a0',
  '\u2028',
  '=',
  '/',
  'app.kubernetes.io/name',
  '<<',
  '- x',
  '? x',
  'a: b',
  'a #b',
  'x ',
  ' x',
];

/** Multi-line strings as scripts and certificates have them, which the library writes as block literals. */
const SCRIPTS = [
  'echo start\nexec nginx -g "daemon off;"',
  'set -e\nif [ -f /x ]; then\n  echo yes\nfi\n',
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  'a: b\n\n- c\n# d',
  "{'json': true}\nline 2",
];

const ONE_LINE = PIECES.filter((piece) => !piece.includes('\n'));

let pieces = PIECES;

function text(next: () => number): string {
  if (pieces !== PIECES && next() < 0.05) return SCRIPTS[Math.floor(next() * SCRIPTS.length)]!;
  const n = Math.floor(next() * 4);
  let out = '';
  for (let i = 0; i < n; i++) out += pieces[Math.floor(next() * pieces.length)];
  return out;
}

function value(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.45) {
    const s = next();
    if (s < 0.7) return text(next);
    if (s < 0.8) return Math.floor(next() * 2000) - 1000;
    if (s < 0.85) return next() * 100;
    if (s < 0.9) return next() < 0.5;
    if (s < 0.95) return null;
    return [0, -0, 1e21, 1.5e-7][Math.floor(next() * 4)];
  }
  const size = Math.floor(next() * 4);
  if (r < 0.7) return Array.from({ length: size }, () => value(next, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) out[text(next) || 'k'] = value(next, depth + 1);
  return out;
}

describe('the direct YAML writer', () => {
  it('writes what the yaml library writes for one-line strings of every kind and common scripts', () => {
    const next = random(12);
    pieces = ONE_LINE;
    let direct = 0;
    for (let i = 0; i < 5000; i++) {
      const pruned = pruneEmpty({ root: value(next, 0), list: [value(next, 1), value(next, 2)] });
      const ours = directYaml(pruned);
      if (ours === undefined) continue;
      direct++;
      const reference = libraryYaml(pruned);
      if (ours !== reference) expect({ case: i, ours }).toEqual({ case: i, ours: reference });
      expect(parse(ours)).toEqual(pruned);
    }
    // most values are written directly, not left to the library
    expect(direct).toBeGreaterThan(2500);
  });

  it('reads back as the value for multi-line strings of every kind (blank lines, indents, breaks at the end)', () => {
    const next = random(34);
    pieces = PIECES;
    let direct = 0;
    for (let i = 0; i < 5000; i++) {
      const pruned = pruneEmpty({ root: value(next, 0), list: [value(next, 1), value(next, 2)] });
      const ours = directYaml(pruned);
      if (ours === undefined) continue;
      direct++;
      if (JSON.stringify(parse(ours)) !== JSON.stringify(pruned)) {
        expect({ case: i, read: parse(ours) }).toEqual({ case: i, read: pruned });
      }
    }
    expect(direct).toBeGreaterThan(2500);
  });

  it('writes a whole pod directly', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-7d9f8c6b5-x2x4z',
        namespace: 'default',
        labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5' },
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Pod"}\n',
          'prometheus.io/scrape': 'true',
        },
        creationTimestamp: '2026-12-08T01:02:03Z',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8c6b5', controller: true },
        ],
      },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            command: ['sh', '-c', 'echo start\nexec nginx -g "daemon off;"'],
            env: [
              { name: 'MODE', value: 'on' },
              { name: 'EMPTY', value: '' },
            ],
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            resources: { limits: { cpu: '500m', memory: '128Mi' } },
          },
        ],
      },
      status: { phase: 'Running', podIP: '10.0.0.12', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const pruned = pruneEmpty(pod);
    expect(directYaml(pruned)).toBe(libraryYaml(pruned));
    expect(renderYaml(pod)).toBe(libraryYaml(pruned));
    expect(parse(renderYaml(pod))).toEqual(pruned);
  });

  it('leaves to the library what it does not write: control characters, marker-like keys, NaN', () => {
    for (const odd of [{ a: 'bell\u0007' }, { '--- x': 1 }, { 'a\nb': 1 }, { a: Number.NaN }]) {
      expect(directYaml(pruneEmpty(odd))).toBeUndefined();
      expect(parse(renderYaml(odd))).toEqual(pruneEmpty(odd));
    }
  });
});
