import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CloudStackSim, startCloudStackSim } from '../src/index.js';
import { call, login, ok, raw, signParams } from './helpers.js';

const SIG_FAIL = 'unable to verify user credentials and/or request signature';

let sim: CloudStackSim;
beforeAll(async () => {
  sim = await startCloudStackSim();
});
afterAll(() => sim.close());

function future(minutes: number): string {
  return `${new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 19)}Z`;
}

describe('signed requests', () => {
  it('accepts a signed GET', async () => {
    const r = await call(sim, { command: 'listZones' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(r.body.listzonesresponse.count).toBe(3);
    expect(r.body.listzonesresponse.zone.map((z: { name: string }) => z.name)).toEqual([
      'AMS1',
      'FRA1',
      'SIN1',
    ]);
  });

  it('accepts a signed POST form, with parameters split between query and body', async () => {
    const r = await call(sim, { command: 'listZones', name: 'FRA1' }, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.body.listzonesresponse.zone[0].name).toBe('FRA1');

    const { admin } = sim.credentials;
    const p = { command: 'listZones', name: 'SIN1', apiKey: admin.apiKey, response: 'json' };
    const signature = signParams(p, admin.secretKey);
    const res = await fetch(`${sim.url}?command=listZones&response=json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'SIN1', apiKey: admin.apiKey, signature }).toString(),
    });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { listzonesresponse: { zone: { name: string }[] } }).listzonesresponse.zone[0]!
        .name,
    ).toBe('SIN1');
  });

  it('rejects a wrong secret with the exact 401 body and X-Description', async () => {
    const r = await call(
      sim,
      { command: 'listZones' },
      { keys: { ...sim.credentials.admin, secretKey: 'wrong' } },
    );
    expect(r.status).toBe(401);
    expect(r.text).toBe(
      '{"listzonesresponse":{"uuidList":[],"errorcode":401,"errortext":"unable to verify user credentials and/or request signature"}}',
    );
    expect(r.headers.get('x-description')).toBe(SIG_FAIL);
  });

  it('rejects a parameter changed after signing', async () => {
    const { admin } = sim.credentials;
    const p = { command: 'listZones', name: 'AMS1', apiKey: admin.apiKey, response: 'json' };
    const signature = signParams(p, admin.secretKey);
    expect((await raw(sim, { ...p, signature })).status).toBe(200);
    const r = await raw(sim, { ...p, name: 'FRA1', signature });
    expect(r.status).toBe(401);
    expect(r.body.listzonesresponse.errortext).toBe(SIG_FAIL);
  });

  it('rejects unknown API keys, missing signatures and unknown commands', async () => {
    const unknownKey = await call(
      sim,
      { command: 'listZones' },
      { keys: { apiKey: 'nope', secretKey: 'x' } },
    );
    expect(unknownKey.status).toBe(401);
    const unsigned = await raw(sim, {
      command: 'listZones',
      apiKey: sim.credentials.admin.apiKey,
      response: 'json',
    });
    expect(unsigned.status).toBe(401);
    const unknownCommand = await call(sim, { command: 'listFooBars' });
    expect(unknownCommand.status).toBe(401);
    expect(unknownCommand.body.errorresponse.errortext).toBe(SIG_FAIL);
    // Command names are case-sensitive.
    expect((await call(sim, { command: 'listzones' })).status).toBe(401);
  });

  it('enforces expires for signatureversion=3 only', async () => {
    const v3 = (expires?: string, name = 'signatureversion') =>
      call(sim, { command: 'listZones', [name]: '3', ...(expires === undefined ? {} : { expires }) });
    expect((await v3(future(15))).status).toBe(200);
    expect((await v3(future(15), 'signatureVersion')).status).toBe(200);
    expect((await v3('2011-10-10T12:00:00+0530')).status).toBe(401);
    expect((await v3(future(-1))).status).toBe(401);
    expect((await v3()).status).toBe(401);
    expect((await v3('not-a-date')).status).toBe(401);
    expect((await v3(undefined, 'signatureVersion')).status).toBe(401);
    // Any other version ignores an expired timestamp.
    const v2 = await call(sim, {
      command: 'listZones',
      signatureversion: '2',
      expires: '2011-10-10T12:00:00+0530',
    });
    expect(v2.status).toBe(200);
  });
});

describe('roles', () => {
  it('answers 432 errorresponse to a normal user calling an admin-only command', async () => {
    const vm = (await ok(sim, { command: 'listVirtualMachines', name: 'alice-dev' }, { who: 'user' }))
      .virtualmachine[0];
    const r = await call(sim, { command: 'expungeVirtualMachine', id: vm.id }, { who: 'user' });
    expect(r.status).toBe(432);
    expect(r.body).toEqual({
      errorresponse: {
        uuidList: [],
        errorcode: 432,
        cserrorcode: 9999,
        errortext: 'The given command:expungeVirtualMachine does not exist or it is not available for user',
      },
    });
    expect(r.headers.get('x-description')).toBe(r.body.errorresponse.errortext);
    expect((await call(sim, { command: 'listHosts' }, { who: 'user' })).status).toBe(432);
    expect((await call(sim, { command: 'listHosts' })).body.listhostsresponse.count).toBe(6);
  });

  it('filters listApis by role and by name', async () => {
    const names = async (who: 'admin' | 'user') =>
      (await ok(sim, { command: 'listApis' }, { who })).api.map((a: { name: string }) => a.name);
    const admin = await names('admin');
    const user = await names('user');
    expect(admin).toEqual(
      expect.arrayContaining(['expungeVirtualMachine', 'listHosts', 'login', 'deployVirtualMachine']),
    );
    expect(user).not.toContain('expungeVirtualMachine');
    expect(user).not.toContain('listHosts');
    expect(user).toContain('deployVirtualMachine');

    const one = await ok(sim, { command: 'listApis', name: 'deployVirtualMachine' });
    expect(one.count).toBe(1);
    expect(one.api[0]).toMatchObject({ name: 'deployVirtualMachine', isasync: true, response: [] });
    expect(one.api[0].params).toContainEqual(
      expect.objectContaining({ name: 'zoneid', type: 'uuid', required: true, length: 255 }),
    );
    const hidden = await call(sim, { command: 'listApis', name: 'listHosts' }, { who: 'user' });
    expect(hidden.status).toBe(530);
  });
});

describe('login sessions', () => {
  it('logs in with POST and sets the session cookies', async () => {
    const { jsessionid, sessionkey, reply } = await login(sim, sim.credentials.admin);
    expect(reply.status).toBe(200);
    expect(reply.body.loginresponse).toMatchObject({
      username: 'admin',
      account: 'admin',
      type: '1',
      timeout: 1800,
      registered: 'false',
      sessionkey,
    });
    expect(sessionkey).toMatch(/^[A-Za-z0-9_-]{27}$/);
    const cookies = reply.headers.getSetCookie();
    expect(cookies).toContain(`JSESSIONID=${jsessionid}; Path=/client; HttpOnly`);
    expect(cookies).toContain(`sessionkey=${sessionkey};HttpOnly`);
    const alice = await login(sim, sim.credentials.user);
    expect(alice.reply.body.loginresponse.type).toBe('0');
  });

  it('answers bad credentials with 531', async () => {
    const r = await raw(
      sim,
      { command: 'login', username: 'admin', password: 'wrong', response: 'json' },
      { method: 'POST' },
    );
    expect(r.status).toBe(531);
    expect(r.text).toBe(
      '{"loginresponse":{"uuidList":[],"errorcode":531,"errortext":"Failed to authenticate user admin in domain 1; please provide valid credentials"}}',
    );
    const domain = await raw(
      sim,
      { command: 'login', username: 'admin', password: 'password', domain: 'nowhere', response: 'json' },
      { method: 'POST' },
    );
    expect(domain.status).toBe(531);
    expect(domain.body.loginresponse.errortext).toBe('Unable to find the domain from the path /nowhere/');
  });

  it('refuses login over GET', async () => {
    const r = await raw(sim, { command: 'login', username: 'admin', password: 'password', response: 'json' });
    expect(r.status).toBe(405);
    expect(r.text).toBe('Please use HTTP POST to authenticate using this API');
  });

  it('serves calls with JSESSIONID and the session key, by parameter or cookie', async () => {
    const { jsessionid, sessionkey } = await login(sim, sim.credentials.user);
    const byParam = await raw(
      sim,
      { command: 'listVirtualMachines', sessionkey, response: 'json' },
      { cookie: `JSESSIONID=${jsessionid}` },
    );
    expect(byParam.status).toBe(200);
    expect(
      byParam.body.listvirtualmachinesresponse.virtualmachine.every(
        (v: { account: string }) => v.account === 'alice',
      ),
    ).toBe(true);
    const byCookie = await raw(
      sim,
      { command: 'listZones', response: 'json' },
      { cookie: `JSESSIONID=${jsessionid}; sessionkey=${sessionkey}` },
    );
    expect(byCookie.status).toBe(200);
    const noKey = await raw(
      sim,
      { command: 'listZones', response: 'json' },
      { cookie: `JSESSIONID=${jsessionid}` },
    );
    expect(noKey.status).toBe(401);
  });

  it('rejects a wrong session key and drops the session', async () => {
    const { jsessionid, sessionkey } = await login(sim, sim.credentials.admin);
    const bad = await raw(
      sim,
      { command: 'listZones', sessionkey: 'forged', response: 'json' },
      { cookie: `JSESSIONID=${jsessionid}` },
    );
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({
      listzonesresponse: { uuidList: [], errorcode: 401, errortext: 'unable to verify user credentials' },
    });
    const after = await raw(
      sim,
      { command: 'listZones', sessionkey, response: 'json' },
      { cookie: `JSESSIONID=${jsessionid}` },
    );
    expect(after.status).toBe(401);
  });

  it('answers 432 for admin-only commands and unknown commands over a session', async () => {
    const { jsessionid, sessionkey } = await login(sim, sim.credentials.user);
    const cookie = `JSESSIONID=${jsessionid}`;
    const hosts = await raw(sim, { command: 'listHosts', sessionkey, response: 'json' }, { cookie });
    expect(hosts.status).toBe(432);
    const unknown = await raw(sim, { command: 'listFooBars', sessionkey, response: 'json' }, { cookie });
    expect(unknown.status).toBe(432);
    expect(unknown.body.errorresponse.errortext).toContain('command:listFooBars');
  });

  it('invalidates the session on logout', async () => {
    const { jsessionid, sessionkey } = await login(sim, sim.credentials.admin);
    const cookie = `JSESSIONID=${jsessionid}; sessionkey=${sessionkey}`;
    const out = await raw(sim, { command: 'logout', response: 'json' }, { cookie });
    expect(out.body).toEqual({ logoutresponse: { description: 'success' } });
    expect(out.headers.getSetCookie().some((c) => c.startsWith('JSESSIONID=;'))).toBe(true);
    const after = await raw(sim, { command: 'listZones', sessionkey, response: 'json' }, { cookie });
    expect(after.status).toBe(401);
  });

  it('expires sessions idle longer than the timeout', async () => {
    const short = await startCloudStackSim({ sessionTimeoutSec: 60 });
    try {
      const { jsessionid, sessionkey, reply } = await login(short, short.credentials.admin);
      expect(reply.body.loginresponse.timeout).toBe(60);
      const cookie = `JSESSIONID=${jsessionid}; sessionkey=${sessionkey}`;
      expect((await raw(short, { command: 'listZones', response: 'json' }, { cookie })).status).toBe(200);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61_000);
      expect((await raw(short, { command: 'listZones', response: 'json' }, { cookie })).status).toBe(401);
    } finally {
      vi.useRealTimers();
      await short.close();
    }
  });
});

describe('API keys', () => {
  it('lets a keyless user log in and register keys, which then sign requests', async () => {
    const { jsessionid, sessionkey } = await login(sim, sim.credentials.keyless);
    const cookie = `JSESSIONID=${jsessionid}; sessionkey=${sessionkey}`;
    const users = await raw(sim, { command: 'listUsers', response: 'json' }, { cookie });
    const bob = users.body.listusersresponse.user[0];
    expect(bob.username).toBe('bob');
    expect(bob.apikey).toBeUndefined();
    const before = await raw(sim, { command: 'getUserKeys', id: bob.id, response: 'json' }, { cookie });
    expect(before.body.getuserkeysresponse.userkeys).toEqual({ accounttype: 0 });

    const reg = await raw(
      sim,
      { command: 'registerUserKeys', id: bob.id, response: 'json' },
      { cookie, method: 'POST' },
    );
    const keys = reg.body.registeruserkeysresponse.userkeys;
    expect(keys.apikey).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const signed = await call(
      sim,
      { command: 'listZones' },
      { keys: { apiKey: keys.apikey, secretKey: keys.secretkey } },
    );
    expect(signed.status).toBe(200);
    const got = await raw(sim, { command: 'getUserKeys', id: bob.id, response: 'json' }, { cookie });
    expect(got.body.getuserkeysresponse.userkeys).toEqual({
      apikey: keys.apikey,
      secretkey: keys.secretkey,
      accounttype: 0,
    });
  });

  it('invalidates the old keys when new ones are registered', async () => {
    const own = await startCloudStackSim();
    try {
      const old = own.credentials.user;
      const me = (await ok(own, { command: 'listUsers' }, { who: 'user' })).user[0];
      const fresh = (await ok(own, { command: 'registerUserKeys', id: me.id }, { who: 'user' })).userkeys;
      expect(fresh.apikey).not.toBe(old.apiKey);
      expect((await call(own, { command: 'listZones' }, { keys: old })).status).toBe(401);
      expect(
        (
          await call(
            own,
            { command: 'listZones' },
            { keys: { apiKey: fresh.apikey, secretKey: fresh.secretkey } },
          )
        ).status,
      ).toBe(200);
      expect(own.credentials.user.apiKey).toBe(fresh.apikey);
    } finally {
      await own.close();
    }
  });

  it("does not let a user read another user's keys", async () => {
    const admin = (await ok(sim, { command: 'listUsers', username: 'admin' })).user[0];
    const r = await call(sim, { command: 'getUserKeys', id: admin.id }, { who: 'user' });
    expect(r.status).toBe(531);
    expect(r.body.getuserkeysresponse.cserrorcode).toBe(4365);
  });
});
