import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client,
  ClientCredentialsProvider,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import type { CloudStackSim } from 'cloudstack-sim';
import { type HttpServer, startHttpServer } from 'mcp-test-kit';
import { type OidcIssuer, startOidcIssuer } from 'sim-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, commandsSent, ERAS, type Era, rows, withSim } from './harness.js';

// cloudstack-mcp as an OAuth-protected resource server, end to end: the built bin with
// CLOUDMCP_OAUTH_ISSUER/AUDIENCE, the local issuer of sim-kit, and the SDK client's own OAuth support
// (ClientCredentialsProvider: discovery from the 401's resource_metadata, the issuer's metadata, a
// client_credentials token for the RFC 8707 resource, step-up on a 403 insufficient_scope). A client
// granted only the read scope lists and runs the reading tools and cannot deploy; one granted the write
// scope deploys. Nothing is fetched from the issuer before the first token, and no token reaches the logs.

const SECRETS = { reader: 'reader-secret-0123456789', operator: 'operator-secret-0123456789' };

let sim: CloudStackSim;
let issuer: OidcIssuer;
let server: HttpServer;
let url: string;
const tokensSeen: string[] = [];

/** A port free right now: the audience must name the server's URL before the server starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  [sim, issuer] = await Promise.all([
    withSim(),
    startOidcIssuer({
      // as Keycloak does: scopes a client is not assigned are left out of its token
      unallowedScopes: 'drop',
      clients: {
        reader: { secret: SECRETS.reader, scopes: ['mcp:read'] },
        operator: { secret: SECRETS.operator, scopes: ['mcp:read', 'mcp:write'], subject: 'ops-bot' },
      },
    }),
  ]);
  const port = await freePort();
  url = `http://127.0.0.1:${port}/mcp`;
  const { admin } = sim.credentials;
  server = await startHttpServer(
    CLI,
    {
      XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cs-oauth-')),
      CLOUDSTACK_API_URL: sim.url,
      CLOUDSTACK_API_KEY: admin.apiKey,
      CLOUDSTACK_SECRET_KEY: admin.secretKey,
      CLOUDSTACK_JOB_POLL_MS: '20',
      CLOUDMCP_OAUTH_ISSUER: issuer.url,
      CLOUDMCP_OAUTH_AUDIENCE: url,
      CLOUDMCP_LOG_FORMAT: 'json',
    },
    ['--http', `127.0.0.1:${port}`],
  );
  // (the kit reads the URL off a text line; with JSON logs it is the one we chose)
  expect(server.stderr()).toContain(`serving MCP on ${url}`);
});
afterAll(async () => {
  await server?.close();
  await Promise.all([sim?.close(), issuer?.close()]);
});

/** The SDK client with the SDK's client_credentials provider, on the era asked for. */
async function connect(client: keyof typeof SECRETS, era: Era) {
  const provider = new ClientCredentialsProvider({
    clientId: client,
    clientSecret: SECRETS[client],
    expectedIssuer: issuer.url,
  });
  const sdk = new Client(
    { name: `e2e-${client}`, version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await sdk.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  expect(sdk.getProtocolEra()).toBe(era);
  return {
    sdk,
    close: async () => {
      const token = provider.tokens()?.access_token;
      if (token) tokensSeen.push(token);
      await sdk.close();
    },
  };
}

const first = async (sdk: Client, tool: string, args = {}) =>
  rows(await sdk.callTool({ name: tool, arguments: args }))[0]!.id;

describe('cloudstack-mcp with OAuth (--oauth-issuer)', () => {
  it('fetches nothing from the issuer at start-up; publishes its protected resource metadata', async () => {
    expect(issuer.counts).toEqual({ metadata: 0, jwks: 0, token: 0 });
    const metadata = await fetch(url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp'));
    expect(await metadata.json()).toEqual({
      resource: url,
      authorization_servers: [issuer.url],
      scopes_supported: ['mcp:read', 'mcp:write'],
      bearer_methods_supported: ['header'],
    });
    const bare = await fetch(url, { method: 'POST', body: '{}' });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp')}"`,
    );
    expect(issuer.counts).toEqual({ metadata: 0, jwks: 0, token: 0 });
  });

  describe.each(ERAS)('%s era', (era) => {
    it('a client granted the read scope lists and runs the reading tools, and cannot deploy', async () => {
      const { sdk, close } = await connect('reader', era);
      const before = commandsSent(sim, 'deployVirtualMachine');
      try {
        const names = (await sdk.listTools()).tools.map((t) => t.name);
        expect(names).toContain('zone_list');
        expect(names).not.toContain('vm_deploy');
        expect(names).not.toContain('vm_destroy');
        const zone = await first(sdk, 'zone_list');
        const deploying = sdk.callTool({
          name: 'vm_deploy',
          arguments: {
            zone,
            template: await first(sdk, 'template_list', { zone }),
            service_offering: await first(sdk, 'service_offering_list'),
          },
        });
        // the server answers 403 insufficient_scope (mcp:write); the client steps up, the issuer does not
        // grant the scope, and the client gives up
        await expect(deploying).rejects.toThrow(/403 insufficient_scope/);
        expect(commandsSent(sim, 'deployVirtualMachine')).toBe(before);
      } finally {
        await close();
      }
    });

    it('a client granted the write scope deploys', async () => {
      const { sdk, close } = await connect('operator', era);
      try {
        expect((await sdk.listTools()).tools.map((t) => t.name)).toContain('vm_deploy');
        const zone = await first(sdk, 'zone_list');
        const before = commandsSent(sim, 'deployVirtualMachine');
        const deployed = await sdk.callTool({
          name: 'vm_deploy',
          arguments: {
            zone,
            template: await first(sdk, 'template_list', { zone }),
            service_offering: await first(sdk, 'service_offering_list'),
          },
        });
        expect(deployed.isError).toBeFalsy();
        expect(commandsSent(sim, 'deployVirtualMachine')).toBe(before + 1);
      } finally {
        await close();
      }
    });
  });

  it('fetched the issuer keys once; logged the subject, never a token', () => {
    expect(issuer.counts.jwks).toBe(1);
    expect(issuer.counts.metadata).toBeGreaterThanOrEqual(1);
    const lines = server
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line['subject'] === 'ops-bot' && line['msg'] === 'HTTP request')).toBe(true);
    expect(lines.some((line) => line['subject'] === 'reader')).toBe(true);
    expect(tokensSeen.length).toBe(4);
    for (const token of tokensSeen) expect(server.stderr()).not.toContain(token.split('.')[2]!);
  });
});
