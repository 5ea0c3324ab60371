import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../src/index.js';

describe('estimateTokens', () => {
  it('counts ASCII text as ceil(chars / 3.6)', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a')).toBe(1);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('abcd')).toBe(2);
    expect(estimateTokens('x'.repeat(36))).toBe(10);
    expect(estimateTokens('x'.repeat(37))).toBe(11);
    expect(estimateTokens('x'.repeat(3600))).toBe(1000);
  });

  it('counts every non-ASCII code unit as a whole token', () => {
    expect(estimateTokens('日本語')).toBe(3);
    expect(estimateTokens('…')).toBe(1);
    expect(estimateTokens('abcdefg…')).toBe(3); // 7 / 3.6 + 1 = 2.94
  });

  it('is additive: the parts never count for less than the whole', () => {
    const a = 'NAME  STATE\n';
    const b = 'web-1  Running ✓';
    expect(estimateTokens(a) + estimateTokens(b)).toBeGreaterThanOrEqual(estimateTokens(a + b));
  });
});
