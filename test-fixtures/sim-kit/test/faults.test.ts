import { describe, expect, it } from 'vitest';
import { type FaultSpec, Faults, parseFault } from '../src/index.js';

interface Fault extends FaultSpec {
  command?: string;
}

describe('Faults', () => {
  it('consumes matching faults first-added-first, `times` times', () => {
    const faults = new Faults<Fault, string>((f, c) => f.command === undefined || f.command === c);
    faults.add({ kind: 'reset', command: 'a', times: 2 });
    faults.add({ kind: 'hang' });
    expect(faults.take('b')?.kind).toBe('hang');
    expect(faults.take('a')?.kind).toBe('reset');
    expect(faults.take('a')?.kind).toBe('reset');
    expect(faults.take('a')).toBeUndefined();
    faults.add({ kind: 'latency', times: Number.POSITIVE_INFINITY });
    expect(faults.take('x')?.kind).toBe('latency');
    faults.clear();
    expect(faults.take('x')).toBeUndefined();
  });
});

describe('parseFault', () => {
  it('keeps the known fields and the match key', () => {
    expect(
      parseFault<Fault>({ kind: 'status', command: 'c', status: 429, times: 'Infinity', x: 1 }, 'command'),
    ).toEqual({ kind: 'status', command: 'c', status: 429, times: Number.POSITIVE_INFINITY });
  });

  it('rejects bad faults', () => {
    expect(() => parseFault<Fault>(null, 'command')).toThrow('fault must be a JSON object');
    expect(() => parseFault<Fault>({ kind: 'boom' }, 'command')).toThrow('kind must be one of latency');
    expect(() => parseFault<Fault>({ kind: 'hang', command: 1 }, 'command')).toThrow(
      'command must be a string',
    );
    expect(() => parseFault<Fault>({ kind: 'latency', ms: -1 }, 'command')).toThrow(
      'ms must be a non-negative',
    );
  });
});
