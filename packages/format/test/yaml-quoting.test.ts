import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadYaml, renderYaml } from '../src/index.js';

// renderYaml and parseYamlInput use the yaml library, which loads on demand
beforeAll(() => loadYaml());

describe('renderYaml quoting', () => {
  it('quotes strings a YAML 1.1 reader would take for booleans, dates or numbers', () => {
    const value = { edited: 'yes', b: 'on', c: 'No', date: '2025-01-01', time: '12:30', oct: '0755', y: 'n' };
    const text = renderYaml(value);
    expect(text).toBe(
      'edited: "yes"\nb: "on"\nc: "No"\ndate: "2025-01-01"\ntime: "12:30"\noct: "0755"\n"y": "n"',
    );
    expect(parse(text)).toEqual(value);
  });

  it('leaves ordinary strings, numbers and booleans plain', () => {
    expect(renderYaml({ name: 'web-01', replicas: 3, ready: true, image: 'nginx:1.27' })).toBe(
      'name: web-01\nreplicas: 3\nready: true\nimage: nginx:1.27',
    );
  });
});
