import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudekaSim } from 'cloudeka-sim';
import { type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  hits,
  type Started,
  startServer,
  structured,
  type Table,
  type ToolResult,
  tempCache,
  text,
  UNREACHABLE,
  WORKING_TOOLSETS,
  withSim,
} from './harness.js';

// token_regenerate hands the new value of a cldkctl token to the user the way ssh_key_create hands a private
// key: a new 0600 file in the directory the operator allows (--token-dir), never in a result or a log line.
// When the regenerated token is the server's own, the server switches to the new value and keeps working.
// And no call hands the server a token: `auth` refuses one.

const REGENERATE = '/core/cldkctl/token/regenerate/:token_id';

let sim: CloudekaSim;
let server: Started;
let sandbox: string;
let tokenDir: string;

beforeAll(async () => {
  sim = await withSim();
  sandbox = mkdtempSync(join(tmpdir(), 'cldk-tokens-'));
  tokenDir = join(sandbox, 'tokens');
  mkdirSync(tokenDir, { mode: 0o700 });
  mkdirSync(join(sandbox, 'outside'));
  writeFileSync(join(tokenDir, 'taken'), 'keep me\n');
  server = await startServer(sim, {
    args: ['--token-dir', tokenDir, '--confirm', 'never', '--log-level', 'debug'],
  });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

async function exchangeStatus(token: string): Promise<number> {
  const r = await fetch(`${sim.url}/core/cldkctl/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  return r.status;
}

/** Neither the value nor its random part appears in what the server answered or logged. */
function expectNowhere(values: string[], ...results: ToolResult[]) {
  const seen = [JSON.stringify(results), server.stderr()].join('\n');
  for (const value of values) {
    expect(seen).not.toContain(value);
    expect(seen).not.toContain(value.slice('cldkctl_'.length));
  }
}

const files = () => readdirSync(tokenDir).sort();

describe('token_regenerate saves the new value in a 0600 file in --token-dir', () => {
  it('another token of the user: saved, the server keeps its own token', async () => {
    const { ownerScript } = sim.ids.tokenIds;
    const before = sim.tokens.ownerScript;
    const own = sim.tokens.owner;
    const result = await server.call('token_regenerate', {
      token_id: ownerScript,
      expiration_days: 7,
      token_file: 'deploy-script.token',
    });
    expect(result.isError, text(result)).toBeFalsy();
    const after = sim.tokens.ownerScript;
    expect(after).not.toBe(before);
    const out = structured<{ token_file: string; server_switched: boolean; token_record: object }>(result);
    expect(out).toMatchObject({
      token_file: join(tokenDir, 'deploy-script.token'),
      server_switched: false,
      token_record: { id: ownerScript, name: 'deploy-script' },
    });
    expect(statSync(out.token_file).mode & 0o777).toBe(0o600);
    expect(readFileSync(out.token_file, 'utf8')).toBe(`${after}\n`);
    expect(text(result)).not.toContain('now uses the new value');
    expect(await exchangeStatus(before)).toBe(401);
    expect(await exchangeStatus(after)).toBe(200);
    // The server's own token was not touched and still works.
    expect(sim.tokens.owner).toBe(own);
    expect(text(await server.call('auth'))).toMatch(/^Authenticated as Rina Wijaya/);
    expectNowhere([before, after, own], result);
  });

  it("the server's own token: saved, and the server switches to it (next call works, the old value is refused)", async () => {
    const before = sim.tokens.owner;
    const result = await server.call('token_regenerate', {
      token_id: sim.ids.tokenIds.owner,
      expiration_days: 0,
      token_file: 'laptop.token',
    });
    expect(result.isError, text(result)).toBeFalsy();
    const after = sim.tokens.owner;
    expect(structured(result)).toMatchObject({ server_switched: true });
    expect(readFileSync(join(tokenDir, 'laptop.token'), 'utf8')).toBe(`${after}\n`);
    expect(text(result)).toContain('update CLDKCTL_TOKEN from the file before restarting it');
    expect(await exchangeStatus(before)).toBe(401);
    // Fresh exchanges (auth forces one) use the new value, and every other tool goes on working.
    const exchanges = sim.exchanges();
    const auth = await server.call('auth');
    expect(text(auth)).toMatch(/^Authenticated as Rina Wijaya \(Owner\)/);
    expect(sim.exchanges()).toBe(exchanges + 1);
    expect(structured<Table>(await server.call('project_list')).rows).toHaveLength(3);
    expect(server.stderr()).toContain('this server now uses the regenerated cldkctl token');
    expectNowhere([before, after], result, auth);
  });

  it('names only a new file in the directory: a path, a dot file or a taken name regenerate nothing', async () => {
    const tokens = { ...sim.tokens };
    const listed = files();
    const sent = hits(sim, 'POST', REGENERATE);
    for (const name of ['../outside/x', '/tmp/x', '.hidden', '-x', 'a/b', '..', '']) {
      const r = await server.call('token_regenerate', {
        token_id: sim.ids.tokenIds.ownerScript,
        expiration_days: 1,
        token_file: name,
      });
      expect(r.isError, name).toBe(true);
      expect(text(r)).toContain('Invalid input `token_file`');
    }
    const taken = await server.call('token_regenerate', {
      token_id: sim.ids.tokenIds.ownerScript,
      expiration_days: 1,
      token_file: 'taken',
    });
    expect(text(taken)).toMatch(/a file of that name exists in the token directory; nothing was regenerated/);
    expect(readFileSync(join(tokenDir, 'taken'), 'utf8')).toBe('keep me\n');
    expect(hits(sim, 'POST', REGENERATE)).toBe(sent);
    expect(sim.tokens).toEqual(tokens);
    expect(files()).toEqual(listed);
    expect(readdirSync(join(sandbox, 'outside'))).toEqual([]);
  });

  it('Cloudeka refusing the regeneration leaves no file behind', async () => {
    const listed = files();
    const r = await server.call('token_regenerate', {
      token_id: sim.ids.tokenIds.revoked,
      expiration_days: 1,
      token_file: 'revoked.token',
    });
    expect(text(r)).toContain('Upstream: 400 token has been revoked');
    expect(files()).toEqual(listed);
  });
});

describe('with --allow-secrets', () => {
  it('the new value still goes only to the file: a credential, not secret data', async () => {
    const revealing = await startServer(sim, {
      args: ['--token-dir', tokenDir, '--confirm', 'never', '--allow-secrets'],
    });
    try {
      const result = await revealing.call('token_regenerate', {
        token_id: sim.ids.tokenIds.ownerScript,
        expiration_days: 1,
        token_file: 'revealed.token',
      });
      expect(result.isError, text(result)).toBeFalsy();
      const value = sim.tokens.ownerScript;
      expect(readFileSync(join(tokenDir, 'revealed.token'), 'utf8')).toBe(`${value}\n`);
      const seen = [JSON.stringify(result), revealing.stderr()].join('\n');
      expect(seen).not.toContain(value.slice('cldkctl_'.length));
    } finally {
      await revealing.close();
    }
  });
});

describe('auth takes no token from a call', () => {
  it('refuses one with the reason and what to do instead, sending nothing and echoing nothing', async () => {
    const exchanges = sim.exchanges();
    const offered = sim.tokens.member;
    const r = await server.call('auth', { token: offered });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(
      /^Error: auth takes no token: a token passed in a tool call could switch this server/,
    );
    expect(text(r)).toMatch(/Next: Call auth without `token`[\s\S]*sets CLDKCTL_TOKEN in the MCP client/);
    expect(sim.exchanges()).toBe(exchanges);
    expectNowhere([offered], r);
    // The server still runs as its own user.
    expect(text(await server.call('auth'))).toMatch(/^Authenticated as Rina Wijaya/);
  });
});

describe('over HTTP without --token-dir', () => {
  let http: HttpServer;
  const TOKEN = 'token-regenerate-http-0123456789';
  beforeAll(async () => {
    http = await startHttpServer(
      CLI,
      {
        XDG_CACHE_HOME: tempCache(),
        HOME: mkdtempSync(join(tmpdir(), 'cldk-home-')),
        CLDKCTL_TOKEN: sim.tokens.owner,
        CLDKCTL_BASE_URL: sim.url,
        CLDKCTL_STAGING_URL: UNREACHABLE,
        CLOUDMCP_HTTP_TOKEN: TOKEN,
      },
      ['--confirm', 'never', '--toolsets', WORKING_TOOLSETS.join(',')],
    );
  });
  afterAll(() => http?.close());

  it('refuses before anything changes and says where the value can come from', async () => {
    const { client, close } = await http.connect({ headers: { authorization: `Bearer ${TOKEN}` } });
    try {
      const tokens = { ...sim.tokens };
      const sent = hits(sim, 'POST', REGENERATE);
      const r = await client.callTool({
        name: 'token_regenerate',
        arguments: { token_id: sim.ids.tokenIds.ownerScript, expiration_days: 1, token_file: 'x' },
      });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(
        /Saving new tokens is off: this server serves HTTP and was started without --token-dir/,
      );
      expect(text(r)).toMatch(/Next: Regenerate the token in the portal/);
      expect(hits(sim, 'POST', REGENERATE)).toBe(sent);
      expect(sim.tokens).toEqual(tokens);
    } finally {
      await close();
    }
  });
});
