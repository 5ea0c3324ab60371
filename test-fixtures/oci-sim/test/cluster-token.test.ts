import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClusterToken } from '../src/cluster-token.js';
import { type OciSim, startOciSim } from '../src/index.js';
import { Keyring } from '../src/keyring.js';
import { Sessions } from '../src/sessions.js';
import { apiKeyProvider, clients, clusterToken, kubeGet } from './helpers.js';

let sim: OciSim;

beforeAll(async () => {
  sim = await startOciSim();
});
afterAll(() => sim?.close());

const first = () => sim.clusters[0]!;
const second = () => sim.clusters[1]!;
const tokenFor = (user: 'admin' | 'reader', o: Partial<Parameters<typeof clusterToken>[0]> = {}) =>
  clusterToken({
    clusterId: first().id,
    region: sim.region,
    keyId: sim.users[user].keyId,
    privateKeyPem: sim.users[user].privateKeyPem,
    ...o,
  });

describe('OKE cluster tokens at the cluster API server', () => {
  it('accepts a token signed by the admin API key as the user OCID in system:masters', async () => {
    const token = tokenFor('admin');
    const nodes = await kubeGet(first().kube, '/api/v1/nodes', token);
    expect(nodes.status).toBe(200);
    expect(JSON.parse(nodes.text).items.length).toBeGreaterThan(0);
    expect(first().kube.log.at(-1)?.user).toBe(sim.users.admin.userId);
    const secrets = await kubeGet(first().kube, '/api/v1/secrets', token);
    expect(secrets.status).toBe(200);
  });

  it('maps the reader to the seeded view binding: reads pods, not secrets', async () => {
    const token = tokenFor('reader');
    expect((await kubeGet(first().kube, '/api/v1/pods', token)).status).toBe(200);
    const secrets = await kubeGet(first().kube, '/api/v1/secrets', token);
    expect(secrets.status).toBe(403);
    expect(JSON.parse(secrets.text).message).toContain(
      `User "${sim.users.reader.userId}" cannot list resource "secrets"`,
    );
  });

  it('accepts standard base64 as well as base64url, and a token signed with a session key', async () => {
    expect(
      (await kubeGet(first().kube, '/api/v1/namespaces', tokenFor('admin', { encoding: 'base64' }))).status,
    ).toBe(200);
    const session = sim.createSession({ user: 'reader' });
    const token = tokenFor('reader', { keyId: `ST$${session.token}`, privateKeyPem: session.privateKeyPem });
    expect((await kubeGet(first().kube, '/api/v1/namespaces', token)).status).toBe(200);
    sim.expireSession(session.token);
    expect((await kubeGet(first().kube, '/api/v1/namespaces', token)).status).toBe(401);
  });

  it('counts distinct accepted tokens per cluster', async () => {
    const before = sim.clusterTokenChecks.get(second().id)!;
    const token = clusterToken({
      clusterId: second().id,
      region: sim.region,
      keyId: sim.users.admin.keyId,
      privateKeyPem: sim.users.admin.privateKeyPem,
    });
    for (let i = 0; i < 3; i++)
      expect((await kubeGet(second().kube, '/api/v1/pods', token)).status).toBe(200);
    expect(sim.clusterTokenChecks.get(second().id)).toBe(before + 1);
    const refused = tokenFor('admin', { date: new Date(Date.now() - 10 * 60_000) });
    expect((await kubeGet(second().kube, '/api/v1/pods', refused)).status).toBe(401);
    expect(sim.clusterTokenChecks.get(second().id)).toBe(before + 1);
  });

  it('refuses tampered, stale, misdirected and malformed tokens with 401', async () => {
    const good = Buffer.from(tokenFor('admin'), 'base64url').toString();
    const encode = (url: string) => Buffer.from(url).toString('base64url');
    const bad = {
      tampered: encode(
        good.replace(/signature%3D%22(.)/, (_, c) => `signature%3D%22${c === 'A' ? 'B' : 'A'}`),
      ),
      stale: tokenFor('admin', { date: new Date(Date.now() - 6 * 60_000) }),
      future: tokenFor('admin', { date: new Date(Date.now() + 6 * 60_000) }),
      otherCluster: tokenFor('admin', { clusterId: second().id }),
      otherRegion: tokenFor('admin', { region: 'us-phoenix-1' }),
      otherHost: tokenFor('admin', { host: `containerengine.${sim.region}.oci.oraclecloud.com` }),
      plainHttp: encode(good.replace('https://', 'http://')),
      extraParam: encode(`${good}&opc-obo-token=x`),
      notBase64: 'kubesim-not-an-oke-token',
    };
    for (const [what, token] of Object.entries(bad)) {
      const { status } = await kubeGet(first().kube, '/api/v1/pods', token);
      expect({ what, status }).toEqual({ what, status: 401 });
    }
    // The built-in kube-sim tokens still work next to the hook.
    expect((await kubeGet(first().kube, '/api/v1/pods', first().kube.tokens.view)).status).toBe(200);
  });
});

describe('verifyClusterToken', () => {
  // A keyring of its own, with the admin's key only, makes the reasons observable without the server.
  let keyring: Keyring;
  beforeAll(() => {
    keyring = new Keyring(sim.tenancyId, new Sessions(sim.tenancyId));
    keyring.addUser(sim.users.admin, 'admin');
  });
  const cluster = () => ({ id: first().id, region: sim.region });

  it('returns the principal of a valid token and the reason for a bad one', () => {
    expect(verifyClusterToken(tokenFor('admin'), cluster(), keyring)).toEqual({
      userId: sim.users.admin.userId,
      role: 'admin',
      auth: 'api_key',
    });
    expect(verifyClusterToken(tokenFor('reader'), cluster(), keyring)).toBe('no such API key');
    expect(verifyClusterToken(tokenFor('admin', { clusterId: second().id }), cluster(), keyring)).toBe(
      'for another cluster',
    );
    expect(
      verifyClusterToken(tokenFor('admin', { date: new Date(Date.now() - 6 * 60_000) }), cluster(), keyring),
    ).toBe('expired or not yet valid');
    expect(verifyClusterToken(tokenFor('admin', { region: 'eu-frankfurt-1' }), cluster(), keyring)).toBe(
      `not a containerengine.${sim.region}.oraclecloud.com URL`,
    );
  });

  it('needs exactly date, (request-target) and host signed', () => {
    const url = Buffer.from(tokenFor('admin'), 'base64url').toString();
    const xdate = url.replace(
      'headers%3D%22date+%28request-target%29+host',
      'headers%3D%22x-date+%28request-target%29+host',
    );
    expect(xdate).not.toBe(url);
    expect(verifyClusterToken(Buffer.from(xdate).toString('base64url'), cluster(), keyring)).toBe(
      'must sign date, (request-target) and host',
    );
  });
});

describe('the kubeconfig from CreateKubeconfig', () => {
  it('reaches the cluster with an OKE token at the server and CA it names', async () => {
    const { ce } = clients(sim, apiKeyProvider(sim, sim.users.admin));
    const res = await ce.createKubeconfig({
      clusterId: first().id,
      createClusterKubeconfigContentDetails: { tokenVersion: '2.0.0', endpoint: 'PRIVATE_ENDPOINT' as never },
    });
    const text = await new Response(res.value as unknown as ReadableStream).text();
    const server = /server: (\S+)/.exec(text)![1]!;
    const caPem = Buffer.from(/certificate-authority-data: (\S+)/.exec(text)![1]!, 'base64').toString();
    const reply = await kubeGet({ url: server, caPem }, '/api/v1/namespaces/default/pods', tokenFor('admin'));
    expect(server).toBe(`https://localhost:${first().kube.port}`);
    expect(reply.status).toBe(200);
  });
});
