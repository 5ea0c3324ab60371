import { ConfigError } from '@cloudmcp/toolkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expandPath, loadOciProfile, type OciProfileOptions, readPassphrase } from '../../src/oci/profile.js';
import { TENANCY, TempHome, USER } from './helpers.js';

const FINGERPRINT = 'aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99';

const API_KEY_PROFILE = `[DEFAULT]
user=${USER}
fingerprint=${FINGERPRINT}
key_file=~/.oci/oci_api_key.pem
tenancy=${TENANCY}
region=us-phoenix-1
pass_phrase=never-shown-secret

[mysession]
fingerprint=${FINGERPRINT}
key_file=~/.oci/sessions/mysession/oci_api_key.pem
tenancy=${TENANCY}
region=eu-frankfurt-1
security_token_file=~/.oci/sessions/mysession/token
`;

let home: TempHome;

beforeEach(() => {
  home = new TempHome();
});

afterEach(() => {
  home.dispose();
});

function load(env: Record<string, string> = {}, options: OciProfileOptions = {}) {
  return loadOciProfile(options, { env, home: home.dir, cwd: home.path('work') });
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadOciProfile', () => {
  it('reads the DEFAULT profile of ~/.oci/config as an API key identity', () => {
    home.write('.oci/config', API_KEY_PROFILE);
    expect(load()).toEqual({
      authMode: 'api_key',
      configFile: home.path('.oci/config'),
      profile: 'DEFAULT',
      region: 'us-phoenix-1',
      tenancy: TENANCY,
      user: USER,
      fingerprint: FINGERPRINT,
      keyFile: home.path('.oci/oci_api_key.pem'),
      passphraseFrom: 'pass_phrase',
      sources: { configFile: 'default', profile: 'default', region: 'profile', authMode: 'default' },
    });
  });

  it('selects a session profile from OCI_CLI_PROFILE by its security_token_file', () => {
    home.write('.oci/config', API_KEY_PROFILE);
    const profile = load({ OCI_CLI_PROFILE: 'mysession' });
    expect(profile).toMatchObject({
      authMode: 'security_token',
      profile: 'mysession',
      region: 'eu-frankfurt-1',
      keyFile: home.path('.oci/sessions/mysession/oci_api_key.pem'),
      securityTokenFile: home.path('.oci/sessions/mysession/token'),
      sources: { profile: 'OCI_CLI_PROFILE', authMode: 'security_token_file' },
    });
    // The session profile has no user: the key id is the token, never an API key of [DEFAULT]'s user.
    expect(profile.user).toBeUndefined();
    // Keys it lacks still come from [DEFAULT], as in every OCI reader.
    expect(profile.passphraseFrom).toBe('pass_phrase');
  });

  it('lets OCI_CLI_AUTH=security_token and the auth option choose the mode', () => {
    home.write(
      '.oci/config',
      `[DEFAULT]\nkey_file=~/k.pem\nregion=us-ashburn-1\nsecurity_token_file=~/t\nuser=${USER}\nfingerprint=${FINGERPRINT}\ntenancy=${TENANCY}\n`,
    );
    expect(load({ OCI_CLI_AUTH: 'security_token' })).toMatchObject({
      authMode: 'security_token',
      sources: { authMode: 'OCI_CLI_AUTH' },
    });
    expect(load({ OCI_CLI_AUTH: 'security_token' }, { auth: 'api_key' })).toMatchObject({
      authMode: 'api_key',
      user: USER,
      sources: { authMode: 'option' },
    });
  });

  it('reads authentication_type from the profile', () => {
    home.write('.oci/config', '[DEFAULT]\nauthentication_type=instance_principal\n');
    expect(load()).toEqual({
      authMode: 'instance_principal',
      configFile: home.path('.oci/config'),
      profile: 'DEFAULT',
      sources: { configFile: 'default', profile: 'default', authMode: 'authentication_type' },
    });
    home.write('.oci/config', '[DEFAULT]\nauthentication_type=instance_obo_user\n');
    expect(failure(() => load())).toContain('`authentication_type` (line 2) must be one of');
  });

  it('needs no config file for instance principal auth, and takes the region from the environment', () => {
    expect(load({ OCI_CLI_AUTH: 'instance_principal', OCI_REGION: 'us-sanjose-1' })).toEqual({
      authMode: 'instance_principal',
      profile: 'DEFAULT',
      region: 'us-sanjose-1',
      sources: { profile: 'default', region: 'OCI_REGION', authMode: 'OCI_CLI_AUTH' },
    });
  });

  it('needs no DEFAULT profile for instance principal auth, but a profile named on purpose must exist', () => {
    home.write('.oci/config', API_KEY_PROFILE.replace('[DEFAULT]', '[other]'));
    expect(load({ OCI_CLI_AUTH: 'instance_principal' })).toMatchObject({
      authMode: 'instance_principal',
      profile: 'DEFAULT',
    });
    expect(failure(() => load({ OCI_CLI_AUTH: 'instance_principal', OCI_CLI_PROFILE: 'prod' }))).toContain(
      'no profile [prod]',
    );
  });

  it('refuses an unknown OCI_CLI_AUTH', () => {
    expect(failure(() => load({ OCI_CLI_AUTH: 'resource_principal' }))).toBe(
      'OCI_CLI_AUTH must be one of api_key, security_token, instance_principal',
    );
  });

  it('lets the environment override the profile region, the CLI variable first', () => {
    home.write('.oci/config', API_KEY_PROFILE);
    expect(load({ OCI_REGION: 'ap-tokyo-1' })).toMatchObject({
      region: 'ap-tokyo-1',
      sources: { region: 'OCI_REGION' },
    });
    expect(load({ OCI_REGION: 'ap-tokyo-1', OCI_CLI_REGION: 'sa-saopaulo-1' })).toMatchObject({
      region: 'sa-saopaulo-1',
      sources: { region: 'OCI_CLI_REGION' },
    });
    expect(load({ OCI_CLI_REGION: 'sa-saopaulo-1' }, { region: 'me-dubai-1' })).toMatchObject({
      region: 'me-dubai-1',
      sources: { region: 'option' },
    });
    expect(failure(() => load({ OCI_REGION: 'https://evil.example/' }))).toBe(
      'OCI_REGION is not a region identifier (like us-phoenix-1)',
    );
  });

  it('finds the config file from the option, OCI_CLI_CONFIG_FILE, OCI_CONFIG_FILE, then the fallback', () => {
    home.write('a/config', API_KEY_PROFILE);
    home.write('b/config', API_KEY_PROFILE);
    home.write('.oraclebmc/config', API_KEY_PROFILE);
    expect(load()).toMatchObject({
      configFile: home.path('.oraclebmc/config'),
      sources: { configFile: 'fallback' },
    });
    expect(load({ OCI_CONFIG_FILE: '~/a/config' })).toMatchObject({
      configFile: home.path('a/config'),
      sources: { configFile: 'OCI_CONFIG_FILE' },
    });
    expect(load({ OCI_CONFIG_FILE: '~/a/config', OCI_CLI_CONFIG_FILE: '~/b/config' })).toMatchObject({
      configFile: home.path('b/config'),
      sources: { configFile: 'OCI_CLI_CONFIG_FILE' },
    });
    expect(load({ OCI_CLI_CONFIG_FILE: '~/b/config' }, { configFile: '../a/config' })).toMatchObject({
      configFile: home.path('a/config'),
      sources: { configFile: 'option' },
    });
  });

  it('does not fall back when a named config file is missing', () => {
    home.write('.oci/config', API_KEY_PROFILE);
    expect(failure(() => load({ OCI_CONFIG_FILE: '~/nope' }))).toBe(
      `OCI config file ${home.path('nope')} (from OCI_CONFIG_FILE) not found; create it with \`oci setup config\`, or point OCI_CONFIG_FILE at it`,
    );
  });

  it('says when there is no config file at all', () => {
    expect(failure(() => load())).toContain('OCI config file ~/.oci/config not found');
  });

  it('names a missing profile and the ones that exist', () => {
    home.write('.oci/config', API_KEY_PROFILE);
    expect(failure(() => load({ OCI_CLI_PROFILE: 'prod' }))).toBe(
      `${home.path('.oci/config')}: no profile [prod] (profiles: DEFAULT, mysession)`,
    );
  });

  it('names missing and malformed keys, never a value', () => {
    home.write(
      '.oci/config',
      `[DEFAULT]\nuser=${USER}\nkey_file=~/k\ntenancy=${TENANCY}\nregion=us-phoenix-1\n`,
    );
    expect(failure(() => load())).toBe(
      `${home.path('.oci/config')} profile [DEFAULT]: missing \`fingerprint\` (nor in [DEFAULT])`,
    );
    home.write(
      '.oci/config',
      `[DEFAULT]\nuser=${USER}\nkey_file=~/k\ntenancy=${TENANCY}\nregion=us-phoenix-1\nfingerprint=not-a-fingerprint-secret\n`,
    );
    const message = failure(() => load());
    expect(message).toBe(
      `${home.path('.oci/config')} profile [DEFAULT]: \`fingerprint\` (line 6) is malformed`,
    );
    expect(message).not.toContain('secret');
    home.write(
      '.oci/config',
      `[DEFAULT]\nuser=${USER}\nkey_file=~/k\ntenancy=${TENANCY}\nfingerprint=${FINGERPRINT}\n`,
    );
    expect(failure(() => load())).toContain(
      'no `region`; set it in the profile, or set OCI_CLI_REGION or OCI_REGION',
    );
  });

  it('refuses a keyId part that would break the Authorization header', () => {
    home.write(
      '.oci/config',
      `[DEFAULT]\nuser=ocid1.user"x\nkey_file=~/k\ntenancy=${TENANCY}\nregion=us-phoenix-1\nfingerprint=${FINGERPRINT}\n`,
    );
    expect(failure(() => load())).toContain('`user` (line 2) is malformed');
  });

  it('reads the pass phrase only when asked, OCI_CLI_PASSPHRASE first', () => {
    home.write('.oci/config', API_KEY_PROFILE);
    const profile = load();
    expect(JSON.stringify(profile)).not.toContain('never-shown-secret');
    expect(readPassphrase(profile, {})).toBe('never-shown-secret');
    const fromEnv = load({ OCI_CLI_PASSPHRASE: 'from-env' });
    expect(fromEnv.passphraseFrom).toBe('OCI_CLI_PASSPHRASE');
    expect(readPassphrase(fromEnv, { OCI_CLI_PASSPHRASE: 'from-env' })).toBe('from-env');
  });
});

describe('expandPath', () => {
  it('expands ~ and resolves relative paths from the working directory', () => {
    expect(expandPath('~', '/home/me', '/work')).toBe('/home/me');
    expect(expandPath('~/.oci/key.pem', '/home/me', '/work')).toBe('/home/me/.oci/key.pem');
    expect(expandPath('keys/k.pem', '/home/me', '/work')).toBe('/work/keys/k.pem');
    expect(expandPath('/abs/k.pem', '/home/me', '/work')).toBe('/abs/k.pem');
  });
});
