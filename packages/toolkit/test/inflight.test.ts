import { describe, expect, it } from 'vitest';
import { InflightCalls } from '../src/index.js';

describe('InflightCalls: 2025-era cancellation over stateless HTTP', () => {
  it("cancels the caller's own call by id, never another caller's, and forgets a finished call", () => {
    const calls = new InflightCalls();
    const alice = calls.track('alice', 7);
    const bob = calls.track('bob', 7);
    expect(calls.cancel('mallory', 7)).toBe(false);
    expect(calls.cancel('alice', '7')).toBe(false); // ids keep their JSON type
    expect(calls.cancel('alice', 7)).toBe(true);
    expect(alice.signal.aborted).toBe(true);
    expect(bob.signal.aborted).toBe(false);
    alice.release();
    bob.release();
    expect(calls.cancel('bob', 7)).toBe(false);
    expect(calls.size).toBe(0);
  });
});
