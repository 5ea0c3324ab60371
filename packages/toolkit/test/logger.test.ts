import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

describe('logger', () => {
  it('writes one redacted line per record at or above its level, and hands records to sinks', () => {
    const lines: string[] = [];
    const sunk: Array<[string, string, unknown]> = [];
    const log = createLogger({ name: 'srv', level: 'info', write: (l) => lines.push(l) }).with(
      (level, msg, fields) => sunk.push([level, msg, fields]),
    );
    log.debug('hidden');
    log.info('calling https://cloud.example/api?command=listZones&apikey=abc123&signature=xyz', {
      password: 'hunter2',
      zone: 'z1',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\S+ INFO srv: calling /);
    expect(lines[0]).not.toContain('abc123');
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).toContain('"zone":"z1"');
    expect(sunk).toHaveLength(1);
    expect(JSON.stringify(sunk)).not.toContain('hunter2');
  });

  it('a failing sink does not break logging', () => {
    const lines: string[] = [];
    const log = createLogger({ name: 's', write: (l) => lines.push(l) }).with(() => {
      throw new Error('client gone');
    });
    log.warn('still here');
    expect(lines[0]).toContain('WARN s: still here');
  });
});
