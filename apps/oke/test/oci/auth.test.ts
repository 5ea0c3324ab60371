import { createPrivateKey, sign, verify } from 'node:crypto';
import { ToolError } from '@cloudmcp/toolkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OciAuth, type OciAuthOptions } from '../../src/oci/auth.js';
import { encryptedPem, makeKey, sessionToken, TENANCY, TempHome, type TestKey, USER } from './helpers.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const HOUR = 3600;

// RSA key generation is slow: one pair each for the whole file.
const apiKey: TestKey = makeKey();
const sessionKey: TestKey = makeKey();
let home: TempHome;

beforeEach(() => {
  home = new TempHome();
});

afterEach(() => {
  home.dispose();
});

function apiKeyConfig(extra = ''): void {
  home.write(
    '.oci/config',
    `[DEFAULT]\nuser=${USER}\nfingerprint=${apiKey.fingerprint}\nkey_file=~/.oci/key.pem\ntenancy=${TENANCY}\nregion=us-phoenix-1\n${extra}`,
  );
}

/** A session profile next to a complete API key [DEFAULT], as after `oci session authenticate`. */
function sessionConfig(): void {
  apiKeyConfig(
    `\n[mysession]\nfingerprint=${sessionKey.fingerprint}\nkey_file=~/.oci/sessions/mysession/key.pem\ntenancy=${TENANCY}\nregion=eu-frankfurt-1\nsecurity_token_file=~/.oci/sessions/mysession/token\n`,
  );
  home.write('.oci/key.pem', apiKey.pem);
  home.write('.oci/sessions/mysession/key.pem', sessionKey.pem);
}

function auth(env: Record<string, string> = {}, options: Partial<OciAuthOptions> = {}): OciAuth {
  return new OciAuth({ env, home: home.dir, cwd: home.dir, now: () => NOW, ...options });
}

async function toolError(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

/** Proves `privateKey` is the key of `key` by a signature its public key verifies. */
function signsAs(privateKey: Parameters<typeof sign>[2], key: TestKey): boolean {
  const data = Buffer.from('probe');
  return verify('sha256', data, key.publicKey, sign('sha256', data, privateKey));
}

describe('OciAuth with an API key', () => {
  it('signs as tenancy/user/fingerprint with the key file, read on first use', async () => {
    apiKeyConfig();
    const subject = auth();
    // Constructing reads the config only: the key file does not exist yet.
    home.write('.oci/key.pem', `${apiKey.pem}OCI_API_KEY\n`);
    const key = await subject.signingKey();
    expect(key.keyId).toBe(`${TENANCY}/${USER}/${apiKey.fingerprint}`);
    expect(key.expiresAt).toBeUndefined();
    expect(signsAs(key.privateKey, apiKey)).toBe(true);
  });

  it('names an unreadable key file and says what to do', async () => {
    apiKeyConfig();
    const error = await toolError(auth().signingKey());
    expect(error.message).toBe(
      `Cannot read key_file ${home.path('.oci/key.pem')} of profile [DEFAULT] (ENOENT).`,
    );
    expect(error.details.next).toContain('Check `key_file` in profile [DEFAULT]');
  });

  it('decrypts an encrypted key with pass_phrase or OCI_CLI_PASSPHRASE, and never shows either', async () => {
    apiKeyConfig('pass_phrase=profile-secret\n');
    home.write('.oci/key.pem', encryptedPem(apiKey, 'profile-secret'));
    expect(signsAs((await auth().signingKey()).privateKey, apiKey)).toBe(true);

    home.write('.oci/key.pem', encryptedPem(apiKey, 'env-secret'));
    expect(signsAs((await auth({ OCI_CLI_PASSPHRASE: 'env-secret' }).signingKey()).privateKey, apiKey)).toBe(
      true,
    );

    const wrong = await toolError(auth().signingKey());
    expect(wrong.message).toBe(
      `The private key ${home.path('.oci/key.pem')} could not be decrypted with the configured pass phrase.`,
    );
    const view = JSON.stringify([wrong.message, wrong.details, await auth().describe()]);
    expect(view).not.toMatch(/profile-secret|env-secret|PRIVATE KEY|MII/);
  });

  it('says when an encrypted key has no pass phrase', async () => {
    apiKeyConfig();
    home.write('.oci/key.pem', encryptedPem(apiKey, 'secret'));
    const error = await toolError(auth().signingKey());
    expect(error.message).toContain('is encrypted and no pass phrase is configured');
    expect(error.details.next).toContain('OCI_CLI_PASSPHRASE');
  });

  it('describes the identity without secrets, and checks the fingerprint against the key', async () => {
    apiKeyConfig();
    home.write('.oci/key.pem', apiKey.pem);
    const view = await auth().describe();
    expect(view).toEqual({
      mode: 'api_key',
      profile: 'DEFAULT',
      configFile: home.path('.oci/config'),
      region: 'us-phoenix-1',
      sources: { configFile: 'default', profile: 'default', region: 'profile', authMode: 'default' },
      tenancy: TENANCY,
      user: USER,
      fingerprint: apiKey.fingerprint,
      keyFile: home.path('.oci/key.pem'),
      keyFingerprint: apiKey.fingerprint,
      fingerprintMatchesKey: true,
    });
    home.write('.oci/key.pem', sessionKey.pem);
    const rotated = await auth().describe();
    expect(rotated.fingerprintMatchesKey).toBe(false);
  });

  it('hands the SDK a provider whose key matches the keyId', async () => {
    apiKeyConfig();
    home.write('.oci/key.pem', apiKey.pem);
    const provider = await auth().sdkProvider();
    expect(await provider.getKeyId()).toBe(`${TENANCY}/${USER}/${apiKey.fingerprint}`);
    expect(provider.getPassphrase()).toBeNull();
    expect(signsAs(createPrivateKey(provider.getPrivateKey()), apiKey)).toBe(true);
  });
});

describe('OciAuth with a session token', () => {
  it('signs as ST$<token> with the session key', async () => {
    sessionConfig();
    const token = sessionToken(NOW / 1000 + HOUR, 'first');
    home.write('.oci/sessions/mysession/token', `${token}\n`);
    const key = await auth({ OCI_CLI_PROFILE: 'mysession' }).signingKey();
    expect(key.keyId).toBe(`ST$${token}`);
    expect(key.expiresAt).toBe(NOW + HOUR * 1000);
    expect(signsAs(key.privateKey, sessionKey)).toBe(true);
  });

  it('re-reads the token file when `oci session refresh` rewrites it, without a refresh call', async () => {
    sessionConfig();
    home.write('.oci/sessions/mysession/token', sessionToken(NOW / 1000 + HOUR, 'first'));
    const subject = auth({ OCI_CLI_PROFILE: 'mysession' });
    const first = await subject.signingKey();
    const generation = subject.generation;
    expect((await subject.signingKey()).keyId).toBe(first.keyId);
    expect(subject.generation).toBe(generation);

    const second = sessionToken(NOW / 1000 + 2 * HOUR, 'second');
    home.write('.oci/sessions/mysession/token', second);
    const key = await subject.signingKey();
    expect(key.keyId).toBe(`ST$${second}`);
    expect(key.expiresAt).toBe(NOW + 2 * HOUR * 1000);
    expect(subject.generation).toBeGreaterThan(generation);
  });

  it('refuses an expired token with the command to run, and recovers once the file is fresh', async () => {
    sessionConfig();
    home.write('.oci/sessions/mysession/token', sessionToken(NOW / 1000 - 60, 'old'));
    const subject = auth({ OCI_CLI_PROFILE: 'mysession' });
    const error = await toolError(subject.signingKey());
    expect(error.message).toBe(
      'The OCI session token of profile [mysession] expired at 2025-06-01T11:59:00.000Z.',
    );
    expect(error.details.next).toContain('oci session refresh --profile mysession');
    expect((await subject.describe()).problem).toBe(error.message);

    const fresh = sessionToken(NOW / 1000 + HOUR, 'fresh');
    home.write('.oci/sessions/mysession/token', fresh);
    expect((await subject.signingKey()).keyId).toBe(`ST$${fresh}`);
  });

  it('never falls back to the API key of [DEFAULT] when the session cannot sign', async () => {
    sessionConfig();
    const subject = auth({ OCI_CLI_PROFILE: 'mysession' });
    const missing = await toolError(subject.signingKey());
    expect(missing.message).toContain('Cannot read security_token_file');
    expect(missing.details.next).toContain('oci session authenticate --profile-name mysession');

    home.write('.oci/sessions/mysession/token', 'not a token');
    const malformed = await toolError(subject.signingKey());
    expect(malformed.message).toContain('does not hold an OCI session token');
    expect(subject.mode).toBe('security_token');
  });

  it('refuses a refresh that would switch the session to an API key, and keeps signing with the session', async () => {
    sessionConfig();
    const token = sessionToken(NOW / 1000 + HOUR);
    home.write('.oci/sessions/mysession/token', token);
    const subject = auth({ OCI_CLI_PROFILE: 'mysession' });
    await subject.signingKey();
    // The user edits the profile: without security_token_file it would be an API key profile.
    home.write(
      '.oci/config',
      `[DEFAULT]\nuser=${USER}\nfingerprint=${apiKey.fingerprint}\nkey_file=~/.oci/key.pem\ntenancy=${TENANCY}\nregion=us-phoenix-1\n[mysession]\nregion=eu-frankfurt-1\n`,
    );
    const error = await toolError(subject.refresh());
    expect(error.message).toBe(
      'Profile [mysession] now selects api_key auth, but this server signs with security_token; it never switches on its own.',
    );
    expect((await subject.signingKey()).keyId).toBe(`ST$${token}`);
  });

  it('refresh() re-reads everything, bumps the generation and describes the result without the token', async () => {
    sessionConfig();
    const token = sessionToken(NOW / 1000 + HOUR, 'one');
    home.write('.oci/sessions/mysession/token', token);
    const subject = auth({ OCI_CLI_PROFILE: 'mysession' });
    await subject.signingKey();
    const generation = subject.generation;
    const view = await subject.refresh();
    expect(subject.generation).toBeGreaterThan(generation);
    expect(view).toMatchObject({
      mode: 'security_token',
      profile: 'mysession',
      securityTokenFile: home.path('.oci/sessions/mysession/token'),
      sessionExpiresAt: new Date(NOW + HOUR * 1000).toISOString(),
      fingerprintMatchesKey: true,
    });
    const text = JSON.stringify(view);
    expect(text).not.toContain(token.split('.')[1]);
    expect(text).not.toContain('PRIVATE KEY');
  });
});
