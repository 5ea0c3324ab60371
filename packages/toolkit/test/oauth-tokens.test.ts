import { generateSigningKey, type OidcIssuer, signJwt } from 'sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN } from './http-kit.js';
import {
  AUDIENCE,
  callTool,
  METADATA_URL,
  type OAuthServer,
  serveOAuth,
  settingsFor,
  startIssuer,
} from './oauth-kit.js';

// The resource server refuses every token it must (MCP authorization spec, RFC 9068 §4, RFC 6750 §3,
// RFC 9728 §5.1), over real HTTP against the local issuer: expired, issued for another resource, by
// another issuer, signed by another key, `alg: none`, HS256 keyed with the issuer's public key, and no
// token at all. Each 401 names the protected resource metadata; the exact reason goes to the metric and
// the log line, never to the client; no token ever reaches a log line.

let issuer: OidcIssuer;
let other: OidcIssuer;
let server: OAuthServer;

beforeAll(async () => {
  [issuer, other] = await Promise.all([startIssuer(), startIssuer()]);
  server = await serveOAuth(settingsFor(issuer.url));
});
afterAll(async () => {
  await server?.handle.close();
  await Promise.all([issuer?.close(), other?.close()]);
});

const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'alice',
  aud: AUDIENCE,
  client_id: 'writer',
  scope: 'mcp:read mcp:write',
  ...extra,
});

const INVALID = `Bearer resource_metadata="${METADATA_URL}", error="invalid_token", error_description="The access token is not valid for this server"`;
const EXPIRED = `Bearer resource_metadata="${METADATA_URL}", error="invalid_token", error_description="The access token expired"`;

const whoami = (token: string | undefined) =>
  callTool(server.handle, 'whoami_get', {}, token === undefined ? {} : { token });

/** Every token a test sent, to look for in the logs. */
const sent: string[] = [];

function forged(): Record<string, string> {
  const kid = issuer.current.kid;
  const publicPem = issuer.current.publicKey.export({ type: 'spki', format: 'pem' });
  const foreign = generateSigningKey('RS256');
  const [h, p] = issuer.mint(claims()).split('.');
  return {
    expired: issuer.mint(claims(), { expiresIn: -120 }),
    wrong_audience: issuer.mint(claims({ aud: 'https://other.example.com/mcp' })),
    'wrong_issuer (another issuer)': other.mint(claims()),
    'wrong_issuer (claimed)': issuer.mint(claims({ iss: 'https://login.example.com' })),
    'bad_signature (another key, our kid)': signJwt(
      { alg: 'RS256', kid, typ: 'at+jwt' },
      { ...claims(), iss: issuer.url, exp: Math.floor(Date.now() / 1000) + 300 },
      foreign.privateKey,
    ),
    'bad_signature (payload swapped)': `${h}.${Buffer.from(JSON.stringify({ ...claims({ sub: 'root' }), iss: issuer.url, exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url')}.${issuer.mint(claims()).split('.')[2]}`,
    'bad_algorithm (none)': signJwt(
      { alg: 'none', typ: 'at+jwt' },
      { ...claims(), iss: issuer.url, exp: Math.floor(Date.now() / 1000) + 300 },
    ),
    'bad_algorithm (HS256 keyed with the public key)': signJwt(
      { alg: 'HS256', kid, typ: 'at+jwt' },
      { ...claims(), iss: issuer.url, exp: Math.floor(Date.now() / 1000) + 300 },
      Buffer.from(publicPem),
    ),
    missing_claim: issuer.mint(claims({ sub: undefined })),
    'not_yet_valid (nbf)': issuer.mint(claims({ nbf: Math.floor(Date.now() / 1000) + 600 })),
    'not_yet_valid (iat)': issuer.mint(claims({ iat: Math.floor(Date.now() / 1000) + 600 })),
    wrong_type: issuer.mint(claims(), { header: { typ: 'dpop+jwt' } }),
    'wrong_token (not a JWT)': `${p}.not-a-jwt`,
  };
}

describe('OAuth access tokens: what is refused, and how', () => {
  it('no token: 401 naming the metadata, and no error code (RFC 6750 §3.1)', async () => {
    const answer = await whoami(undefined);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${METADATA_URL}"`);
    expect(answer.error?.code).toBe(-32001);
  });

  it('refuses each bad token with 401 invalid_token, saying no more than "expired" or "not valid"', async () => {
    for (const [name, token] of Object.entries(forged())) {
      sent.push(token);
      const answer = await whoami(token);
      expect(answer.status, name).toBe(401);
      expect(answer.headers.get('www-authenticate'), name).toBe(name === 'expired' ? EXPIRED : INVALID);
      expect(answer.result, name).toBeUndefined();
    }
  });

  it('counts each refusal by its reason, and logs the reason on the request line', async () => {
    const metrics = await fetch(server.handle.url.replace('/mcp', '/metrics'), {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const text = await metrics.text();
    const count = (reason: string) =>
      Number(
        new RegExp(`^cloudmcp_auth_failures_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text)?.[1],
      );
    expect({
      missing_token: count('missing_token'),
      expired: count('expired'),
      wrong_audience: count('wrong_audience'),
      wrong_issuer: count('wrong_issuer'),
      bad_signature: count('bad_signature'),
      bad_algorithm: count('bad_algorithm'),
      missing_claim: count('missing_claim'),
      not_yet_valid: count('not_yet_valid'),
      wrong_type: count('wrong_type'),
      wrong_token: count('wrong_token'),
    }).toEqual({
      missing_token: 1,
      expired: 1,
      wrong_audience: 1,
      wrong_issuer: 2,
      bad_signature: 2,
      bad_algorithm: 2,
      missing_claim: 1,
      not_yet_valid: 2,
      wrong_type: 1,
      wrong_token: 1,
    });
    const refused = server.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['msg'] === 'HTTP request' && line['status'] === 401)
      .map((line) => line['auth_failure']);
    expect(refused).toContain('bad_algorithm');
    expect(refused).toContain('expired');
  });

  it('accepts a valid token within the clock skew, and the caller reaches the tool: who, scopes, client', async () => {
    const token = issuer.mint(claims({ groups: ['ops', 'dev'] }), { expiresIn: -30 });
    sent.push(token);
    const answer = await whoami(token);
    expect(answer.status).toBe(200);
    expect(answer.result?.structuredContent).toEqual({
      method: 'oauth',
      subject: 'alice',
      scopes: ['mcp:read', 'mcp:write'],
      clientId: 'writer',
      groups: ['ops', 'dev'],
    });
  });

  it('reads scp (Entra ID, Okta) and azp as well as scope and client_id; typ JWT or none is fine', async () => {
    for (const [extra, header] of [
      [{ scope: undefined, scp: ['mcp.x', 'mcp:read'], client_id: undefined, azp: 'spa' }, { typ: 'JWT' }],
      [{ scope: undefined, scp: 'mcp:read' }, { typ: undefined }],
    ] as const) {
      const answer = await whoami(issuer.mint(claims(extra), { header }));
      expect(answer.result?.structuredContent).toMatchObject({
        method: 'oauth',
        scopes: expect.arrayContaining(['mcp:read']),
        missingWriteScope: 'mcp:write',
      });
    }
  });

  it('the static token still works beside OAuth: the operator, with the full policy', async () => {
    const answer = await whoami(TOKEN);
    expect(answer.result?.structuredContent).toEqual({ method: 'bearer-token', scopes: [] });
  });

  it('the subject and a non-secret caller id reach every log line of the request; no token ever does', async () => {
    const token = issuer.mint(claims());
    sent.push(token);
    const answer = await whoami(token);
    const requestId = answer.headers.get('x-request-id');
    const mine = server.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['request_id'] === requestId);
    expect(mine.map((line) => line['msg'])).toEqual(['looked at the caller', 'HTTP request']);
    for (const line of mine) expect(line).toMatchObject({ subject: 'alice', caller: expect.any(String) });
    expect(sent.length).toBeGreaterThan(10);
    const all = server.lines.join('\n');
    for (const token of sent) {
      for (const part of token.split('.').filter((p) => p.length > 20)) expect(all).not.toContain(part);
    }
    expect(all).not.toContain(TOKEN);
  });
});
