/**
 * The lean credentials path (src/auth/): every kubeconfig user kind that needs no plugin — token, token file,
 * client certificate and key (data and files), basic auth, the CA (data and file), insecure-skip-tls-verify,
 * tls-server-name, `as` — over real TLS, against kube-sim (which authenticates bearer tokens) and a recording
 * HTTPS server with a kube-sim-issued certificate (which shows what arrived: headers and the client
 * certificate). None of it loads @kubernetes/client-node; an auth provider does (the last test).
 */

import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { ToolError } from '@cloudmcp/toolkit';
import { issueServingCertificate, type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { leanConnection } from '../src/auth/connection.js';
import { leanMaterial } from '../src/auth/lean.js';
import { KubeApiError } from '../src/errors.js';
import { type KubeconfigDocument, KubeTargets } from '../src/targets.js';
import { kubeFetch } from '../src/transport.js';

const loads = vi.hoisted(() => ({ clientNode: 0 }));
vi.mock('@kubernetes/client-node', async (importOriginal) => {
  loads.clientNode++;
  return importOriginal();
});

interface Seen {
  authorization?: string;
  impersonate?: string;
  peer?: string;
}

let sim: KubeSim;
let dir: string;
let recorder: https.Server;
let recorderUrl: string;
const seen: Seen[] = [];
let caPem: string;
let client: { certPem: string; keyPem: string; fingerprint: string };

const b64 = (text: string) => Buffer.from(text).toString('base64');

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 1 });
  caPem = sim.clusters[0]!.caPem;
  dir = mkdtempSync(join(tmpdir(), 'lean-auth-'));
  const serving = issueServingCertificate(caPem, 'recorder', ['127.0.0.1', 'recorder.test']);
  const issued = issueServingCertificate(caPem, 'lean-client', ['lean-client.test']);
  client = { ...issued, fingerprint: new X509Certificate(issued.certPem).fingerprint256 };
  recorder = https.createServer(
    { key: serving.keyPem, cert: serving.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      seen.push({
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(req.headers['impersonate-user'] ? { impersonate: String(req.headers['impersonate-user']) } : {}),
        ...(peer?.fingerprint256 ? { peer: peer.fingerprint256 } : {}),
      });
      res.setHeader('content-type', 'application/json');
      res.end('{"kind":"NamespaceList","apiVersion":"v1","items":[]}');
    },
  );
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  recorderUrl = `https://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sim?.close();
  await new Promise((resolve) => recorder?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** A one-context kubeconfig document. */
function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>): KubeconfigDocument {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  };
}

const simCluster = () => ({ server: sim.clusters[0]!.url, 'certificate-authority-data': b64(caPem) });
const recorderCluster = () => ({ server: recorderUrl, 'certificate-authority-data': b64(caPem) });

/** Lists namespaces through KubeTargets → KubeClient, the way the tools do. */
async function namespaces(doc: KubeconfigDocument): Promise<string[]> {
  const targets = new KubeTargets(doc, { retries: 0 });
  try {
    const list = await (await targets.client()).getJson<{ items: Array<{ metadata: { name: string } }> }>(
      '/api/v1/namespaces',
    );
    return list.items.map((n) => n.metadata.name);
  } finally {
    targets.close();
  }
}

/** What the recording server saw for one request with `user` (and cluster fields on top of the recorder's). */
async function recorded(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): Promise<Seen> {
  seen.length = 0;
  await namespaces(kubeconfig({ ...recorderCluster(), ...cluster }, user));
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

describe('against kube-sim (bearer tokens, its CA)', () => {
  it('a token and the CA as data', async () => {
    const names = await namespaces(kubeconfig(simCluster(), { token: sim.clusters[0]!.tokens.admin }));
    expect(names).toContain('kube-system');
  });

  it('the CA as a file', async () => {
    const cluster = { server: sim.clusters[0]!.url, 'certificate-authority': file('ca.crt', caPem) };
    expect(await namespaces(kubeconfig(cluster, { token: sim.clusters[0]!.tokens.admin }))).toContain(
      'default',
    );
  });

  it("a token file (kubectl's tokenFile and client-node's token-file), trimmed", async () => {
    const path = file('token', `${sim.clusters[0]!.tokens.admin}\n`);
    expect(await namespaces(kubeconfig(simCluster(), { tokenFile: path }))).toContain('default');
    expect(await namespaces(kubeconfig(simCluster(), { 'token-file': path }))).toContain('default');
  });

  it('a token file is read again after a minute, not before', async () => {
    const path = file('rotating', 'not-a-valid-token');
    let now = 1_000_000;
    const material = leanMaterial(simCluster(), { tokenFile: path }, { now: () => now });
    const status = async () => {
      const own = await material!();
      const f = kubeFetch(() => own);
      const res = await f.fetch(`${sim.clusters[0]!.url}/api/v1/namespaces`, { headers: own.headers });
      f.close();
      return res.status;
    };
    expect(await status()).toBe(401);
    writeFileSync(path, sim.clusters[0]!.tokens.admin);
    now += 59_000;
    expect(await status()).toBe(401);
    now += 2_000;
    expect(await status()).toBe(200);
  });

  it('a wrong token is the API server’s 401, not a transport error', async () => {
    await expect(namespaces(kubeconfig(simCluster(), { token: 'wrong' }))).rejects.toBeInstanceOf(
      KubeApiError,
    );
  });

  it('tls-server-name: a name the certificate holds connects to its address, another does not', async () => {
    const token = sim.clusters[0]!.tokens.admin;
    expect(
      await namespaces(kubeconfig({ ...simCluster(), 'tls-server-name': 'kubernetes' }, { token })),
    ).toContain('default');
    await expect(
      namespaces(kubeconfig({ ...simCluster(), 'tls-server-name': 'elsewhere.example' }, { token })),
    ).rejects.toThrow(/ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it('insecure-skip-tls-verify connects without a CA; without it the certificate is refused', async () => {
    const token = sim.clusters[0]!.tokens.admin;
    const server = sim.clusters[0]!.url;
    expect(await namespaces(kubeconfig({ server, 'insecure-skip-tls-verify': true }, { token }))).toContain(
      'default',
    );
    await expect(namespaces(kubeconfig({ server }, { token }))).rejects.toThrow(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    );
  });

  it('an http:// server without insecure-skip-tls-verify is not used (as client-node refuses it)', async () => {
    await expect(namespaces(kubeconfig({ server: 'http://127.0.0.1:9' }, { token: 't' }))).rejects.toThrow(
      /Could not get credentials/,
    );
  });
});

describe('what arrives (recording server)', () => {
  it('a client certificate and key as data', async () => {
    const got = await recorded({
      'client-certificate-data': b64(client.certPem),
      'client-key-data': b64(client.keyPem),
    });
    expect(got).toEqual({ peer: client.fingerprint });
  });

  it('a client certificate and key as files', async () => {
    const got = await recorded({
      'client-certificate': file('client.crt', client.certPem),
      'client-key': file('client.key', client.keyPem),
    });
    expect(got).toEqual({ peer: client.fingerprint });
  });

  it('basic auth, which wins over a token (as in client-node)', async () => {
    const got = await recorded({ username: 'ann', password: 's3cret', token: 'tok' });
    expect(got.authorization).toBe(`Basic ${b64('ann:s3cret')}`);
  });

  it('a token with a certificate: both', async () => {
    const got = await recorded({
      token: 'tok-123',
      'client-certificate-data': b64(client.certPem),
      'client-key-data': b64(client.keyPem),
    });
    expect(got).toEqual({ authorization: 'Bearer tok-123', peer: client.fingerprint });
  });

  it('`as` is sent as Impersonate-User (as client-node does)', async () => {
    expect(await recorded({ token: 'tok', as: 'jane' })).toEqual({
      authorization: 'Bearer tok',
      impersonate: 'jane',
    });
  });

  it('a missing file names the file and the reason, never content', async () => {
    const error: unknown = await namespaces(
      kubeconfig(recorderCluster(), {
        'client-certificate': join(dir, 'nope.crt'),
        'client-key': join(dir, 'nope.key'),
      }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).details.upstreamMessage).toMatch(/nope\.(crt|key) cannot be read \(ENOENT\)/);
  });

  it('a credential source with a user of its own credentials is refused; with none, its token is sent', async () => {
    const source = { get: async () => ({ token: 'from-source' }), invalidate: () => {} };
    expect(() =>
      leanConnection(kubeconfig(recorderCluster(), { token: 'own' }), 'ctx', 'ctx', source),
    ).toThrow(/credentials of its own/);
    seen.length = 0;
    const targets = new KubeTargets([], { retries: 0 });
    targets.set('t', kubeconfig(recorderCluster(), {}), source);
    await (await targets.client('t')).getJson('/api/v1/namespaces');
    targets.close();
    expect(seen).toEqual([{ authorization: 'Bearer from-source' }]);
  });
});

describe('client-node', () => {
  it('is not loaded for any of the above, nor by warm() for such targets', async () => {
    const targets = new KubeTargets(kubeconfig(simCluster(), { token: sim.clusters[0]!.tokens.admin }));
    await targets.warm();
    targets.close();
    expect(loads.clientNode).toBe(0);
  });

  it('is loaded for an auth provider (OIDC refreshes there)', async () => {
    const doc = kubeconfig(simCluster(), {
      'auth-provider': {
        name: 'oidc',
        config: { 'id-token': sim.clusters[0]!.tokens.admin, 'idp-issuer-url': 'https://issuer.invalid' },
      },
    });
    const targets = new KubeTargets(doc, { retries: 0 });
    await targets.client().catch(() => undefined);
    targets.close();
    expect(loads.clientNode).toBe(1);
  });
});
