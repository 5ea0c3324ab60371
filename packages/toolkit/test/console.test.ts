import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, routeConsoleToLogger } from '../src/index.js';

const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn };
afterEach(() => {
  Object.assign(console, saved);
});

describe('routeConsoleToLogger', () => {
  it("sends a library's console output to the logger at debug level, and none of it to stdout", () => {
    const lines: string[] = [];
    const stdout: unknown[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: unknown) => stdout.push(chunk) > 0) as typeof process.stdout.write;
    try {
      routeConsoleToLogger(createLogger({ name: 't', level: 'debug', write: (line) => lines.push(line) }));
      console.log('federation %s', 'ok');
      console.warn({ retry: 2 });
    } finally {
      process.stdout.write = write;
    }
    expect(stdout).toEqual([]);
    expect(lines.join('\n')).toContain('console: federation ok');
    expect(lines.join('\n')).toContain('console: { retry: 2 }');
  });

  it('drops it below the log level', () => {
    const lines: string[] = [];
    routeConsoleToLogger(createLogger({ name: 't', level: 'info', write: (line) => lines.push(line) }));
    console.info('chatter');
    expect(lines).toEqual([]);
  });
});
