import { describe, expect, it } from 'vitest';
import { computeSignature, javaUrlEncode, parseExpires, stringToSign } from '../src/signature.js';
import { encodeValue, signParams } from './helpers.js';

// The developer-guide vector quoted in SIGNING.md.
const VECTOR = {
  apiKey: 'plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg',
  secret: 'VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ',
  plain:
    'apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg&command=listusers&response=json',
  signature: 'TTpdDq/7j/J58XCRHomKoQXEQds=',
};

describe('request signing', () => {
  const params = { apikey: VECTOR.apiKey, command: 'listUsers', response: 'json' };

  it('reproduces the developer-guide vector with the test signer', () => {
    expect(signParams(params, VECTOR.secret)).toBe(VECTOR.signature);
  });

  it('reproduces the developer-guide vector with the simulator verifier', () => {
    const map = new Map(Object.entries(params));
    expect(stringToSign(map)).toBe(VECTOR.plain);
    expect(computeSignature(map, VECTOR.secret)).toBe(VECTOR.signature);
    // The signature parameter itself is never part of the signed string.
    map.set('signature', VECTOR.signature);
    expect(computeSignature(map, VECTOR.secret)).toBe(VECTOR.signature);
  });

  it('encodes values like Java URLEncoder with %20 for spaces', () => {
    expect(javaUrlEncode("a b*c~d!e(f)g'h/i+j=é")).toBe('a%20b*c%7Ed%21e%28f%29g%27h%2Fi%2Bj%3D%C3%A9');
    const tricky = "name with spaces & symbols: ~*!'()[]{}<>#%@äß中文";
    expect(javaUrlEncode(tricky)).toBe(encodeValue(tricky));
  });

  it('sorts parameter names by code unit, upper case before lower case', () => {
    const map = new Map([
      ['command', 'listZones'],
      ['Zeta', '1'],
      ['apiKey', 'k'],
    ]);
    expect(stringToSign(map)).toBe('zeta=1&apikey=k&command=listzones');
  });

  it('parses the expires formats CloudStack accepts and rejects the rest', () => {
    expect(parseExpires('2011-10-10T12:00:00+0530')).toBe(Date.UTC(2011, 9, 10, 6, 30));
    expect(parseExpires('2024-05-01T10:15:00Z')).toBe(Date.UTC(2024, 4, 1, 10, 15));
    expect(parseExpires('2024-05-01T10:15:00-02:00')).toBe(Date.UTC(2024, 4, 1, 12, 15));
    expect(parseExpires('2024-05-01T10:15:00.123Z')).toBeUndefined();
    expect(parseExpires('2024-05-01 10:15:00')).toBeUndefined();
    expect(parseExpires('tomorrow')).toBeUndefined();
  });
});
