import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CloudStackSim, startCloudStackSim } from '../src/index.js';
import { call, login, ok, raw } from './helpers.js';

let sim: CloudStackSim;
beforeAll(async () => {
  sim = await startCloudStackSim();
});
afterEach(() => sim.clearFaults());
afterAll(() => sim.close());

const admin = (path: string, init: RequestInit = {}) =>
  fetch(sim.url.replace('/client/api', `/__sim/${path}`), init);
const lastEntry = () => sim.log.at(-1)!;

describe('fault injection', () => {
  it('delays a matching request, then answers it normally', async () => {
    sim.addFault({ command: 'listZones', kind: 'latency', ms: 150 });
    const t0 = performance.now();
    const r = await call(sim, { command: 'listZones' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(r.status).toBe(200);
    expect(r.body.listzonesresponse.count).toBe(3);
  });

  it('answers 429 with a CloudStack body and Retry-After, before authentication', async () => {
    sim.addFault({ command: 'listZones', kind: 'status', status: 429, retryAfter: 7 });
    const r = await raw(sim, { command: 'listZones', response: 'json' });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.body.listzonesresponse).toMatchObject({ uuidList: [], errorcode: 429, cserrorcode: 9999 });
    expect(r.body.listzonesresponse.errortext).toMatch(/^There are too many api calls/);
    expect(r.headers.get('x-description')).toBe(r.body.listzonesresponse.errortext);
  });

  it('answers 5xx as a proxy HTML page, `times` times, matching commands case-insensitively', async () => {
    sim.addFault({ command: 'LISTZONES', kind: 'status', status: 503, times: 2 });
    expect((await call(sim, { command: 'listTemplates', templatefilter: 'featured' })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const r = await call(sim, { command: 'listZones' });
      expect(r.status).toBe(503);
      expect(r.headers.get('content-type')).toBe('text/html');
      expect(r.text).toContain('<title>503 Service Unavailable</title>');
      expect(r.body).toBeUndefined();
    }
    expect((await call(sim, { command: 'listZones' })).status).toBe(200);
  });

  it('applies a fault without command to any request until cleared', async () => {
    sim.addFault({ kind: 'status', status: 502, times: Number.POSITIVE_INFINITY });
    expect((await call(sim, { command: 'listZones' })).status).toBe(502);
    expect((await call(sim, { command: 'listVolumes' })).status).toBe(502);
    sim.clearFaults();
    expect((await call(sim, { command: 'listVolumes' })).status).toBe(200);
  });

  it('resets the connection', async () => {
    sim.addFault({ command: 'listZones', kind: 'reset' });
    await expect(call(sim, { command: 'listZones' })).rejects.toThrow(TypeError);
    expect(lastEntry()).toMatchObject({ command: 'listZones', status: 0 });
  });

  it('hangs until the client gives up', async () => {
    sim.addFault({ command: 'listZones', kind: 'hang' });
    const signal = AbortSignal.timeout(200);
    const params = { command: 'listZones', response: 'json' };
    await expect(raw(sim, params, { signal })).rejects.toMatchObject({ name: 'TimeoutError' });
    const held = lastEntry();
    expect(held).toMatchObject({ command: 'listZones', status: 0 });
    // the client's abort reaches the simulator as the connection closing
    await vi.waitFor(() => expect(held.clientClosed).toBe(true));
    expect((await call(sim, { command: 'listZones' })).status).toBe(200);
    expect(lastEntry().clientClosed).toBeUndefined();
  });

  it('sends a truncated JSON body with status 200', async () => {
    sim.addFault({ command: 'listZones', kind: 'malformed' });
    const r = await call(sim, { command: 'listZones' });
    expect(r.status).toBe(200);
    expect(r.text.startsWith('{"listzonesresponse":')).toBe(true);
    expect(() => JSON.parse(r.text)).toThrow(SyntaxError);
  });
});

describe('request log', () => {
  it('records every request with secrets redacted', async () => {
    sim.log.length = 0;
    const { jsessionid, sessionkey } = await login(sim, sim.credentials.user);
    await call(sim, { command: 'listZones' });
    await raw(
      sim,
      { command: 'listZones', sessionkey, response: 'json' },
      { cookie: `JSESSIONID=${jsessionid}` },
    );
    await call(sim, { command: 'listZones' }, { keys: { apiKey: 'k', secretKey: 's' } });
    const [loginEntry, signed, session, rejected] = sim.log;
    expect(loginEntry).toMatchObject({ method: 'POST', command: 'login', auth: 'none', status: 200 });
    expect(loginEntry!.params).toMatchObject({ username: 'alice', password: '***' });
    expect(signed).toMatchObject({ method: 'GET', command: 'listZones', auth: 'signature', status: 200 });
    expect(signed!.params).toMatchObject({ apiKey: '***', signature: '***', response: 'json' });
    expect(session).toMatchObject({ auth: 'session', status: 200, params: { sessionkey: '***' } });
    expect(rejected).toMatchObject({ auth: 'signature', status: 401 });
    expect(JSON.stringify(sim.log)).not.toContain(sim.credentials.user.apiKey);
    expect(JSON.stringify(sim.log)).not.toContain(sessionkey);
  });
});

describe('admin endpoints', () => {
  it('serve the log, faults, config, job release and credentials over HTTP', async () => {
    expect((await admin('log', { method: 'DELETE' })).status).toBe(204);
    expect(sim.log).toHaveLength(0);

    const post = (path: string, body: unknown) =>
      admin(path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect((await post('faults', { command: 'listZones', kind: 'status', status: 502 })).status).toBe(204);
    expect((await call(sim, { command: 'listZones' })).status).toBe(502);
    expect((await post('faults', { kind: 'explode' })).status).toBe(400);
    expect((await post('faults', { kind: 'status', status: 500, times: 'Infinity' })).status).toBe(204);
    expect((await admin('faults', { method: 'DELETE' })).status).toBe(204);
    expect((await call(sim, { command: 'listZones' })).status).toBe(200);

    const log = (await (await admin('log')).json()) as { command: string; status: number }[];
    expect(log.map((e) => [e.command, e.status])).toEqual([
      ['listZones', 502],
      ['listZones', 200],
    ]);

    expect((await post('config', { jobSteps: 0 })).status).toBe(204);
    const vm = (await ok(sim, { command: 'listVirtualMachines', name: 'web-01' })).virtualmachine[0];
    const job = await ok(sim, { command: 'rebootVirtualMachine', id: vm.id });
    expect((await ok(sim, { command: 'queryAsyncJobResult', jobid: job.jobid })).jobstatus).toBe(1);

    expect((await post('config', { jobSteps: 'Infinity' })).status).toBe(204);
    const held = await ok(sim, { command: 'rebootVirtualMachine', id: vm.id });
    expect((await ok(sim, { command: 'queryAsyncJobResult', jobid: held.jobid })).jobstatus).toBe(0);
    expect((await post('release-jobs', {})).status).toBe(204);
    expect((await ok(sim, { command: 'queryAsyncJobResult', jobid: held.jobid })).jobstatus).toBe(1);
    expect((await post('config', { jobSteps: -1 })).status).toBe(400);
    sim.setJobSteps(2);

    expect(await (await admin('credentials')).json()).toEqual(sim.credentials);
    expect((await admin('nothing')).status).toBe(404);
  });
});
