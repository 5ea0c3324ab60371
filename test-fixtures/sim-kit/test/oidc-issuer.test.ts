import { constants, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OidcIssuer, SIGNING_ALGS, startOidcIssuer } from '../src/index.js';

// The local issuer behaves as an authorization server does for the client_credentials grant: discovery
// documents where RFC 8414 and OpenID Connect put them, a JWKS whose keys verify its tokens, RFC 9068
// tokens for the RFC 8707 resource asked for, and the token endpoint's errors.

let issuer: OidcIssuer;

beforeAll(async () => {
  issuer = await startOidcIssuer({
    path: '/realms/test',
    clients: {
      reader: { secret: 'reader-secret', scopes: ['mcp:read'] },
      writer: {
        secret: 'writer-secret',
        scopes: ['mcp:read', 'mcp:write'],
        subject: 'alice',
        groups: ['ops'],
      },
    },
  });
});
afterAll(() => issuer?.close());

const origin = () => new URL(issuer.url).origin;

function decode(token: string) {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

/** Verifies a token with the key of its kid in a published JWKS, as its `alg` says. */
async function verifiedBy(token: string, jwksUrl = issuer.jwksUrl): Promise<boolean> {
  const { keys } = (await (await fetch(jwksUrl)).json()) as { keys: Array<{ kid: string }> };
  const { header } = decode(token);
  const jwk = keys.find((key) => key.kid === header.kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const [h, p, s] = token.split('.');
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s!, 'base64url');
  switch (header.alg) {
    case 'PS256':
      return verify(
        'sha256',
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        signature,
      );
    case 'ES256':
      return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'EdDSA':
      return verify(null, data, key, signature);
    default:
      return verify('sha256', data, key, signature);
  }
}

function tokenRequest(body: Record<string, string | string[]>, basic?: string) {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body))
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  return fetch(issuer.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}),
    },
    body: form,
  });
}

describe('local OIDC issuer', () => {
  it('publishes RFC 8414 and OpenID Connect metadata for a path issuer', async () => {
    for (const path of [
      '/.well-known/oauth-authorization-server/realms/test',
      '/realms/test/.well-known/openid-configuration',
    ]) {
      const doc = (await (await fetch(`${origin()}${path}`)).json()) as Record<string, unknown>;
      expect(doc).toMatchObject({
        issuer: issuer.url,
        token_endpoint: issuer.tokenUrl,
        jwks_uri: issuer.jwksUrl,
        grant_types_supported: ['client_credentials'],
        scopes_supported: ['mcp:read', 'mcp:write'],
      });
    }
    expect((await fetch(`${origin()}/.well-known/oauth-authorization-server`)).status).toBe(404);
  });

  it('issues RFC 9068 tokens for the resource asked for, verifiable with the JWKS', async () => {
    const res = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'mcp:write', resource: 'https://mcp.example.com/mcp' },
      'writer:writer-secret',
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; scope: string };
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'mcp:write' });
    const { header, payload } = decode(body.access_token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: issuer.current.kid });
    expect(payload).toMatchObject({
      iss: issuer.url,
      sub: 'alice',
      aud: 'https://mcp.example.com/mcp',
      client_id: 'writer',
      scope: 'mcp:write',
      groups: ['ops'],
    });
    expect(payload.exp - payload.iat).toBe(300);
    expect(await verifiedBy(body.access_token)).toBe(true);
  });

  it("grants all of a client's scopes when none are asked for, and takes client_secret_post", async () => {
    const res = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'reader',
      client_secret: 'reader-secret',
      resource: 'https://mcp.example.com/mcp',
    });
    const { payload } = decode(((await res.json()) as { access_token: string }).access_token);
    expect(payload).toMatchObject({ sub: 'reader', scope: 'mcp:read' });
  });

  it('with unallowedScopes: drop, grants what the client may have and says so', async () => {
    const lenient = await startOidcIssuer({
      unallowedScopes: 'drop',
      clients: { reader: { secret: 'reader-secret', scopes: ['mcp:read'] } },
    });
    try {
      const ask = (scope: string) =>
        fetch(lenient.tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: 'reader',
            client_secret: 'reader-secret',
            scope,
            resource: 'https://mcp.example.com/mcp',
          }),
        });
      const narrowed = (await (await ask('mcp:read mcp:write')).json()) as {
        access_token: string;
        scope: string;
      };
      expect(narrowed.scope).toBe('mcp:read');
      expect(decode(narrowed.access_token).payload.scope).toBe('mcp:read');
      expect(((await (await ask('mcp:write')).json()) as { error: string }).error).toBe('invalid_scope');
    } finally {
      await lenient.close();
    }
  });

  it('refuses as a real token endpoint does', async () => {
    const resource = 'https://mcp.example.com/mcp';
    const cases: Array<[Record<string, string | string[]>, string | undefined, number, string]> = [
      [{ grant_type: 'client_credentials', resource }, 'reader:wrong', 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', resource }, undefined, 401, 'invalid_client'],
      [{ grant_type: 'password', resource }, 'reader:reader-secret', 400, 'unsupported_grant_type'],
      [
        { grant_type: 'client_credentials', scope: 'mcp:write', resource },
        'reader:reader-secret',
        400,
        'invalid_scope',
      ],
      [{ grant_type: 'client_credentials' }, 'reader:reader-secret', 400, 'invalid_target'],
      [
        { grant_type: 'client_credentials', resource: 'not a uri' },
        'reader:reader-secret',
        400,
        'invalid_target',
      ],
      [
        { grant_type: 'client_credentials', resource: [resource, resource] },
        'reader:reader-secret',
        400,
        'invalid_target',
      ],
    ];
    for (const [body, basic, status, error] of cases) {
      const res = await tokenRequest(body, basic);
      expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([status, error]);
    }
  });

  it('rotates keys: the new kid signs, the previous stays published until retired; it counts requests', async () => {
    const before = { ...issuer.counts };
    const old = issuer.current.kid;
    const next = issuer.rotate();
    expect(next.kid).not.toBe(old);
    const token = issuer.mint({ sub: 's', aud: 'x' });
    expect(decode(token).header.kid).toBe(next.kid);
    expect(await verifiedBy(token)).toBe(true);
    const kids = async () =>
      ((await (await fetch(issuer.jwksUrl)).json()) as { keys: Array<{ kid: string }> }).keys.map(
        (k) => k.kid,
      );
    expect(await kids()).toEqual([old, next.kid]);
    issuer.rotate({ retirePrevious: true });
    expect(await kids()).toEqual([issuer.current.kid]);
    expect(issuer.counts.jwks - before.jwks).toBe(3);
  });

  it('answers 503 everywhere while down', async () => {
    issuer.down = true;
    try {
      expect((await fetch(issuer.jwksUrl)).status).toBe(503);
    } finally {
      issuer.down = false;
    }
    expect((await fetch(issuer.jwksUrl)).status).toBe(200);
  });

  it.each(SIGNING_ALGS)('signs with %s', async (alg) => {
    const other = await startOidcIssuer({ alg });
    try {
      const token = other.mint({ sub: 's' });
      expect(decode(token).header.alg).toBe(alg);
      expect(await verifiedBy(token, other.jwksUrl)).toBe(true);
      const { keys } = (await (await fetch(other.jwksUrl)).json()) as { keys: Array<{ alg: string }> };
      expect(keys[0]!.alg).toBe(alg);
    } finally {
      await other.close();
    }
  });
});
