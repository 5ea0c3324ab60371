/**
 * The in-cluster loader: a pod's service account (a temporary root standing in for
 * /var/run/secrets/kubernetes.io/serviceaccount) against kube-sim, with tokens minted through its
 * serviceaccounts/token API and rotated the way the kubelet rotates projected tokens.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ToolError } from '@cloudmcp/toolkit';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  IN_CLUSTER,
  type InClusterOptions,
  inClusterKubeconfig,
  KubeTargets,
  SERVICE_ACCOUNT_DIR,
  withCredential,
} from '../src/index.js';

let sim: KubeSim;
/** Service-account tokens kube-sim minted, by service account. */
const minted: Record<'reader-a' | 'reader-b', string> = { 'reader-a': '', 'reader-b': '' };
let root: string;
let dir: string;

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 1, seed: 'empty' });
  const admin = await new KubeTargets(sim.kubeconfig(), { retries: 0 }).client();
  for (const name of Object.keys(minted) as Array<keyof typeof minted>) {
    await admin.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/serviceaccounts',
      body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } },
    });
    const { body } = await admin.request<{ status: { token: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/default/serviceaccounts/${name}/token`,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    });
    minted[name] = body.status.token;
  }
  admin.close();
});
afterAll(async () => {
  await sim?.close();
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'in-cluster-'));
  dir = join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.crt'), sim.clusters[0]!.caPem);
  writeFileSync(join(dir, 'namespace'), 'default');
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const podEnv = (host = '127.0.0.1', port = String(sim.clusters[0]!.port)) => ({
  KUBERNETES_SERVICE_HOST: host,
  KUBERNETES_SERVICE_PORT: port,
});

/**
 * Writes the token as the kubelet writes a projected volume: the files live in a timestamped directory,
 * `..data` links to it and `token` to `..data/token`; a rotation makes a new directory and renames a new
 * `..data` link over the old one, so a reader sees the old file or the new one, never half of either.
 */
let generation = 0;
function projectToken(token: string): void {
  const fresh = `..${++generation}_projected`;
  mkdirSync(join(dir, fresh));
  writeFileSync(join(dir, fresh, 'token'), token);
  symlinkSync(fresh, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  try {
    symlinkSync('..data/token', join(dir, 'token'));
  } catch {
    // the link already points through ..data
  }
}

function load(opts: Partial<InClusterOptions> = {}) {
  return inClusterKubeconfig({ root, env: podEnv(), ...opts });
}

function targetsOf(loaded: ReturnType<typeof inClusterKubeconfig>): KubeTargets {
  const kube = new KubeTargets([], { retries: 0 });
  kube.set(IN_CLUSTER, loaded.source, loaded.credentials);
  return kube;
}

async function whoami(kube: KubeTargets): Promise<string> {
  const client = await kube.client();
  const { body } = await client.request<{ status: { userInfo: { username: string } } }>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return body.status.userInfo.username;
}

const configError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('no ConfigError');
};

describe('inClusterKubeconfig', () => {
  it('builds one in-cluster context from the service environment and the mounted files', () => {
    projectToken(minted['reader-a']);
    writeFileSync(join(dir, 'namespace'), 'team-a\n');
    const loaded = load();
    expect(loaded.namespace).toBe('team-a');
    expect(loaded.source).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'in-cluster',
          cluster: {
            server: `https://127.0.0.1:${sim.clusters[0]!.port}`,
            'certificate-authority-data': Buffer.from(sim.clusters[0]!.caPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'in-cluster', user: {} }],
      contexts: [
        { name: 'in-cluster', context: { cluster: 'in-cluster', user: 'in-cluster', namespace: 'team-a' } },
      ],
      'current-context': 'in-cluster',
    });
    // the token is the credential source's, never the document's
    expect(JSON.stringify(loaded.source)).not.toContain(minted['reader-a']);
  });

  it("authenticates as the pod's service account against the API server", async () => {
    projectToken(minted['reader-a']);
    const kube = targetsOf(load());
    expect(await whoami(kube)).toBe('system:serviceaccount:default:reader-a');
    expect((await kube.client()).defaultNamespace).toBe('default');
    kube.close();
  });

  it('uses a rotated token within seconds: the file is read again once 5 s have passed', async () => {
    let now = 0;
    projectToken(minted['reader-a']);
    const kube = targetsOf(load({ now: () => now }));
    expect(await whoami(kube)).toBe('system:serviceaccount:default:reader-a');
    projectToken(minted['reader-b']); // the kubelet rotates the token
    now += 4_999;
    expect(await whoami(kube)).toBe('system:serviceaccount:default:reader-a'); // the old one is still valid
    now += 1;
    expect(await whoami(kube)).toBe('system:serviceaccount:default:reader-b');
    kube.close();
  });

  it('reads the file again at once after a 401, and sends the request once more', async () => {
    const now = 0; // the clock stands still: only the 401 makes it read the file
    projectToken('a-revoked-token');
    const kube = targetsOf(load({ now: () => now }));
    await expect(whoami(kube)).rejects.toMatchObject({ code: 401 });
    projectToken(minted['reader-b']);
    const before = sim.clusters[0]!.log.length;
    expect(await whoami(kube)).toBe('system:serviceaccount:default:reader-b');
    expect(sim.clusters[0]!.log.slice(before).map((e) => e.status)).toEqual([401, 201]);
    kube.close();
  });

  it('answers with a tool error naming the file (not its content) when the token goes missing', async () => {
    let now = 0;
    projectToken(minted['reader-a']);
    const kube = targetsOf(load({ now: () => now }));
    await whoami(kube);
    unlinkSync(join(dir, 'token'));
    now += 5_000;
    const error = await whoami(kube).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toBe(
      'Could not get credentials for context "in-cluster" from its credential source.',
    );
    expect((error as ToolError).details.upstreamMessage).toBe(
      `the service-account token could not be read: ${join(dir, 'token')} does not exist (is a service account mounted in this pod?)`,
    );
    kube.close();
  });

  it('says clearly when this is not a pod, or the pod has no service account', () => {
    expect(configError(() => inClusterKubeconfig({ root, env: {} }))).toBe(
      'not running in a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set',
    );
    expect(
      configError(() => inClusterKubeconfig({ root, env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' } })),
    ).toBe('not running in a Kubernetes pod: KUBERNETES_SERVICE_PORT is not set');
    expect(configError(() => load())).toBe(
      `no service-account token: ${join(dir, 'token')} does not exist (is a service account mounted in this pod?)`,
    );
    writeFileSync(join(dir, 'token'), '\n');
    expect(configError(() => load())).toBe(`no service-account token: ${join(dir, 'token')} is empty`);
    writeFileSync(join(dir, 'token'), 'tøken-secret-4711');
    const message = configError(() => load());
    expect(message).toBe(
      `no service-account token: ${join(dir, 'token')} does not hold a token (not printable ASCII)`,
    );
    writeFileSync(join(dir, 'token'), minted['reader-a']);
    rmSync(join(dir, 'ca.crt'));
    expect(configError(() => load())).toBe(
      `no cluster CA: ${join(dir, 'ca.crt')} does not exist (is a service account mounted in this pod?)`,
    );
    writeFileSync(join(dir, 'ca.crt'), 'not a certificate');
    expect(configError(() => load())).toBe(`no cluster CA: ${join(dir, 'ca.crt')} holds no PEM certificate`);
  });

  it('brackets IPv6 service hosts and refuses hosts and ports that are not', () => {
    writeFileSync(join(dir, 'token'), minted['reader-a']);
    const server = (host: string, port = '443') =>
      load({ env: podEnv(host, port) }).source.clusters![0]!.cluster['server'];
    expect(server('fd00:10:96::1')).toBe('https://[fd00:10:96::1]:443');
    expect(server('[fd00:10:96::1]')).toBe('https://[fd00:10:96::1]:443');
    expect(server('10.96.0.1', '6443')).toBe('https://10.96.0.1:6443');
    expect(server('kubernetes.default.svc')).toBe('https://kubernetes.default.svc:443');
    expect(configError(() => server('10.96.0.1/evil'))).toBe(
      'KUBERNETES_SERVICE_HOST "10.96.0.1/evil" is not a host name or IP address',
    );
    expect(configError(() => server('user@10.96.0.1'))).toMatch(/is not a host name or IP address$/);
    expect(configError(() => server('10.96.0.1', '0'))).toBe(
      'KUBERNETES_SERVICE_PORT "0" is not a port number (1-65535)',
    );
    expect(configError(() => server('10.96.0.1', '443/x'))).toMatch(/is not a port number/);
  });

  it('takes the namespace from POD_NAMESPACE, then the file, else default', () => {
    writeFileSync(join(dir, 'token'), minted['reader-a']);
    expect(load({ env: { ...podEnv(), POD_NAMESPACE: 'from-env' } }).namespace).toBe('from-env');
    expect(load().namespace).toBe('default');
    rmSync(join(dir, 'namespace'));
    expect(load().namespace).toBe('default');
    writeFileSync(join(dir, 'namespace'), 'Not_A_Namespace');
    expect(configError(() => load())).toBe(
      `the pod's namespace in ${join(dir, 'namespace')} is not a namespace name`,
    );
  });
});

describe('withCredential', () => {
  it("puts a source's credential into the current context's user, for a CLI child", () => {
    writeFileSync(join(dir, 'token'), minted['reader-a']);
    const { source } = load();
    const withToken = withCredential(source, { token: 'tok-1', expiresAt: 5 });
    expect(withToken.users).toEqual([{ name: 'in-cluster', user: { token: 'tok-1' } }]);
    expect(source.users).toEqual([{ name: 'in-cluster', user: {} }]); // the original is unchanged
    const withCert = withCredential(source, { clientCertificateData: 'CERT PEM', clientKeyData: 'KEY PEM' });
    expect(withCert.users![0]!.user).toEqual({
      'client-certificate-data': Buffer.from('CERT PEM').toString('base64'),
      'client-key-data': Buffer.from('KEY PEM').toString('base64'),
    });
  });
});
