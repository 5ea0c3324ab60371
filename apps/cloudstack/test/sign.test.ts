import { describe, expect, it } from 'vitest';
import { encodeForm, javaUrlEncode, signedParams, signParams, stringToSign } from '../src/client/sign.js';

// The worked example of the CloudStack developer guide (../shared/upstream/cloudstack/SIGNING.md).
const apiKey = 'plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg';
const secret = 'VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ';

describe('CloudStack request signing', () => {
  it('reproduces the developer guide vector', () => {
    const params = { command: 'listUsers', apikey: apiKey, response: 'json' };
    expect(stringToSign(params)).toBe(
      'apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg&command=listusers&response=json',
    );
    expect(signParams(params, secret)).toBe('TTpdDq/7j/J58XCRHomKoQXEQds=');
  });

  it('encodes values like Java URLEncoder with %20 for spaces', () => {
    expect(javaUrlEncode("a b*c~d!e'f(g)h+i/j")).toBe('a%20b*c%7Ed%21e%27f%28g%29h%2Bi%2Fj');
  });

  it('adds signatureversion 3 and an expiry, and signs them too', () => {
    const signed = signedParams(
      { command: 'listZones', response: 'json' },
      { apiKey, secretKey: secret },
      0,
      60_000,
    );
    expect(signed).toMatchObject({ signatureversion: '3', expires: '1970-01-01T00:01:00Z', apikey: apiKey });
    const { signature, ...rest } = signed;
    expect(signature).toBe(signParams(rest, secret));
  });

  it('sends what it signed: the server decodes the form back to the same values', () => {
    const params = { name: 'web server ~1', displaytext: 'a+b&c=d' };
    expect(Object.fromEntries(new URLSearchParams(encodeForm(params)))).toEqual(params);
  });
});
