import { describe, expect, it } from 'vitest';
import { count, parseSimArgs } from '../src/index.js';

const spec = { defaultPort: 8080, options: { extra: { type: 'string' as const } } };

describe('parseSimArgs', () => {
  it('parses the common options and keeps the rest as values', () => {
    expect(parseSimArgs([], spec)).toEqual({ help: false, port: 8080, host: '127.0.0.1', values: {} });
    expect(parseSimArgs(['--port', '0', '--seed', 'empty', '--extra', 'x'], spec)).toMatchObject({
      help: false,
      port: 0,
      seed: 'empty',
      values: { extra: 'x' },
    });
    expect(parseSimArgs(['-h'], spec)).toEqual({ help: true });
  });

  it('checks seed, then the simulator, then the port', () => {
    const check = () => {
      throw new Error('checked');
    };
    expect(() => parseSimArgs(['--seed', 'x', '--port', '70000'], { ...spec, check })).toThrow('--seed');
    expect(() => parseSimArgs(['--port', '70000'], { ...spec, check })).toThrow('checked');
    expect(() => parseSimArgs(['--port', '70000'], spec)).toThrow('--port must be at most 65535');
    expect(() => parseSimArgs(['--nope'], spec)).toThrow();
  });

  it('counts non-negative integers', () => {
    expect(count('n', undefined)).toBeUndefined();
    expect(count('n', '12')).toBe(12);
    expect(() => count('n', '-1')).toThrow('--n must be a non-negative integer, got "-1"');
  });
});
