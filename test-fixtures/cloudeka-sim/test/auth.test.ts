import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_DB_ERROR, type CloudekaSim, startCloudekaSim } from '../src/index.js';
import { call, decodeJwt, exchange, jwtFor, ok } from './helpers.js';

let sim: CloudekaSim;
beforeAll(async () => {
  sim = await startCloudekaSim({ jwtTtlSeconds: 3600 });
});
afterEach(() => {
  sim.setAuthDbError(false);
  sim.setJwtTtl(3600);
});
afterAll(() => sim.close());

const profile = (jwt?: string, headers: Record<string, string> = {}) =>
  call(sim, 'GET', '/core/user/profile', { ...(jwt ? { jwt } : {}), headers });

describe('token exchange', () => {
  it('answers a real HS256 JWT and the user fields clients read', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await exchange(sim, sim.tokens.owner);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(r.body).toMatchObject({ code: 200, status: 'success', message: 'Success' });
    const d = r.body.data;
    expect(d).toMatchObject({
      user_id: sim.ids.ownerUserId,
      name: 'Rina Wijaya',
      email: 'rina.wijaya@nusantaradata.example',
      role: 'Owner',
      organization_id: sim.ids.organizationId,
      organization_role_id: sim.ids.roleIds.owner,
    });
    const { header, payload } = decodeJwt(d.token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({
      sub: sim.ids.ownerUserId,
      user_id: sim.ids.ownerUserId,
      role: 'Owner',
      organization_id: sim.ids.organizationId,
      iss: 'https://ai.cloudeka.id',
    });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp).toBe(payload.iat + 3600);
    expect(d.expired_at).toBe(new Date(payload.exp * 1000).toISOString());
    expect((await profile(d.token)).body.data.id).toBe(sim.ids.ownerUserId);
  });

  it('uses the TTL set at run time, accepts the cldk_ prefix and force_staging', async () => {
    sim.setJwtTtl(120);
    const r = await exchange(sim, sim.tokens.member.replace(/^cldkctl_/, 'cldk_'), { force_staging: false });
    expect(r.status).toBe(200);
    const { payload } = decodeJwt(r.body.data.token);
    expect(payload.exp - payload.iat).toBe(120);
    expect(payload.role).toBe('Member');
  });

  it('refuses missing, malformed, unknown and revoked tokens with JSON bodies', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'token is required'],
      [{ token: '' }, 400, 'token is required'],
      [{ token: 42 }, 400, 'token must be a string'],
      [{ token: sim.tokens.owner, force_staging: 'yes' }, 400, 'force_staging must be a boolean'],
      [{ token: 'not-a-token' }, 401, 'invalid token format'],
      [{ token: 'cldkctl_doesnotexist' }, 401, 'invalid token'],
      [{ token: sim.tokens.revoked }, 401, 'token has been revoked'],
    ];
    for (const [body, status, message] of cases) {
      const r = await call(sim, 'POST', '/core/cldkctl/auth', { body });
      expect({ status: r.status, body: r.body }).toEqual({
        status,
        body: { code: status, status: 'error', message },
      });
    }
    const bad = await call(sim, 'POST', '/core/cldkctl/auth', { raw: '{"token":' });
    expect(bad.body).toEqual({ code: 400, status: 'error', message: 'invalid JSON body' });
  });

  it('answers the database error as plain text, which the seed finds in response.text', async () => {
    sim.setAuthDbError(true);
    const r = await exchange(sim, sim.tokens.owner);
    expect(r.status).toBe(400);
    expect(r.text).toBe('pq: relation "cldkctl_tokens" does not exist');
    expect(r.text).toBe(AUTH_DB_ERROR);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    sim.setAuthDbError(false);
    expect((await exchange(sim, sim.tokens.owner)).status).toBe(200);
  });

  it('counts every answered exchange, whatever its status', async () => {
    const before = sim.exchanges();
    await exchange(sim, sim.tokens.owner);
    await exchange(sim, 'cldkctl_nope');
    sim.setAuthDbError(true);
    await exchange(sim, sim.tokens.owner);
    await profile();
    expect(sim.exchanges()).toBe(before + 3);
  });

  it('logs in with email and password like the exchange', async () => {
    const r = await call(sim, 'POST', '/core/user/login', {
      body: { username: 'budi.santoso@nusantaradata.example', password: sim.passwords.member },
    });
    expect(r.status).toBe(200);
    expect(decodeJwt(r.body.data.token).payload.sub).toBe(sim.ids.memberUserId);
    const wrong = await call(sim, 'POST', '/core/user/login', {
      body: { username: 'budi.santoso@nusantaradata.example', password: 'nope' },
    });
    expect(wrong.body).toEqual({ code: 401, status: 'error', message: 'invalid username or password' });
  });
});

describe('bearer JWT', () => {
  it('401s a missing, malformed, tampered or foreign-signed JWT', async () => {
    const jwt = await jwtFor(sim, 'owner');
    const [h, p] = jwt.split('.');
    const forged = `${h}.${p}.${createHmac('sha256', 'guessed-secret').update(`${h}.${p}`).digest('base64url')}`;
    const claims = { ...decodeJwt(jwt).payload, role: 'SuperAdmin' };
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${jwt.split('.')[2]}`;
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'Authorization header is required'],
      [{ authorization: `Token ${jwt}` }, 'Authorization header format must be Bearer {token}'],
      [{ authorization: 'Bearer abc.def' }, 'token contains an invalid number of segments'],
      [{ authorization: 'Bearer !!.??.xx' }, 'token is malformed'],
      [{ authorization: `Bearer ${none}` }, 'unexpected signing method: none'],
      [{ authorization: `Bearer ${forged}` }, 'signature is invalid'],
      [{ authorization: `Bearer ${tampered}` }, 'signature is invalid'],
      [{ authorization: `Bearer ${sim.tokens.owner}` }, 'token contains an invalid number of segments'],
    ];
    for (const [headers, message] of cases) {
      const r = await profile(undefined, headers);
      expect({ status: r.status, body: r.body }).toEqual({
        status: 401,
        body: { code: 401, status: 'error', message },
      });
    }
    expect(sim.log.at(-1)!.auth).toBe('invalid');
  });

  it('401s a JWT whose exp has passed', async () => {
    sim.setJwtTtl(0);
    const jwt = await jwtFor(sim, 'owner');
    const r = await profile(jwt);
    expect(r.body).toEqual({ code: 401, status: 'error', message: 'Token is expired' });
  });

  it('expireAllJwts invalidates every JWT issued so far, not later ones', async () => {
    const sim2 = await startCloudekaSim({ seed: 'empty' });
    try {
      const a = await jwtFor(sim2, 'owner');
      const b = await jwtFor(sim2, 'member');
      expect((await call(sim2, 'GET', '/core/user/profile', { jwt: a })).status).toBe(200);
      sim2.expireAllJwts();
      for (const jwt of [a, b]) {
        const r = await call(sim2, 'GET', '/core/user/profile', { jwt });
        expect(r.body).toEqual({ code: 401, status: 'error', message: 'Token is expired' });
      }
      const fresh = await jwtFor(sim2, 'owner');
      expect((await call(sim2, 'GET', '/core/user/profile', { jwt: fresh })).status).toBe(200);
    } finally {
      await sim2.close();
    }
  });

  it('is not accepted by another instance (production vs staging)', async () => {
    const staging = await startCloudekaSim({ environment: 'staging' });
    try {
      expect(staging.environment).toBe('staging');
      expect(staging.tokens).toEqual(sim.tokens);
      const prodJwt = await jwtFor(sim, 'owner');
      const stagingJwt = await jwtFor(staging, 'owner');
      expect(decodeJwt(stagingJwt).payload.iss).toBe('https://staging.ai.cloudeka.id');
      expect((await call(staging, 'GET', '/core/user/profile', { jwt: prodJwt })).body.message).toBe(
        'signature is invalid',
      );
      expect((await call(sim, 'GET', '/core/user/profile', { jwt: stagingJwt })).body.message).toBe(
        'signature is invalid',
      );
      expect((await call(staging, 'GET', '/core/user/profile', { jwt: stagingJwt })).status).toBe(200);
    } finally {
      await staging.close();
    }
  });

  it('lets the seed fall back: production answers the DB error, staging exchanges the same token', async () => {
    const production = await startCloudekaSim({ authDbError: true, seed: 'empty' });
    const staging = await startCloudekaSim({ environment: 'staging', seed: 'empty' });
    try {
      const first = await exchange(production, production.tokens.owner);
      expect(
        first.status === 400 && first.text.includes('pq: relation "cldkctl_tokens" does not exist'),
      ).toBe(true);
      const second = await exchange(staging, production.tokens.owner);
      expect(second.status).toBe(200);
      expect([production.exchanges(), staging.exchanges()]).toEqual([1, 1]);
    } finally {
      await Promise.all([production.close(), staging.close()]);
    }
  });
});

describe('roles', () => {
  it('admits only SuperAdmin on /core/superadmin/*', async () => {
    const path = `/core/superadmin/manageorg/${sim.ids.organizationId}`;
    for (const who of ['owner', 'member'] as const) {
      const r = await call(sim, 'GET', path, { jwt: await jwtFor(sim, who) });
      expect(r.body).toEqual({
        code: 403,
        status: 'error',
        message: 'only SuperAdmin can access this endpoint',
      });
    }
    const data = await ok(sim, await jwtFor(sim, 'superadmin'), 'GET', path);
    expect(data.name).toBe('PT Nusantara Data Labs');
    expect(data.projects.map((p: { name: string }) => p.name)).toEqual([
      'ml-platform',
      'web-services',
      'sandbox',
    ]);
  });

  it('keeps a Member from deleting projects and managing members, roles and the organization', async () => {
    const jwt = await jwtFor(sim, 'member');
    const { ids } = sim;
    const cases: Array<[string, string, unknown, string]> = [
      ['DELETE', `/core/user/projects/${ids.projectIds[0]}`, undefined, 'delete projects'],
      ['DELETE', `/core/user/checking/projects/${ids.projectIds[0]}`, undefined, 'delete projects'],
      [
        'POST',
        '/core/user/organization/member',
        { user_id: ids.outsideUserId, role_id: ids.roleIds.member, project_id: ids.projectIds[0] },
        'manage organization members',
      ],
      [
        'DELETE',
        `/core/user/organization/member/${ids.ownerUserId}`,
        undefined,
        'manage organization members',
      ],
      ['PUT', `/core/user/manageuser/deactive/${ids.ownerUserId}`, {}, 'manage organization members'],
      ['POST', '/core/user/organization/role', { role_data: { name: 'x' } }, 'manage organization roles'],
      [
        'PUT',
        `/core/user/organization/edit/${ids.organizationId}`,
        { org_data: { name: 'x' } },
        'edit the organization',
      ],
    ];
    for (const [method, path, body, action] of cases) {
      const r = await call(sim, method, path, { jwt, ...(body === undefined ? {} : { body }) });
      expect({ path, body: r.body }).toEqual({
        path,
        body: { code: 403, status: 'error', message: `role Member is not allowed to ${action}` },
      });
    }
    // What a Member may do: read and work in its projects.
    expect((await ok(sim, jwt, 'GET', '/core/user/organization/member')).length).toBeGreaterThan(1);
    expect(
      (
        await call(sim, 'PUT', `/core/user/projects/${ids.projectIds[0]}`, {
          jwt,
          body: { description: 'ok' },
        })
      ).status,
    ).toBe(200);
  });

  it('shows a Member only its assigned projects', async () => {
    const jwt = await jwtFor(sim, 'member');
    const projects = await ok(sim, jwt, 'GET', '/core/user/organization/projects/byOrg');
    expect(projects.map((p: { id: string }) => p.id)).toEqual(sim.ids.projectIds.slice(0, 2));
    const r = await call(sim, 'GET', `/core/user/project/detail/${sim.ids.projectIds[2]}`, { jwt });
    expect(r.body).toEqual({ code: 403, status: 'error', message: 'you do not have access to this project' });
  });
});
