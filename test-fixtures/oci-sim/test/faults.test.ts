import { request } from 'node:http';
import type { ContainerEngineClient } from 'oci-containerengine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type OciSim, startOciSim } from '../src/index.js';
import { apiKeyProvider, clients, ociError, raw } from './helpers.js';

let sim: OciSim;
let ce: ContainerEngineClient;
let compartmentId: string;

beforeAll(async () => {
  sim = await startOciSim({ clusters: 1 });
  ({ ce } = clients(sim, apiKeyProvider(sim, sim.users.admin)));
  compartmentId = sim.clusters[0]!.compartmentId;
});
afterEach(() => sim.clearFaults());
afterAll(() => sim?.close());

describe('status faults answer in OCI shape', () => {
  it('429 TooManyRequests on one operation, with Retry-After, then normal service', async () => {
    sim.addFault({ kind: 'status', status: 429, operation: 'ListClusters', retryAfter: 2 });
    // Another operation is not hit.
    await ce.getCluster({ clusterId: sim.clusters[0]!.id });
    const err = await ociError(ce.listClusters({ compartmentId }));
    expect(err).toMatchObject({
      statusCode: 429,
      serviceCode: 'TooManyRequests',
      message: 'Too many requests for the user',
    });
    expect(err.opcRequestId).toBeDefined();
    expect(sim.log.at(-1)).toMatchObject({
      operation: 'ListClusters',
      status: 429,
      code: 'TooManyRequests',
      fault: 'status',
    });
    expect((await ce.listClusters({ compartmentId })).items).toHaveLength(1);
  });

  it('500 InternalServerError by path, several times', async () => {
    sim.addFault({ kind: 'status', status: 500, path: '/nodePools', times: 2 });
    for (let i = 0; i < 2; i++) {
      expect(await ociError(ce.listNodePools({ compartmentId }))).toMatchObject({
        statusCode: 500,
        serviceCode: 'InternalServerError',
      });
    }
    expect((await ce.listNodePools({ compartmentId })).items.length).toBeGreaterThan(0);
  });

  it('a code and message of the test’s choosing', async () => {
    sim.addFault({
      kind: 'status',
      status: 409,
      code: 'IncorrectState',
      message: 'The cluster is busy',
      operation: 'GetCluster',
    });
    expect(await ociError(ce.getCluster({ clusterId: sim.clusters[0]!.id }))).toMatchObject({
      statusCode: 409,
      serviceCode: 'IncorrectState',
      message: 'The cluster is busy',
    });
  });

  it('a status OCI has no code for comes from the proxy as HTML', async () => {
    sim.addFault({ kind: 'status', status: 502 });
    const res = await raw(`${sim.url}/20180222/clusters`);
    expect(res.status).toBe(502);
    expect(res.text).toContain('<center><h1>502 Bad Gateway</h1></center>');
  });

  it('comes before authentication, as an overloaded front door answers', async () => {
    sim.addFault({ kind: 'status', status: 503 });
    const res = await raw(`${sim.url}/20180222/clusters`);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toEqual({
      code: 'ServiceUnavailable',
      message: 'Service is temporarily unavailable',
    });
    expect(res.headers['opc-request-id']).toBeDefined();
  });

  it('the SDK’s default retry gets through a single 429 (a real client honouring the answer)', async () => {
    sim.addFault({ kind: 'status', status: 429, operation: 'GetCluster' });
    const { ce: retrying } = clients(sim, apiKeyProvider(sim, sim.users.admin), {});
    const before = sim.log.length;
    const res = await retrying.getCluster({ clusterId: sim.clusters[0]!.id });
    expect(res.cluster.name).toBe('oke-prod');
    expect(sim.log.slice(before).map((e) => e.status)).toEqual([429, 200]);
  });
});

describe('transport faults', () => {
  it('malformed: a 200 whose JSON is cut short fails to parse in the SDK', async () => {
    sim.addFault({ kind: 'malformed', operation: 'ListClusters' });
    await expect(ce.listClusters({ compartmentId })).rejects.toThrow(/JSON|Unexpected end/);
  });

  it('reset: the connection drops', async () => {
    sim.addFault({ kind: 'reset', operation: 'ListClusters' });
    await expect(ce.listClusters({ compartmentId })).rejects.toThrow();
    expect(sim.log.at(-1)).toMatchObject({ status: 0, fault: 'reset' });
  });

  it('latency: answered normally afterwards', async () => {
    sim.addFault({ kind: 'latency', ms: 20, operation: 'ListClusters' });
    expect((await ce.listClusters({ compartmentId })).items).toHaveLength(1);
    expect(sim.log.at(-1)).toMatchObject({ status: 200, fault: 'latency' });
  });

  it('hang: never answered while the client waits', async () => {
    sim.addFault({ kind: 'hang', operation: 'Unknown' });
    const outcome = await new Promise<string>((resolve) => {
      const req = request(`${sim.url}/nowhere`, (res) => resolve(`answered ${res.statusCode}`));
      req.setTimeout(100, () => {
        req.destroy();
        resolve('gave up');
      });
      req.on('error', () => undefined);
      req.end();
    });
    expect(outcome).toBe('gave up');
    expect(sim.log.at(-1)).toMatchObject({ operation: 'Unknown', status: 0, fault: 'hang' });
  });
});

describe('the /__sim/ admin endpoints', () => {
  it('arms faults, shows the log and advances work requests', async () => {
    const arm = await raw(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'status', status: 429, operation: 'ListCompartments', times: 'Infinity' }),
    });
    expect(arm.status).toBe(204);
    for (let i = 0; i < 2; i++) {
      expect((await raw(`${sim.url}/20160918/compartments?compartmentId=${sim.tenancyId}`)).status).toBe(429);
    }
    expect((await raw(`${sim.url}/__sim/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await raw(`${sim.url}/20160918/compartments?compartmentId=${sim.tenancyId}`)).status).toBe(401);

    const log = JSON.parse((await raw(`${sim.url}/__sim/log`)).text);
    expect(log.at(-1)).toMatchObject({
      operation: 'ListCompartments',
      status: 401,
      authError: 'no Authorization header',
    });
    expect(JSON.parse((await raw(`${sim.url}/__sim/advance`, { method: 'POST' })).text)).toEqual({
      advanced: 0,
    });
    const badFault = await raw(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'explode' }),
    });
    expect(badFault.status).toBe(400);
    expect((await raw(`${sim.url}/__sim/log`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.log).toHaveLength(0);
  });
});
