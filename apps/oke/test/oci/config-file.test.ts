import { readFileSync } from 'node:fs';
import { ConfigError } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import { parseOciConfig, profileValue } from '../../src/oci/config-file.js';

const SAMPLES = '/work/shared/upstream/oci/config-samples';

function values(text: string, profile: string): Record<string, string> {
  const config = parseOciConfig(text, 'config');
  return Object.fromEntries(
    [...(config.get(profile) ?? new Map())].map(([key, entry]) => [key, entry.value]),
  );
}

function failure(text: string): string {
  try {
    parseOciConfig(text, '/home/me/.oci/config');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseOciConfig on the SDK unit-test samples', () => {
  it('reads unit-test-config as the TypeScript SDK does', () => {
    const text = readFileSync(`${SAMPLES}/unit-test-config`, 'utf8');
    const config = parseOciConfig(text, 'unit-test-config');
    expect([...config.keys()]).toEqual(['DEFAULT', 'PROFILE1', 'PROFILE2']);
    expect(values(text, 'DEFAULT')).toEqual({
      key: 'value',
      key2: 'value2',
      key3: 'value3',
      key4: 'value4',
      key5: '=val=ue=',
      // Not a header (no closing bracket): both the SDK and the CLI read it as a key.
      '[key6': 'value6',
    });
    expect(values(text, 'PROFILE1')).toEqual({ key: 'new value' });
    expect(values(text, 'PROFILE2')).toEqual({ key: 'value=foobar', key2: 'nota#comment' });
    expect(profileValue(config, 'PROFILE1', 'key2')?.value).toBe('value2');
    expect(profileValue(config, 'PROFILE2', 'key3')?.value).toBe('value3');
  });

  it('reads unit-test-environment-config', () => {
    const text = readFileSync(`${SAMPLES}/unit-test-environment-config`, 'utf8');
    expect(values(text, 'DEFAULT')).toMatchObject({
      fingerprint: '20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34',
      region: 'us-phoenix-1',
      key_file: './lib/common/tests/resources/fake-rsa.pem',
    });
  });
});

describe('parseOciConfig', () => {
  it('takes CRLF, a BOM, ; comments and upper-case keys', () => {
    const text = '\uFEFF[DEFAULT]\r\n; comment\r\nRegion = eu-frankfurt-1\r\n';
    expect(values(text, 'DEFAULT')).toEqual({ region: 'eu-frankfurt-1' });
  });

  it('records the line of every entry', () => {
    const config = parseOciConfig('[DEFAULT]\n\nuser = u\n', 'config');
    expect(config.get('DEFAULT')?.get('user')).toEqual({ value: 'u', line: 3 });
  });

  it('names the line of a line that is not key = value, never its text', () => {
    const message = failure('[DEFAULT]\nuser=u\nMIIEsecretkeymaterial\n');
    expect(message).toBe('/home/me/.oci/config line 3: expected `key = value`');
    expect(message).not.toContain('MIIE');
  });

  it('refuses a setting before any profile header, naming the key only', () => {
    const message = failure('pass_phrase = hunter2\n[DEFAULT]\n');
    expect(message).toContain('line 1: `pass_phrase` comes before any [profile] header');
    expect(message).not.toContain('hunter2');
  });

  it('refuses an empty profile name and a setting without a key', () => {
    expect(failure('[ ]\n')).toContain('line 1: empty profile name');
    expect(failure('[DEFAULT]\n= secret\n')).toContain('line 2: a setting without a key');
  });

  it('refuses repeated profiles and keys, as the CLI does', () => {
    expect(failure('[A]\nx=1\n[A]\n')).toContain('line 3: profile [A] appears twice');
    const message = failure('[A]\npass_phrase=one\npass_phrase=two\n');
    expect(message).toContain('line 3: `pass_phrase` appears twice in profile [A]');
    expect(message).not.toMatch(/one|two/);
  });

  it('treats an empty value as unset and does not fall back past the profile', () => {
    const config = parseOciConfig('[DEFAULT]\nregion=us-ashburn-1\n[P]\nregion=\n', 'config');
    expect(profileValue(config, 'P', 'region')).toBeUndefined();
    expect(profileValue(config, 'P', 'user')).toBeUndefined();
  });
});
