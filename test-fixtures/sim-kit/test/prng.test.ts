import { describe, expect, it } from 'vitest';
import { Prng } from '../src/index.js';

describe('Prng', () => {
  it('is deterministic per seed', () => {
    const a = new Prng('seed');
    const b = new Prng('seed');
    expect([a.next(), a.int(100), a.uuid(), a.key()]).toEqual([b.next(), b.int(100), b.uuid(), b.key()]);
    expect(new Prng('other').next()).not.toBe(new Prng('seed').next());
  });

  it('makes v4 UUIDs and 86-character URL-safe keys', () => {
    const p = new Prng('shapes');
    expect(p.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(p.key()).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(['x', 'y']).toContain(p.pick(['x', 'y']));
  });
});
