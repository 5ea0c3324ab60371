import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  createLogger,
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  helpText,
  loadServerConfig,
  oauthSettingsFrom,
  runServerCli,
  serveHttp,
} from '../src/index.js';

// --oauth-issuer and its companions: read from flags and CLOUDMCP_OAUTH_*, checked at start-up with one line
// naming the flag (https only, except loopback; the audience required and a URL; scope names that are
// scope-tokens), listed in --help, and enough to serve beyond loopback.

const spec = {
  bin: 'demo-mcp',
  version: '1.0.0',
  description: 'demo',
  optionsTitle: 'Demo options',
  options: [],
  configSchema: z.object({}),
  server: { name: 'demo', version: '1.0.0', tools: [] },
  createDeps: () => ({}),
};

const ISSUER = 'https://login.example.com/realms/ops';
const AUDIENCE = 'https://mcp.example.com/mcp';

describe('OAuth options', () => {
  it('come from flags or CLOUDMCP_OAUTH_*, with the default scopes, a 60 s skew and a 30 s cooldown', () => {
    const env = { CLOUDMCP_OAUTH_ISSUER: ISSUER, CLOUDMCP_OAUTH_AUDIENCE: AUDIENCE };
    const { config } = loadServerConfig(spec, ['--http', '8080'], env);
    expect(oauthSettingsFrom(config!)).toEqual({
      issuer: ISSUER,
      audience: AUDIENCE,
      readScope: 'mcp:read',
      writeScope: 'mcp:write',
      clockSkewSeconds: 60,
      cooldownMs: 30_000,
    });
    const flags = loadServerConfig(
      spec,
      ['--oauth-issuer', ISSUER, '--oauth-audience', AUDIENCE, '--oauth-scope-read', 'api://x/read'],
      { CLOUDMCP_OAUTH_SCOPE_WRITE: 'api://x/write', CLOUDMCP_OAUTH_JWKS_URL: `${ISSUER}/certs` },
    ).config!;
    expect(oauthSettingsFrom(flags)).toMatchObject({
      readScope: 'api://x/read',
      writeScope: 'api://x/write',
      jwksUrl: `${ISSUER}/certs`,
    });
    expect(oauthSettingsFrom(loadServerConfig(spec, [], {}).config!)).toBeUndefined();
  });

  it('refuses what cannot be right, in one line naming the option', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [
        { oauthIssuer: 'http://login.example.com' },
        '--oauth-issuer (CLOUDMCP_OAUTH_ISSUER): use https (http only on loopback)',
      ],
      [{ oauthIssuer: 'not a url' }, '--oauth-issuer (CLOUDMCP_OAUTH_ISSUER): not a URL'],
      [{ oauthIssuer: `${ISSUER}?x=1` }, '--oauth-issuer (CLOUDMCP_OAUTH_ISSUER): no query or fragment'],
      [
        { oauthIssuer: ISSUER },
        "--oauth-issuer needs --oauth-audience (CLOUDMCP_OAUTH_AUDIENCE): this server's URL, e.g. https://mcp.example.com/mcp",
      ],
      [
        { oauthIssuer: ISSUER, oauthAudience: 'api://mcp' },
        '--oauth-audience (CLOUDMCP_OAUTH_AUDIENCE): use https (http only on loopback)',
      ],
      [
        { oauthAudience: AUDIENCE },
        '--oauth-audience and --oauth-jwks-url need --oauth-issuer (CLOUDMCP_OAUTH_ISSUER)',
      ],
      [
        { oauthIssuer: ISSUER, oauthAudience: AUDIENCE, oauthJwksUrl: 'http://keys.example.com' },
        '--oauth-jwks-url: use https (http only on loopback)',
      ],
      [
        { oauthIssuer: ISSUER, oauthAudience: AUDIENCE, oauthScopeRead: 'two words' },
        '--oauth-scope-read: not an OAuth scope name',
      ],
      [
        { oauthIssuer: ISSUER, oauthAudience: AUDIENCE, oauthScopeRead: 'mcp', oauthScopeWrite: 'mcp' },
        '--oauth-scope-read and --oauth-scope-write must differ',
      ],
    ];
    for (const [values, message] of cases) expect(() => oauthSettingsFrom(values)).toThrow(message);
    expect(
      oauthSettingsFrom({ oauthIssuer: 'http://127.0.0.1:9000', oauthAudience: 'http://localhost:8080/mcp' }),
    ).toMatchObject({ issuer: 'http://127.0.0.1:9000' });
  });

  it('--oauth-issuer protects --http: without it, exit 2 and one line', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runServerCli(spec, ['--oauth-issuer', ISSUER, '--oauth-audience', AUDIENCE], {});
      expect(stderr.mock.calls).toEqual([
        ['demo-mcp: --oauth-issuer (CLOUDMCP_OAUTH_ISSUER) protects the HTTP transport: add --http\n'],
      ]);
      expect(process.exitCode).toBe(2);
    } finally {
      stderr.mockRestore();
      process.exitCode = 0;
    }
  });

  it('are listed in --help with their variables and defaults', () => {
    const help = helpText({ ...spec, tools: [] });
    expect(help).toMatch(/--oauth-issuer URL\s+.* \[env CLOUDMCP_OAUTH_ISSUER\]/);
    expect(help).toMatch(/--oauth-audience URL\s+.* \[env CLOUDMCP_OAUTH_AUDIENCE\]/);
    expect(help).toMatch(/--oauth-scope-read NAME\s+.* \[default mcp:read; env CLOUDMCP_OAUTH_SCOPE_READ\]/);
    expect(help).toMatch(
      /--oauth-scope-write NAME\s+.* \[default mcp:write; env CLOUDMCP_OAUTH_SCOPE_WRITE\]/,
    );
    expect(help).toMatch(/--oauth-jwks-url URL\s+.* \[env CLOUDMCP_OAUTH_JWKS_URL\]/);
  });

  it('OAuth alone is enough to listen beyond loopback', async () => {
    const logger = createLogger({ name: 't', level: 'error', write: () => {} });
    const handle = await serveHttp({
      listen: { host: '0.0.0.0', port: 0 },
      oauth: oauthSettingsFrom({ oauthIssuer: ISSUER, oauthAudience: AUDIENCE })!,
      logger,
      factory: createToolServer(
        { name: 'demo', version: '1', tools: [] },
        { deps: {}, policy: DEFAULT_POLICY, render: DEFAULT_RENDER, logger },
      ),
    });
    try {
      const port = new URL(handle.url).port;
      const res = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
      );
    } finally {
      await handle.close();
    }
  });
});
