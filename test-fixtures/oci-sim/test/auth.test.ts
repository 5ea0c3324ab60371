import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as common from 'oci-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OciSim, startOciSim } from '../src/index.js';
import { apiKeyProvider, clients, NO_RETRY, ociError, raw, signRequest } from './helpers.js';

const UNAUTHENTICATED = {
  code: 'NotAuthenticated',
  message: 'The required information to complete authentication was not provided or was incorrect.',
};
const REQUEST_ID = /^[\w.:-]+\/[0-9A-F]{32}\/[0-9A-F]{32}$/;

let sim: OciSim;
let dir: string;
let compartment: string;

beforeAll(async () => {
  sim = await startOciSim();
  dir = mkdtempSync(join(tmpdir(), 'oci-sim-auth-'));
  compartment = sim.compartments[0]!.id;
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const lastEntry = () => sim.log.at(-1)!;

describe('API keys, as the real SDK signs', () => {
  it('accepts SimpleAuthenticationDetailsProvider and logs who called', async () => {
    const { ce } = clients(sim, apiKeyProvider(sim, sim.users.admin));
    const res = await ce.listClusters({ compartmentId: compartment });
    expect(res.items.map((c) => c.name)).toEqual(['oke-prod']);
    expect(res.opcRequestId).toMatch(REQUEST_ID);
    expect(lastEntry()).toMatchObject({
      operation: 'ListClusters',
      auth: 'api_key',
      principal: sim.users.admin.userId,
      status: 200,
    });
  });

  it('accepts a pass-phrase-encrypted key from a config file (ConfigFileAuthenticationDetailsProvider)', async () => {
    const written = sim.writeConfig(dir, {
      auth: 'api_key',
      user: 'reader',
      profile: 'ENC',
      passphrase: 'c0rrect-horse',
    });
    expect(readFileSync(written.keyFile, 'utf8')).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(statSync(written.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(written.configFile).mode & 0o777).toBe(0o600);
    const provider = new common.ConfigFileAuthenticationDetailsProvider(written.configFile, 'ENC');
    const { identity } = clients(sim, provider);
    const res = await identity.listCompartments({ compartmentId: sim.tenancyId });
    expect(res.items.map((c) => c.name)).toEqual(['production', 'development']);
    expect(lastEntry()).toMatchObject({ auth: 'api_key', principal: sim.users.reader.userId, status: 200 });
  });

  it('writes profiles side by side in one config file', () => {
    sim.writeConfig(dir, { auth: 'api_key', profile: 'ONE' });
    const { configFile } = sim.writeConfig(dir, {
      auth: 'api_key',
      user: 'reader',
      profile: 'TWO',
      region: 'us-phoenix-1',
    });
    const text = readFileSync(configFile, 'utf8');
    expect(text).toContain('[ONE]');
    expect(text).toContain(
      `[TWO]\nuser=${sim.users.reader.userId}\nfingerprint=${sim.users.reader.fingerprint}\n`,
    );
    expect(text).toContain('region=us-phoenix-1');
    expect(text).toContain('[ENC]');
    expect(text.match(/\[ENC\]/g)).toHaveLength(1);
  });

  it('refuses a key registered to another user (401 from the SDK as OciError)', async () => {
    const forged = { ...sim.users.admin, privateKeyPem: sim.users.reader.privateKeyPem };
    const { ce } = clients(sim, apiKeyProvider(sim, forged));
    const err = await ociError(ce.listClusters({ compartmentId: compartment }));
    expect(err).toMatchObject({
      statusCode: 401,
      serviceCode: 'NotAuthenticated',
      message: UNAUTHENTICATED.message,
    });
    expect(err.opcRequestId).toMatch(REQUEST_ID);
    expect(lastEntry()).toMatchObject({
      auth: 'api_key',
      authError: 'signature does not verify',
      status: 401,
    });
    expect(lastEntry().principal).toBeUndefined();
  });

  it('echoes the client opc-request-id as the first segment', async () => {
    const { ce } = clients(sim, apiKeyProvider(sim, sim.users.admin));
    const res = await ce.getCluster({ clusterId: sim.clusters[0]!.id, opcRequestId: 'MYTRACE1' });
    expect(res.opcRequestId).toMatch(/^MYTRACE1\/[0-9A-F]{32}\/[0-9A-F]{32}$/);
  });
});

describe('security tokens', () => {
  it('accepts SessionAuthDetailProvider with a session profile and refuses the token once expired', async () => {
    const written = sim.writeConfig(dir, { auth: 'security_token', profile: 'SESSION' });
    const config = readFileSync(written.configFile, 'utf8');
    expect(config).toContain(`security_token_file=${written.tokenFile}`);
    expect(statSync(written.tokenFile!).mode & 0o777).toBe(0o600);
    const provider = new common.SessionAuthDetailProvider(written.configFile, 'SESSION');
    const { ce } = clients(sim, provider);
    await ce.getCluster({ clusterId: sim.clusters[0]!.id });
    expect(lastEntry()).toMatchObject({ auth: 'session', principal: sim.users.admin.userId, status: 200 });

    const token = readFileSync(written.tokenFile!, 'utf8');
    expect(token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: sim.users.admin.userId, tenant: sim.tenancyId, ptype: 'user' });
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());

    sim.expireSession(token);
    const err = await ociError(ce.getCluster({ clusterId: sim.clusters[0]!.id }));
    expect(err).toMatchObject({ statusCode: 401, serviceCode: 'NotAuthenticated' });
    expect(lastEntry()).toMatchObject({ auth: 'session', authError: 'unknown or expired security token' });
  });

  it('refuses a token it never issued, and the right token with another key', async () => {
    const session = sim.createSession({ user: 'reader' });
    const url = `${sim.url}/20180222/clusters/${sim.clusters[0]!.id}`;
    const ok = await raw(url, {
      headers: signRequest({
        method: 'GET',
        url,
        keyId: `ST$${session.token}`,
        privateKeyPem: session.privateKeyPem,
      }),
    });
    expect(ok.status).toBe(200);
    expect(lastEntry()).toMatchObject({ auth: 'session', principal: sim.users.reader.userId });

    const unknown = await raw(url, {
      headers: signRequest({
        method: 'GET',
        url,
        keyId: 'ST$eyJub3QiOiJpc3N1ZWQifQ.e30.c2ln',
        privateKeyPem: session.privateKeyPem,
      }),
    });
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.text)).toEqual(UNAUTHENTICATED);

    const otherKey = await raw(url, {
      headers: signRequest({
        method: 'GET',
        url,
        keyId: `ST$${session.token}`,
        privateKeyPem: sim.users.reader.privateKeyPem,
      }),
    });
    expect(otherKey.status).toBe(401);
    expect(lastEntry().authError).toBe('signature does not verify');
  });

  it('refreshes a session: same key, new token, through the API and the handle', async () => {
    const first = sim.createSession();
    const second = sim.refreshSession(first.token);
    expect(second.token).not.toBe(first.token);
    expect(second.privateKeyPem).toBe(first.privateKeyPem);

    const url = `${sim.url}/v1/authentication/refresh`;
    const body = JSON.stringify({ currentToken: second.token });
    const res = await raw(url, {
      method: 'POST',
      body,
      headers: signRequest({
        method: 'POST',
        url,
        body,
        keyId: `ST$${second.token}`,
        privateKeyPem: second.privateKeyPem,
      }),
    });
    expect(res.status).toBe(200);
    const third = JSON.parse(res.text).token as string;
    const cluster = `${sim.url}/20180222/clusters/${sim.clusters[1]!.id}`;
    const withThird = await raw(cluster, {
      headers: signRequest({
        method: 'GET',
        url: cluster,
        keyId: `ST$${third}`,
        privateKeyPem: first.privateKeyPem,
      }),
    });
    expect(withThird.status).toBe(200);

    // Refreshing another token than the one signing is refused.
    const mismatch = JSON.stringify({ currentToken: first.token });
    const refused = await raw(url, {
      method: 'POST',
      body: mismatch,
      headers: signRequest({
        method: 'POST',
        url,
        body: mismatch,
        keyId: `ST$${second.token}`,
        privateKeyPem: second.privateKeyPem,
      }),
    });
    expect(refused.status).toBe(401);
  });
});

describe('bad signatures get 401 NotAuthenticated with an opc-request-id', () => {
  const url = () => `${sim.url}/20180222/clusters?compartmentId=${compartment}`;
  const admin = () => ({ keyId: sim.users.admin.keyId, privateKeyPem: sim.users.admin.privateKeyPem });

  async function expect401(
    reply: Promise<{ status: number; headers: Record<string, unknown>; text: string }>,
    reason: string,
  ) {
    const res = await reply;
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual(UNAUTHENTICATED);
    expect(res.headers['opc-request-id']).toMatch(REQUEST_ID);
    expect(lastEntry().authError).toBe(reason);
  }

  it('accepts what the test signer signs (the control case)', async () => {
    const res = await raw(url(), { headers: signRequest({ method: 'GET', url: url(), ...admin() }) });
    expect(res.status).toBe(200);
  });

  it('no Authorization header', async () => {
    await expect401(raw(url()), 'no Authorization header');
    expect(lastEntry().auth).toBe('none');
  });

  it('a tampered query', async () => {
    const headers = signRequest({ method: 'GET', url: url(), ...admin() });
    await expect401(raw(`${url()}&name=x`, { headers }), 'signature does not verify');
  });

  it('a tampered signature', async () => {
    const headers = signRequest({ method: 'GET', url: url(), ...admin() });
    headers.authorization = headers.authorization!.replace(
      /signature="(.)/,
      (_, c) => `signature="${c === 'A' ? 'B' : 'A'}`,
    );
    await expect401(raw(url(), { headers }), 'signature does not verify');
  });

  it('a required header left unsigned', async () => {
    const noHost = signRequest({
      method: 'GET',
      url: url(),
      ...admin(),
      headers: ['x-date', '(request-target)'],
    });
    await expect401(raw(url(), { headers: noHost }), 'host is not signed');
    const noDate = signRequest({
      method: 'GET',
      url: url(),
      ...admin(),
      headers: ['(request-target)', 'host'],
    });
    await expect401(raw(url(), { headers: noDate }), 'date is not signed');
    const body = JSON.stringify({ tokenVersion: '2.0.0' });
    const post = `${sim.url}/20180222/clusters/${sim.clusters[0]!.id}/kubeconfig/content`;
    const noSha = signRequest({
      method: 'POST',
      url: post,
      body,
      ...admin(),
      headers: ['x-date', '(request-target)', 'host', 'content-type', 'content-length'],
    });
    await expect401(raw(post, { method: 'POST', body, headers: noSha }), 'x-content-sha256 is not signed');
  });

  it('a signed header missing from the request', async () => {
    const headers = signRequest({
      method: 'GET',
      url: url(),
      ...admin(),
      headers: ['x-date', '(request-target)', 'host', 'opc-obo-token'],
    });
    await expect401(raw(url(), { headers }), 'signed header opc-obo-token is missing');
  });

  it('a date more than 5 minutes off, either way; 4 minutes is fine', async () => {
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    const old = signRequest({ method: 'GET', url: url(), ...admin(), date: at(-6) });
    await expect401(raw(url(), { headers: old }), 'x-date is more than 5 minutes off');
    const future = signRequest({ method: 'GET', url: url(), ...admin(), date: at(6) });
    await expect401(raw(url(), { headers: future }), 'x-date is more than 5 minutes off');
    const fine = await raw(url(), {
      headers: signRequest({ method: 'GET', url: url(), ...admin(), date: at(-4) }),
    });
    expect(fine.status).toBe(200);
  });

  it('a body that is not the one hashed', async () => {
    const post = `${sim.url}/20180222/clusters/${sim.clusters[0]!.id}/kubeconfig/content`;
    const headers = signRequest({
      method: 'POST',
      url: post,
      body: JSON.stringify({ tokenVersion: '2.0.0' }),
      ...admin(),
    });
    const other = JSON.stringify({ tokenVersion: '2.0.1' });
    await expect401(
      raw(post, { method: 'POST', body: other, headers }),
      'x-content-sha256 does not match the body',
    );
  });

  it('an unknown fingerprint and another tenancy', async () => {
    const unknownKey = signRequest({
      method: 'GET',
      url: url(),
      keyId: `${sim.tenancyId}/${sim.users.admin.userId}/00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff`,
      privateKeyPem: sim.users.admin.privateKeyPem,
    });
    await expect401(raw(url(), { headers: unknownKey }), 'no such API key');
    const otherTenancy = signRequest({
      method: 'GET',
      url: url(),
      keyId: sim.users.admin.keyId.replace(sim.tenancyId, 'ocid1.tenancy.oc1..aaaaaaaaother'),
      privateKeyPem: sim.users.admin.privateKeyPem,
    });
    await expect401(raw(url(), { headers: otherTenancy }), 'keyId names another tenancy');
  });

  it('parameters in any order pass; an unknown algorithm does not', async () => {
    const headers = signRequest({ method: 'GET', url: url(), ...admin() });
    const params = headers.authorization!.replace(/^Signature /, '').split(/,(?=[a-zA-Z]+=")/);
    headers.authorization = `Signature ${[...params].reverse().join(',')}`;
    expect((await raw(url(), { headers })).status).toBe(200);
    headers.authorization = headers.authorization.replace('rsa-sha256', 'hmac-sha256');
    await expect401(raw(url(), { headers }), 'algorithm must be rsa-sha256');
  });
});

describe('the reader', () => {
  it('reads, gets kubeconfigs, and cannot update a node pool (404 as IAM answers)', async () => {
    const { ce } = clients(sim, apiKeyProvider(sim, sim.users.reader), NO_RETRY);
    const pools = await ce.listNodePools({ compartmentId: compartment });
    const kubeconfig = await ce.createKubeconfig({
      clusterId: sim.clusters[0]!.id,
      createClusterKubeconfigContentDetails: { tokenVersion: '2.0.0' },
    });
    expect(kubeconfig.value).toBeDefined();
    const err = await ociError(
      ce.updateNodePool({
        nodePoolId: pools.items[0]!.id!,
        updateNodePoolDetails: { nodeConfigDetails: { size: 3 } },
      }),
    );
    expect(err).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });
});

it('keeps keys, tokens and signatures out of the request log', () => {
  const session = sim.createSession();
  const text = JSON.stringify(sim.log);
  expect(sim.log.length).toBeGreaterThan(10);
  for (const secret of [session.token.split('.')[2]!, 'signature=', 'PRIVATE KEY', 'ST$']) {
    expect(text).not.toContain(secret);
  }
});
