import { createPrivateKey, verify } from 'node:crypto';
import { ToolError } from '@cloudmcp/toolkit';
import { afterEach, describe, expect, it } from 'vitest';
import { OciAuth, type SigningKey } from '../../src/oci/auth.js';
import { ClusterTokens, presignClusterToken, type TokenSigner } from '../../src/oci/cluster-token.js';
import { CLUSTER, CLUSTER_2, makeKey, sessionToken, TENANCY, TempHome } from './helpers.js';

const key = makeKey();
const privateKey = createPrivateKey(key.pem);
const NOW = Date.parse('2025-06-01T12:00:00Z');
const KEY_ID = `${TENANCY}/ocid1.user.oc1..aaaa/${key.fingerprint}`;

/** Python's urllib.parse.quote_plus, which `oci ce cluster generate-token` uses (via requests). */
function quotePlus(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      if (/[A-Za-z0-9_.~-]/.test(char)) return char;
      return byte === 0x20 ? '+' : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Takes a token apart the way an OKE API server does. */
function decode(token: string) {
  expect(token).toMatch(/^[A-Za-z0-9_-]+=*$/);
  const url = Buffer.from(token, 'base64url').toString('utf8');
  const [base, rawQuery = ''] = url.split('?');
  const query = new URLSearchParams(rawQuery);
  const authorization = query.get('authorization') ?? '';
  const params = Object.fromEntries(
    [...authorization.replace(/^Signature /, '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
  return { url, base, rawQuery, date: query.get('date') ?? '', authorization, params };
}

describe('presignClusterToken', () => {
  it('is the presigned GET that `oci ce cluster generate-token` makes', () => {
    const token = presignClusterToken({
      region: 'us-phoenix-1',
      clusterId: CLUSTER,
      keyId: KEY_ID,
      privateKey,
      date: new Date(NOW),
    });
    const { base, rawQuery, date, authorization, params } = decode(token);
    expect(base).toBe(`https://containerengine.us-phoenix-1.oraclecloud.com/cluster_request/${CLUSTER}`);
    expect(date).toBe('Sun, 01 Jun 2025 12:00:00 GMT');
    expect(authorization).toMatch(
      /^Signature version="1",headers="date \(request-target\) host",keyId="[^"]+",algorithm="rsa-sha256",signature="[A-Za-z0-9+/]+=*"$/,
    );
    expect(params).toMatchObject({
      version: '1',
      headers: 'date (request-target) host',
      keyId: KEY_ID,
      algorithm: 'rsa-sha256',
    });
    // authorization then date, each form-encoded exactly as Python's urlencode does it.
    expect(rawQuery).toBe(`authorization=${quotePlus(authorization)}&date=${quotePlus(date)}`);

    const signingString = [
      `date: ${date}`,
      `(request-target): get /cluster_request/${CLUSTER}`,
      'host: containerengine.us-phoenix-1.oraclecloud.com',
    ].join('\n');
    const signature = Buffer.from(params['signature'] ?? '', 'base64');
    expect(verify('sha256', Buffer.from(signingString), key.publicKey, signature)).toBe(true);
    expect(
      verify('sha256', Buffer.from(signingString.replace('date:', 'x-date:')), key.publicKey, signature),
    ).toBe(false);
  });

  it('base64url-encodes with padding, as Python urlsafe_b64encode', () => {
    const lengths = new Set<number>();
    // The signature's encoded length varies, so try ids until every padding length has been seen.
    for (let i = 0; i < 30 && lengths.size < 3; i++) {
      const clusterId = `${CLUSTER}${'x'.repeat(i)}`;
      const token = presignClusterToken({
        region: 'us-phoenix-1',
        clusterId,
        keyId: KEY_ID,
        privateKey,
        date: new Date(NOW),
      });
      const url = Buffer.from(token, 'base64url').toString('utf8');
      expect(token).toBe(Buffer.from(url).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'));
      lengths.add(url.length % 3);
    }
    expect(lengths.size).toBe(3);
  });
});

/** A TokenSigner that counts and can be told to fail or to expire. */
class FakeSigner implements TokenSigner {
  generation = 0;
  calls = 0;
  failNext = false;
  expiresAt: number | undefined;

  async signingKey(): Promise<SigningKey> {
    this.calls++;
    if (this.failNext) {
      this.failNext = false;
      throw new ToolError('The OCI session token of profile [p] expired.');
    }
    return this.expiresAt === undefined
      ? { keyId: KEY_ID, privateKey }
      : { keyId: KEY_ID, privateKey, expiresAt: this.expiresAt };
  }

  async region(): Promise<string> {
    return 'us-phoenix-1';
  }
}

function setup() {
  const signer = new FakeSigner();
  const clock = { now: NOW };
  const tokens = new ClusterTokens({ auth: signer, now: () => clock.now });
  return { signer, clock, tokens };
}

describe('ClusterTokens', () => {
  it('presigns once per cluster per lifetime, and the token lives 4 minutes', async () => {
    const { tokens } = setup();
    const first = await tokens.token(CLUSTER);
    expect(first.expiresAt).toBe(NOW + 4 * 60_000);
    for (let i = 0; i < 5; i++) expect(await tokens.token(CLUSTER)).toEqual(first);
    expect(tokens.presigns).toBe(1);
    const other = await tokens.token(CLUSTER_2);
    expect(decode(other.token).base).toContain(CLUSTER_2);
    expect(decode(first.token).base).toContain(CLUSTER);
    expect(tokens.presigns).toBe(2);
  });

  it('shares one presign between concurrent callers', async () => {
    const { tokens, signer } = setup();
    const all = await Promise.all(Array.from({ length: 10 }, () => tokens.token(CLUSTER)));
    expect(new Set(all.map((t) => t.token)).size).toBe(1);
    expect(tokens.presigns).toBe(1);
    expect(signer.calls).toBe(1);
  });

  it('renews 30 seconds before expiry', async () => {
    const { tokens, clock } = setup();
    const first = await tokens.token(CLUSTER);
    clock.now = NOW + 3.5 * 60_000 - 1;
    expect((await tokens.token(CLUSTER)).token).toBe(first.token);
    clock.now = NOW + 3.5 * 60_000;
    const second = await tokens.token(CLUSTER);
    expect(second.token).not.toBe(first.token);
    expect(decode(second.token).date).toBe(new Date(clock.now).toUTCString());
    expect(second.expiresAt).toBe(clock.now + 4 * 60_000);
    expect(tokens.presigns).toBe(2);
  });

  it('does not outlive the session token it was signed with', async () => {
    const { tokens, signer, clock } = setup();
    signer.expiresAt = NOW + 60_000;
    expect((await tokens.token(CLUSTER)).expiresAt).toBe(NOW + 60_000);
    clock.now = NOW + 30_000;
    await tokens.token(CLUSTER);
    expect(tokens.presigns).toBe(2);
  });

  it('presigns again after invalidate() (the API server said 401) and after the identity changed', async () => {
    const { tokens, signer } = setup();
    const source = tokens.source(CLUSTER);
    expect(tokens.source(CLUSTER)).toBe(source);
    await source.token();
    source.invalidate();
    await source.token();
    expect(tokens.presigns).toBe(2);
    signer.generation++;
    await source.token();
    expect(tokens.presigns).toBe(3);
    await tokens.token(CLUSTER_2);
    tokens.invalidate();
    await source.token();
    await tokens.token(CLUSTER_2);
    expect(tokens.presigns).toBe(6);
  });

  it('does not cache a failure', async () => {
    const { tokens, signer } = setup();
    signer.failNext = true;
    await expect(tokens.token(CLUSTER)).rejects.toThrow('expired');
    await expect(tokens.token(CLUSTER)).resolves.toMatchObject({ expiresAt: NOW + 4 * 60_000 });
    expect(tokens.presigns).toBe(1);
  });

  it('lets a caller give up without spoiling the shared token', async () => {
    const { tokens } = setup();
    const controller = new AbortController();
    const waiting = tokens.token(CLUSTER, controller.signal);
    controller.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    await expect(tokens.token(CLUSTER, controller.signal)).rejects.toThrow('client went away');
    await tokens.token(CLUSTER);
    expect(tokens.presigns).toBe(1);
  });

  it('refuses a cluster id that is not an OCID', () => {
    const { tokens } = setup();
    expect(() => tokens.source('ocid1.cluster.oc1.phx.aaaa/../../x')).toThrow(ToolError);
    expect(() => tokens.source('ocid1.cluster.oc1.phx.aaaa?date=x')).toThrow('Invalid input `cluster`');
    return expect(tokens.token('ocid1.cluster.oc1.phx.aaaa#x')).rejects.toThrow('Invalid input `cluster`');
  });
});

describe('ClusterTokens with OciAuth', () => {
  let home: TempHome | undefined;
  afterEach(() => home?.dispose());

  it('signs with the session key as ST$<token>, and presigns again after refresh()', async () => {
    home = new TempHome();
    const token = sessionToken(NOW / 1000 + 3600);
    home.write(
      '.oci/config',
      `[DEFAULT]\nkey_file=~/.oci/session.pem\nregion=eu-frankfurt-1\nsecurity_token_file=~/.oci/token\n`,
    );
    home.write('.oci/session.pem', key.pem);
    home.write('.oci/token', token);
    const auth = new OciAuth({ env: {}, home: home.dir, cwd: home.dir, now: () => NOW });
    const tokens = new ClusterTokens({ auth, now: () => NOW });
    const first = await tokens.token(CLUSTER);
    const { base, params, date } = decode(first.token);
    expect(base).toBe(`https://containerengine.eu-frankfurt-1.oraclecloud.com/cluster_request/${CLUSTER}`);
    expect(params['keyId']).toBe(`ST$${token}`);
    const signingString = `date: ${date}\n(request-target): get /cluster_request/${CLUSTER}\nhost: containerengine.eu-frankfurt-1.oraclecloud.com`;
    expect(
      verify(
        'sha256',
        Buffer.from(signingString),
        key.publicKey,
        Buffer.from(params['signature'] ?? '', 'base64'),
      ),
    ).toBe(true);
    await tokens.token(CLUSTER);
    expect(tokens.presigns).toBe(1);
    await auth.refresh();
    await tokens.token(CLUSTER);
    expect(tokens.presigns).toBe(2);
  });
});
