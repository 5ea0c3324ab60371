import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey, jwtExpiry } from '../src/index.js';
import { makeJwt } from './helpers.js';

describe('cacheKey', () => {
  const credential = 'cldkctl-long-lived-SECRET-0123456789';

  it('is a stable sha256 hex digest of the length-prefixed parts', () => {
    const key = cacheKey('cloudeka', 'https://ai.cloudeka.id', credential);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey('cloudeka', 'https://ai.cloudeka.id', credential)).toBe(key);

    const part = (s: string) => {
      const len = Buffer.alloc(8);
      len.writeBigUInt64BE(BigInt(Buffer.byteLength(s)));
      return Buffer.concat([len, Buffer.from(s)]);
    };
    const expected = createHash('sha256')
      .update(Buffer.concat(['cloudeka', 'https://ai.cloudeka.id', credential].map(part)))
      .digest('hex');
    expect(key).toBe(expected);
  });

  it('never contains the credential or a plain hash of it', () => {
    const key = cacheKey('cloudeka', 'https://ai.cloudeka.id', credential);
    expect(key).not.toContain(credential);
    expect(key).not.toContain(Buffer.from(credential).toString('hex'));
    expect(key).not.toBe(createHash('sha256').update(credential).digest('hex'));
  });

  it('changes with each part and cannot be shifted across part boundaries', () => {
    const base = cacheKey('cloudeka', 'https://a', 'cred');
    expect(cacheKey('cloudstack', 'https://a', 'cred')).not.toBe(base);
    expect(cacheKey('cloudeka', 'https://b', 'cred')).not.toBe(base);
    expect(cacheKey('cloudeka', 'https://a', 'cred2')).not.toBe(base);
    expect(cacheKey('a', 'bc', 'd')).not.toBe(cacheKey('ab', 'c', 'd'));
    expect(cacheKey('p', 'e', 'ab')).not.toBe(cacheKey('p', 'ea', 'b'));
    expect(cacheKey('', '', 'x')).not.toBe(cacheKey('', 'x', ''));
    // multi-byte characters are counted in bytes, not UTF-16 units
    expect(cacheKey('p', 'é', 'x')).not.toBe(cacheKey('p', 'e', '\u0301x'));
  });
});

describe('jwtExpiry', () => {
  it('reads exp (seconds) as epoch milliseconds', () => {
    expect(jwtExpiry(makeJwt({ sub: 'alice', exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
    expect(jwtExpiry(makeJwt({ exp: 1_900_000_000.5 }))).toBe(1_900_000_000_500);
    expect(jwtExpiry(` ${makeJwt({ exp: 1_700_000_000 })}\n`)).toBe(1_700_000_000_000);
    // unsigned (alg none) tokens have an empty signature
    const none = makeJwt({ exp: 1_800_000_000 }).split('.').slice(0, 2).join('.') + '.';
    expect(jwtExpiry(none)).toBe(1_800_000_000_000);
  });

  it('is undefined without a usable exp', () => {
    expect(jwtExpiry(makeJwt({ sub: 'alice' }))).toBeUndefined();
    expect(jwtExpiry(makeJwt({ exp: '1900000000' }))).toBeUndefined();
    expect(jwtExpiry(makeJwt({ exp: -5 }))).toBeUndefined();
    expect(jwtExpiry(makeJwt({ exp: 1e300 }))).toBeUndefined();
  });

  it('is undefined for garbage and never throws', () => {
    const header = Buffer.from('{"alg":"HS256"}').toString('base64url');
    const garbage: unknown[] = [
      '',
      'not-a-jwt',
      'a.b',
      'a.b.c.d.e',
      `${header}.!!!.sig`,
      `${header}.${Buffer.from('not json').toString('base64url')}.sig`,
      `${header}.${Buffer.from('[1,2]').toString('base64url')}.sig`,
      `${header}.${Buffer.from('null').toString('base64url')}.sig`,
      `bm90IGpzb24.${Buffer.from('{"exp":1900000000}').toString('base64url')}.sig`,
      `${header}.${Buffer.from('{"exp":1900000000}').toString('base64url')}.sig with spaces`,
      undefined,
      null,
      42,
      { exp: 1 },
    ];
    for (const value of garbage) expect(jwtExpiry(value as string)).toBeUndefined();
  });
});
