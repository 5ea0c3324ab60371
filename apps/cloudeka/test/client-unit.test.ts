import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthCache } from '@cloudmcp/auth-cache';
import { loadYaml } from '@cloudmcp/format';
import {
  createLogger,
  type HttpClient,
  type HttpRequest,
  ToolError,
  toErrorResult,
  UpstreamError,
} from '@cloudmcp/toolkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { CloudekaClient, fillPath, identityOf, messageOf, parseAnswer } from '../src/client/client.js';
import { CloudekaError, DB_TOKENS_MISSING } from '../src/client/errors.js';
import { mapCloudekaError } from '../src/failures.js';
import { manifestName, parseManifest } from '../src/manifest.js';

function response(status: number, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    status,
    ok: status < 400,
    headers: new Headers(),
    url: 'http://x',
    text,
    attempts: 1,
    json: () => JSON.parse(text),
  };
}

function jwt(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
}

const TOKEN = 'cldkctl_unitTestToken0123456789';

/** A scripted Cloudeka: `answer(host, req)` per request; records what was sent. */
function scripted(answer: (host: string, req: HttpRequest) => ReturnType<typeof response> | Error) {
  const sent: Array<{ host: string; method: string; url: URL; body?: unknown; auth?: string }> = [];
  const http = {
    async request(req: HttpRequest) {
      const url = new URL(String(req.url));
      sent.push({
        host: url.host,
        method: req.method,
        url,
        ...(req.body ? { body: JSON.parse(String(req.body)) } : {}),
        ...(req.headers?.['authorization'] ? { auth: req.headers['authorization'] } : {}),
      });
      const out = answer(url.host, req);
      if (out instanceof Error) throw out;
      return out;
    },
  } as unknown as HttpClient;
  const client = (mode: 'production' | 'staging' | 'auto' = 'auto') =>
    new CloudekaClient({
      token: TOKEN,
      urls: { production: 'http://prod.test', staging: 'http://staging.test' },
      mode,
      http,
      cache: new AuthCache({ provider: 'cloudeka', dir: mkdtempSync(join(tmpdir(), 'cldk-unit-')) }),
      logger: createLogger({ name: 'unit', level: 'error' }),
    });
  return { sent, client };
}

const exp = () => Math.floor(Date.now() / 1000) + 3600;
const authOk = (who = 'Rina') =>
  response(200, {
    code: 200,
    data: { token: jwt({ exp: exp(), user_id: 'u1' }), name: who, role: 'Owner', organization_id: 'o1' },
  });

describe('request building', () => {
  it('URL-encodes each path parameter into its own segment', () => {
    expect(
      fillPath('/core/pods/:project_id/:namespace/:name', {
        project_id: 'a/b',
        namespace: 'x y',
        name: '../z?q=1',
      }),
    ).toBe('/core/pods/a%2Fb/x%20y/..%2Fz%3Fq%3D1');
    expect(() => fillPath('/core/user/projects/:project_id', {})).toThrow(/project_id/);
    // hostile input: a dot segment would be resolved by URL parsing and reach another route
    for (const id of ['.', '..']) {
      expect(() => fillPath('/core/user/project/:project_id', { project_id: id })).toThrow(
        /^Invalid input `project_id`: `\.{1,2}` is not an id/,
      );
    }
    expect(fillPath('/core/user/project/:project_id', { project_id: '...' })).toBe('/core/user/project/...');
  });

  it('sends path params only in the path, the query for reads and a JSON body for writes, with the JWT', async () => {
    const { sent, client } = scripted((_h, req) =>
      String(req.url).endsWith('/auth') ? authOk() : response(200, { data: [] }),
    );
    await client('production').request({
      method: 'GET',
      route: '/core/kubernetes/:resource',
      path: { resource: 'ingresses' },
      query: { project_id: 'p 1', namespace: 'default', skip: undefined },
    });
    await client('production').request({
      method: 'PUT',
      route: '/core/user/projects/:project_id',
      path: { project_id: 'p#1' },
      body: { description: 'd' },
    });
    const [auth, get, , put] = sent;
    expect(auth!.body).toEqual({ token: TOKEN });
    expect(auth!.auth).toBeUndefined();
    expect(get!.url.pathname).toBe('/core/kubernetes/ingresses');
    expect(Object.fromEntries(get!.url.searchParams)).toEqual({ project_id: 'p 1', namespace: 'default' });
    expect(get!.auth).toMatch(/^Bearer eyJ/);
    expect(put!.url.pathname).toBe('/core/user/projects/p%231');
    expect(put!.url.search).toBe('');
    expect(put!.body).toEqual({ description: 'd' });
  });
});

describe('answers', () => {
  it('reads data from the envelope whatever its shape', () => {
    expect(parseAnswer('GET /x', response(200, { code: 200, message: 'Success', data: [1] }))).toEqual({
      data: [1],
      message: 'Success',
    });
    expect(parseAnswer('GET /x', response(200, [{ a: 1 }])).data).toEqual([{ a: 1 }]);
    expect(parseAnswer('GET /x', response(200, { token: 't', name: 'n' })).data).toEqual({
      token: 't',
      name: 'n',
    });
    expect(parseAnswer('GET /x', response(200, { code: 200, status: 'success' })).data).toBeUndefined();
    expect(parseAnswer('GET /x', response(204, '')).data).toBeUndefined();
    expect(() => parseAnswer('GET /x', response(200, '<html>'))).toThrow(UpstreamError);
  });

  it("keeps the upstream's own message and status, never a bare status text", () => {
    const cases: Array<[number, unknown, string]> = [
      [404, { code: 404, status: 'error', message: 'project p1 not found' }, 'project p1 not found'],
      [400, { error: 'name is required' }, 'name is required'],
      [400, { errors: [{ message: 'a' }, 'b'] }, 'a; b'],
      [400, DB_TOKENS_MISSING, DB_TOKENS_MISSING],
      [
        502,
        '<html><head><title>502 Bad Gateway</title></head></html>',
        '502 Bad Gateway (an HTML error page, not the API)',
      ],
      [502, '<p>upstream died</p>', '<p>upstream died</p>'],
      [500, '', '(empty body)'],
    ];
    for (const [status, body, message] of cases) {
      const error = (() => {
        try {
          parseAnswer('GET /core/x', response(status, body));
        } catch (e) {
          return e as CloudekaError;
        }
        throw new Error('no error');
      })();
      expect(error).toBeInstanceOf(CloudekaError);
      expect(error.status).toBe(status);
      expect(error.upstreamMessage).toBe(message);
    }
    expect(messageOf({ code: 400, status: 'error' }, '')).toBe('error');
    // 200 with an error code inside the envelope is an error too.
    expect(() => parseAnswer('GET /x', response(200, { code: 403, message: 'nope' }))).toThrow(/403 nope/);
  });

  it('maps errors for the model: status, message, next step', () => {
    const mapped = mapCloudekaError(
      new CloudekaError('GET /core/user/project/detail/:project_id', 404, 'project x not found'),
    );
    expect(mapped).toBeInstanceOf(ToolError);
    expect(mapped!.message).toBe('Cloudeka refused GET /core/user/project/detail/:project_id.');
    expect(mapped!.details).toMatchObject({ code: 404, upstreamMessage: 'project x not found' });
    expect(mapped!.details.next).toMatch(/list what exists/);
    const reset = new UpstreamError('network', 'POST http://x/core/virtual-machine was reset', {
      attempts: 1,
      causeCode: 'ECONNRESET',
    });
    reset.idempotent = false;
    // Transport failures are the toolkit's to explain: a change cut off in transit is "outcome unknown".
    expect(mapCloudekaError(reset)).toBeUndefined();
    expect(toErrorResult(reset, 'vm_create').content[0]!.text).toMatch(/may or may not have been applied/);
  });

  it('reads who the token belongs to from the exchange, else from the JWT claims', () => {
    expect(identityOf({ name: 'Rina', role: 'Owner', organization_id: 'o1', user_id: 'u1' }, '')).toEqual({
      user: 'Rina',
      role: 'Owner',
      organization_id: 'o1',
      user_id: 'u1',
    });
    expect(
      identityOf({}, jwt({ sub: 'u2', name: 'Budi', role: 'Member', organization_id: 'o2', email: 'b@x' })),
    ).toEqual({
      user: 'Budi',
      user_id: 'u2',
      role: 'Member',
      organization_id: 'o2',
      email: 'b@x',
    });
  });
});

describe('environments', () => {
  it('auto falls back to staging on the missing-table error, and says why', async () => {
    const { sent, client } = scripted((host, req) => {
      if (host === 'prod.test') return response(400, DB_TOKENS_MISSING);
      return String(req.url).endsWith('/auth')
        ? authOk('Staging Rina')
        : response(200, { data: [{ id: 1 }] });
    });
    const c = client('auto');
    const answer = await c.request({ method: 'GET', route: '/core/user/organization/projects/byOrg' });
    expect(answer.data).toEqual([{ id: 1 }]);
    expect(c.environment).toBe('staging');
    expect(c.fellBack?.reason).toContain(DB_TOKENS_MISSING);
    expect(sent.map((s) => `${s.host} ${s.url.pathname}`)).toEqual([
      'prod.test /core/cldkctl/auth',
      'staging.test /core/cldkctl/auth',
      'staging.test /core/user/organization/projects/byOrg',
    ]);
  });

  it('auto falls back when production cannot be reached, but not on other auth errors', async () => {
    const down = scripted((host, req) => {
      if (host === 'prod.test')
        return new UpstreamError('network', 'POST http://prod.test/core/cldkctl/auth failed', {
          attempts: 4,
          causeCode: 'ECONNREFUSED',
        });
      return String(req.url).endsWith('/auth') ? authOk() : response(200, { data: {} });
    });
    const c = down.client('auto');
    await c.request({ method: 'GET', route: '/core/user/profile' });
    expect(c.fellBack?.reason).toMatch(/could not be reached \(ECONNREFUSED\)/);

    const refused = scripted(() => response(401, { code: 401, message: 'invalid token' }));
    const r = refused.client('auto');
    await expect(r.request({ method: 'GET', route: '/core/user/profile' })).rejects.toMatchObject({
      status: 401,
      upstreamMessage: 'invalid token',
      duringAuth: true,
    });
    expect(r.environment).toBe('production');
    expect(refused.sent.every((s) => s.host === 'prod.test')).toBe(true);
  });

  it('production never falls back; its error reaches the caller', async () => {
    const { sent, client } = scripted(() => response(400, DB_TOKENS_MISSING));
    const c = client('production');
    await expect(c.request({ method: 'GET', route: '/core/user/profile' })).rejects.toMatchObject({
      status: 400,
      isTokenTableMissing: true,
    });
    expect(sent.map((s) => s.host)).toEqual(['prod.test']);
    expect(c.fellBack).toBeUndefined();
  });

  it('a 401 on a call exchanges once more and retries once', async () => {
    let calls = 0;
    const { sent, client } = scripted((_h, req) => {
      if (String(req.url).endsWith('/auth')) return authOk();
      calls++;
      return calls === 1
        ? response(401, { message: 'Token is expired' })
        : response(200, { data: { ok: true } });
    });
    const answer = await client('production').request({ method: 'GET', route: '/core/user/profile' });
    expect(answer.data).toEqual({ ok: true });
    expect(sent.filter((s) => s.url.pathname.endsWith('/auth'))).toHaveLength(2);
  });
});

describe('following a regenerated token', () => {
  const NEXT = 'cldkctl_regeneratedValue0123456789';
  /** Cloudeka that takes the tokens in `valid` at its exchange. */
  const takes = (valid: Set<string>) =>
    scripted((_h, req) => {
      if (!String(req.url).endsWith('/auth')) return response(200, { data: { ok: true } });
      const { token } = JSON.parse(String(req.body)) as { token: string };
      return valid.has(token) ? authOk() : response(401, { code: 401, message: 'invalid token' });
    });
  const tokensSent = (sent: Array<{ url: URL; body?: unknown }>) =>
    sent.filter((s) => s.url.pathname.endsWith('/auth')).map((s) => (s.body as { token: string }).token);

  it('keeps its token while that is still taken (another token was regenerated)', async () => {
    const { sent, client } = takes(new Set([TOKEN, NEXT]));
    const c = client('production');
    expect(await c.followRegenerated(NEXT)).toBe(false);
    await c.request({ method: 'GET', route: '/core/user/profile' });
    expect(tokensSent(sent)).toEqual([TOKEN, TOKEN]);
  });

  it('switches every view to the new value once the old one is refused and the new one taken', async () => {
    const { sent, client } = takes(new Set([NEXT]));
    const c = client('auto');
    const view = c.withEnvironment('production', 'switch');
    expect(await c.followRegenerated(NEXT)).toBe(true);
    await view.request({ method: 'GET', route: '/core/user/profile' });
    expect(tokensSent(sent)).toEqual([TOKEN, NEXT, NEXT]);
  });

  it('switches to nothing the exchange refuses', async () => {
    const { sent, client } = takes(new Set());
    const c = client('production');
    await expect(c.followRegenerated(NEXT)).rejects.toThrow(/new token value was refused/);
    await expect(c.request({ method: 'GET', route: '/core/user/profile' })).rejects.toThrow(/invalid token/);
    expect(tokensSent(sent)).toEqual([TOKEN, NEXT, TOKEN]);
  });
});

describe('manifests', () => {
  // parseManifest reads YAML with the yaml library, which the runtime loads before each tool call
  beforeAll(() => loadYaml());

  it('takes an object or one YAML document, and names the field on errors', () => {
    expect(parseManifest({ kind: 'Pod' })).toEqual({ kind: 'Pod' });
    const m = parseManifest('apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n');
    expect(manifestName(m)).toBe('web');
    expect(() => parseManifest('a: [1, 2')).toThrow(/Invalid input `manifest`: is not valid YAML at line/);
    expect(() => parseManifest('a: 1\n---\nb: 2\n')).toThrow(/holds more than 1 document$/);
    expect(() => parseManifest('- 1\n- 2\n')).toThrow(/must be a mapping/);
    expect(() => parseManifest('')).toThrow(/is empty/);
  });
});
