import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningKey, type OidcIssuer, signJwt } from 'sim-kit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOKEN } from './http-kit.js';
import { AUDIENCE, callTool, type OAuthServer, serveOAuth, settingsFor, startIssuer } from './oauth-kit.js';

// When the resource server talks to the issuer: never at start-up; on the first token, the metadata and the
// keys; again only for a kid it does not know (the issuer rotated), at most once per cooldown however many
// made-up kids arrive; after an outage, once per cooldown. The clock is Date only (faked): the cooldown is
// crossed by moving it, not by waiting.

const COOLDOWN_MS = 30_000;
let issuer: OidcIssuer;
let server: OAuthServer;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
});
afterEach(async () => {
  vi.useRealTimers();
  await server?.handle.close();
  await issuer?.close();
});

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
const claims = { sub: 'alice', aud: AUDIENCE, scope: 'mcp:read' };
const valid = () => issuer.mint(claims);
const status = async (token: string) =>
  (await callTool(server.handle, 'echo_get', { word: 'w' }, { token })).status;

/** A token with our issuer's claims, signed by a key of its own under a made-up kid. */
function madeUpKid(): string {
  const key = generateSigningKey('ES256');
  const now = Math.floor(Date.now() / 1000);
  return signJwt(
    { alg: 'ES256', kid: key.kid, typ: 'at+jwt' },
    { ...claims, iss: issuer.url, iat: now, exp: now + 300 },
    key.privateKey,
  );
}

async function start(options: Parameters<typeof startIssuer>[0] = {}, overrides = {}) {
  issuer = await startIssuer(options);
  server = await serveOAuth(settingsFor(issuer.url, overrides));
}

describe('the issuer keys', () => {
  it('are not fetched at start-up, nor for requests that need no key; the first token fetches them once', async () => {
    await start();
    await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.handle.url));
    expect(await status(TOKEN)).toBe(200);
    expect((await callTool(server.handle, 'echo_get', { word: 'w' })).status).toBe(401);
    expect(await status(issuer.mint({ ...claims, iss: 'https://elsewhere.example' }))).toBe(401);
    expect(await status(signJwt({ alg: 'none' }, { ...claims, iss: issuer.url }))).toBe(401);
    expect(issuer.counts).toEqual({ metadata: 0, jwks: 0, token: 0 });

    expect(await Promise.all([status(valid()), status(valid()), status(valid())])).toEqual([200, 200, 200]);
    expect(issuer.counts).toEqual({ metadata: 1, jwks: 1, token: 0 });
    expect(await status(valid())).toBe(200);
    expect(issuer.counts.jwks).toBe(1);
  });

  it('a flood of made-up kids fetches the keys at most once per cooldown', async () => {
    await start();
    expect(await status(valid())).toBe(200);
    const flood = () => Promise.all(Array.from({ length: 25 }, () => status(madeUpKid())));
    expect(new Set(await flood())).toEqual(new Set([401]));
    expect(issuer.counts.jwks).toBe(1);
    advance(COOLDOWN_MS + 1000);
    expect(new Set(await flood())).toEqual(new Set([401]));
    expect(issuer.counts.jwks).toBe(2);
    expect(new Set(await flood())).toEqual(new Set([401]));
    expect(issuer.counts.jwks).toBe(2);
  });

  it('picks up a rotated key (a new kid) once the cooldown has passed; a retired key stops working', async () => {
    await start();
    expect(await status(valid())).toBe(200);
    const old = issuer.current;
    issuer.rotate();
    advance(COOLDOWN_MS + 1000);
    expect(await status(valid())).toBe(200);
    expect(issuer.counts.jwks).toBe(2);
    // the previous key is still published: its tokens still pass
    const now = Math.floor(Date.now() / 1000);
    const byOld = () =>
      signJwt(
        { alg: old.alg, kid: old.kid, typ: 'at+jwt' },
        { ...claims, iss: issuer.url, iat: now, exp: now + 300 },
        old.privateKey,
      );
    expect(await status(byOld())).toBe(200);
    // retired, and the keys in hand grown old (ten minutes): fetched again, and the old key is gone
    issuer.rotate({ retirePrevious: true });
    advance(10 * 60_000 + 1000);
    expect(await status(valid())).toBe(200);
    expect(issuer.counts.jwks).toBe(3);
    expect(await status(byOld())).toBe(401);
  });

  it('an issuer outage costs one fetch per cooldown: 503 with Retry-After, then served again', async () => {
    await start();
    issuer.down = true;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        callTool(server.handle, 'echo_get', { word: 'w' }, { token: valid() }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(503));
    expect(answers[0]!.headers.get('retry-after')).toBe('30');
    expect(answers[0]!.headers.get('www-authenticate')).toBeNull();
    expect(await status(valid())).toBe(503);
    expect(issuer.counts).toEqual({ metadata: 1, jwks: 0, token: 0 });
    issuer.down = false;
    expect(await status(valid())).toBe(503);
    expect(issuer.counts).toEqual({ metadata: 1, jwks: 0, token: 0 });
    advance(COOLDOWN_MS + 1000);
    expect(await status(valid())).toBe(200);
    expect(issuer.counts).toEqual({ metadata: 2, jwks: 1, token: 0 });
    expect(server.lines.some((line) => line.includes('cannot fetch the OAuth issuer keys'))).toBe(true);
  });

  it('keys in hand keep serving through an outage once they have grown old', async () => {
    await start();
    expect(await status(valid())).toBe(200);
    issuer.down = true;
    advance(10 * 60_000 + 1000);
    expect(await status(valid())).toBe(200);
    expect(await status(valid())).toBe(200);
    expect(issuer.counts.jwks).toBe(2);
    expect(server.lines.filter((line) => line.includes('cannot fetch the OAuth issuer keys'))).toHaveLength(
      1,
    );
    issuer.down = false;
    advance(COOLDOWN_MS + 1000);
    expect(await status(valid())).toBe(200);
    expect(issuer.counts.jwks).toBe(3);
  });
});

describe('discovery', () => {
  it('falls back to OpenID Connect discovery for an issuer with a path (Keycloak-style)', async () => {
    await start({ path: '/realms/test', discovery: 'oidc' });
    expect(await status(valid())).toBe(200);
    expect(issuer.counts).toMatchObject({ metadata: 1, jwks: 1 });
  });

  it('uses --oauth-jwks-url as given, without metadata', async () => {
    issuer = await startIssuer({ discovery: 'oidc' });
    server = await serveOAuth(settingsFor(issuer.url, { jwksUrl: issuer.jwksUrl }));
    expect(await status(valid())).toBe(200);
    expect(issuer.counts).toMatchObject({ metadata: 0, jwks: 1 });
  });

  it('refuses metadata that names another issuer (RFC 8414 §3.3)', async () => {
    issuer = await startIssuer();
    let liar: Server | undefined;
    try {
      liar = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: issuer.url, jwks_uri: issuer.jwksUrl }));
      });
      await new Promise<void>((resolve) => liar!.listen(0, '127.0.0.1', resolve));
      const liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
      server = await serveOAuth(settingsFor(liarUrl));
      const token = signJwt(
        { alg: issuer.current.alg, kid: issuer.current.kid, typ: 'at+jwt' },
        {
          ...claims,
          iss: liarUrl,
          iat: Math.floor(Date.now() / 1000),
          exp: Math.floor(Date.now() / 1000) + 300,
        },
        issuer.current.privateKey,
      );
      expect(await status(token)).toBe(503);
      expect(issuer.counts.jwks).toBe(0);
      const warning = server.lines.find((line) => line.includes('cannot fetch the OAuth issuer keys'))!;
      expect(JSON.parse(warning).reason).toContain(`names issuer "${issuer.url}", not ${liarUrl}`);
    } finally {
      await new Promise((resolve) => liar?.close(resolve));
    }
  });
});
