import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import type { OidcIssuer } from 'sim-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { echo, serveTools } from './http-kit.js';
import {
  AUDIENCE,
  callTool,
  created,
  deleted,
  grant,
  METADATA_URL,
  type OAuthServer,
  serveOAuth,
  settingsFor,
  startIssuer,
  toolNames,
} from './oauth-kit.js';

// Scopes onto the policy, and how a client finds out what to ask for: the protected resource metadata
// (RFC 9728), a read-scope token that lists and runs only the reading tools and is answered 403
// `insufficient_scope` naming the write scope when it calls a writing one (the MCP spec's step-up), a
// write-scope token with the operator's policy, and confirmations bound to the subject, not the token.

let issuer: OidcIssuer;
let server: OAuthServer;

beforeAll(async () => {
  issuer = await startIssuer();
  server = await serveOAuth(settingsFor(issuer.url), { sse: true });
});
afterAll(async () => {
  await server?.handle.close();
  await issuer?.close();
});
beforeEach(() => {
  created.length = 0;
  deleted.length = 0;
});

const origin = () => new URL(server.handle.url).origin;

describe('protected resource metadata', () => {
  it('is served without a token at the path-suffixed and the root well-known URLs, to any origin', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await fetch(`${origin()}${path}`, { headers: { origin: 'https://inspector.example' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({
        resource: AUDIENCE,
        authorization_servers: [issuer.url],
        scopes_supported: ['mcp:read', 'mcp:write'],
        bearer_methods_supported: ['header'],
      });
    }
    const preflight = await fetch(`${origin()}/.well-known/oauth-protected-resource/mcp`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://inspector.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'mcp-protocol-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('mcp-protocol-version');
    const post = await fetch(`${origin()}/.well-known/oauth-protected-resource`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('is not there without OAuth', async () => {
    const plain = await serveTools([echo]);
    try {
      const res = await fetch(new URL('/.well-known/oauth-protected-resource', plain.url));
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe.each(['modern', 'legacy'] as const)('scopes onto the policy (%s era)', (era) => {
  it('a read-scope token lists and runs the reading tools only', async () => {
    const token = await grant(issuer, 'reader');
    expect(await toolNames(server.handle, { token, era })).toEqual(['echo_get', 'whoami_get']);
    const echoed = await callTool(server.handle, 'echo_get', { word: 'hi' }, { token, era });
    expect(echoed.text).toBe('hi for nobody');
    const me = await callTool(server.handle, 'whoami_get', {}, { token, era });
    expect(me.result?.structuredContent).toMatchObject({ subject: 'bob', missingWriteScope: 'mcp:write' });
  });

  it('a writing tool called with a read-scope token: 403 insufficient_scope naming the write scope', async () => {
    const token = await grant(issuer, 'reader');
    for (const tool of ['thing_create', 'thing_delete']) {
      const answer = await callTool(server.handle, tool, { name: 'x' }, { token, era });
      expect(answer.status, tool).toBe(403);
      expect(answer.headers.get('www-authenticate'), tool).toBe(
        'Bearer error="insufficient_scope", error_description="This tool changes state; the access token does not grant that", ' +
          `scope="mcp:write", resource_metadata="${METADATA_URL}"`,
      );
    }
    expect(created).toEqual([]);
    expect(deleted).toEqual([]);
  });

  it('a write-scope token gets the operator policy: every tool, and writing works', async () => {
    const token = await grant(issuer, 'writer');
    expect(await toolNames(server.handle, { token, era })).toEqual([
      'echo_get',
      'whoami_get',
      'thing_create',
      'thing_delete',
    ]);
    const done = await callTool(server.handle, 'thing_create', { name: 'box' }, { token, era });
    expect(done.text).toBe('created box');
    expect(created).toEqual(['box']);
  });
});

describe('scopes at the door', () => {
  it('a valid token with no scope of this server: 403 insufficient_scope naming the read scope', async () => {
    const token = issuer.mint({ sub: 'carol', aud: AUDIENCE, scope: 'openid profile' });
    const answer = await callTool(server.handle, 'echo_get', { word: 'hi' }, { token });
    expect(answer.status).toBe(403);
    expect(answer.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${METADATA_URL}", error="insufficient_scope", scope="mcp:read", ` +
        'error_description="The access token grants no scope of this server"',
    );
  });
});

describe('confirmations are bound to the subject, not the token', () => {
  it('a refreshed token of the same subject completes the confirmation; another subject cannot', async () => {
    const first = await grant(issuer, 'writer');
    const asked = await callTool(server.handle, 'thing_delete', { name: 'box' }, { token: first });
    expect(asked.result?.resultType).toBe('input_required');
    const state = asked.result!.requestState!;
    expect(Buffer.from(state.split('.')[1]!, 'base64url').toString()).not.toContain('alice');

    const mallory = issuer.mint({ sub: 'mallory', aud: AUDIENCE, scope: 'mcp:write' });
    const stolen = await callTool(
      server.handle,
      'thing_delete',
      { name: 'box' },
      { token: mallory, state, accept: true },
    );
    expect(stolen.error?.code).toBe(-32602);
    expect(deleted).toEqual([]);

    const refreshed = await grant(issuer, 'writer');
    expect(refreshed).not.toBe(first);
    const done = await callTool(
      server.handle,
      'thing_delete',
      { name: 'box' },
      { token: refreshed, state, accept: true },
    );
    expect(done.text).toBe('deleted box');
    expect(deleted).toEqual(['box']);
  });
});

describe('the legacy SSE transport, where no 403 can be sent mid-stream', () => {
  it('a read-scope stream lists the reading tools, and a writing call is refused as an error result', async () => {
    const token = await grant(issuer, 'reader');
    const client = new Client({ name: 'seed-style', version: '1' });
    await client.connect(
      new SSEClientTransport(new URL('/sse', server.handle.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo_get', 'whoami_get']);
      const refused = await client.callTool({ name: 'thing_create', arguments: { name: 'x' } });
      expect(refused.isError).toBe(true);
      expect(refused.content).toEqual([
        expect.objectContaining({
          text: expect.stringContaining(
            'thing_create changes state, and your access token grants reading only',
          ),
        }),
      ]);
      expect(created).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
