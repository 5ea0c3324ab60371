import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OciSim } from 'oci-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN_CACHE, filesUnder, type OkeServer, seen, startOke, startSim, tempDir } from './harness.js';

// Canaries: the private keys (API key and session key), the session tokens and every cluster token appear
// in no tool output, no stderr line at --log-level debug and no file the server wrote. And no `oci` process
// is ever started: a fake `oci` first on PATH would leave a marker.

const KUBECTL_MISSING = existsSync(join(BIN_CACHE, 'kubectl'))
  ? undefined
  : `no kubectl in ${BIN_CACHE} (run \`bash scripts/fetch-kubectl.sh\`)`;
if (KUBECTL_MISSING) console.warn(`kubectl tool calls skipped: ${KUBECTL_MISSING}`);

let sim: OciSim;
let server: OkeServer;
let marker: string;
const tokens: string[] = [];

/** Every cluster token is the base64 of `https://containerengine.<region>.oraclecloud.com/cluster_request/…`. */
function clusterTokenPrefixes(region: string): string[] {
  const url = Buffer.from(`https://containerengine.${region}.oraclecloud.com/cluster_request/`);
  const whole = url.subarray(0, url.length - (url.length % 3)); // whole base64 groups only
  return [
    whole.toString('base64'),
    whole.toString('base64url'),
    `${region}.oraclecloud.com/cluster_request/`,
  ];
}

/** The body lines of a PEM: what a leak would carry (the BEGIN/END lines alone are no secret). */
const pemBody = (pem: string) => pem.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----'));

beforeAll(async () => {
  sim = await startSim();
  const dir = tempDir('oke-oci-');
  sim.writeConfig(dir, { auth: 'api_key', profile: 'DEFAULT' });
  const config = sim.writeConfig(dir, { auth: 'security_token', profile: 'SESSION' });
  tokens.push(readFileSync(config.tokenFile!, 'utf8').trim());

  const fakeBin = tempDir('oke-fake-oci-');
  marker = join(fakeBin, 'oci-was-run');
  writeFileSync(join(fakeBin, 'oci'), `#!/bin/sh\necho "$*" >> '${marker}'\nexit 1\n`);
  chmodSync(join(fakeBin, 'oci'), 0o755);

  server = await startOke(sim, {
    auth: 'security_token',
    config,
    logLevel: 'debug',
    args: ['--cli-dirs', BIN_CACHE],
    env: { PATH: `${fakeBin}:${process.env['PATH'] ?? ''}` },
  });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
});

describe('a session with every kind of call', () => {
  it('reads OCI and both clusters, fans out, and survives a token refresh', async () => {
    const dev = sim.clusters.find((c) => c.name === 'oke-dev')!;
    await server.ok('cluster_list');
    await server.ok('cluster_get', { cluster: dev.id });
    await server.ok('kubeconfig_get', { cluster: 'oke-prod' });
    await server.ok('environment_get');
    await server.ok('namespace_list', { cluster: 'oke-prod' });
    await server.ok('pod_list', { cluster: dev.id, namespace: 'kube-system' });
    await server.ok('pods_not_ready', { cluster: '*' });

    // `oci session refresh` mid session: a second token, also a canary.
    const config = server.config;
    const next = sim.refreshSession(tokens[0]!);
    tokens.push(next.token);
    writeFileSync(config.tokenFile!, next.token, { mode: 0o600 });
    sim.expireSession(tokens[0]!);
    await server.ok('auth_refresh');
    await server.ok('namespace_list', { cluster: 'oke-prod' });

    // An expired session fails (the error path logs too), then a fresh one works again.
    sim.expireSession(next.token);
    expect((await server.call('cluster_list')).isError).toBe(true);
    // a new session is a new key and token, written as `oci session authenticate` writes them
    const session = sim.createSession();
    tokens.push(session.token);
    writeFileSync(config.keyFile, session.privateKeyPem, { mode: 0o600 });
    writeFileSync(config.tokenFile!, session.token, { mode: 0o600 });
    await server.ok('cluster_list');
  });

  it.skipIf(KUBECTL_MISSING)(
    'runs the kubectl tool on a cluster with an in-process cluster token',
    async () => {
      const result = await server.ok('kubectl', { cluster: 'oke-prod', command: 'get namespaces' });
      expect(result.text).toContain('kube-system');
    },
  );

  it('never started `oci`', () => {
    expect(existsSync(marker)).toBe(false);
  });

  it('let no key, session token or cluster token out: results, debug log, files', async () => {
    const config = server.config;
    const canaries = [
      ...pemBody(sim.users.admin.privateKeyPem),
      ...pemBody(readFileSync(config.keyFile, 'utf8')),
      ...tokens,
      ...tokens.map((t) => t.slice(0, 40)),
      ...clusterTokenPrefixes(sim.region),
    ];
    expect(canaries.length).toBeGreaterThan(8);
    // The server did sign cluster tokens (so the prefixes stand for something real).
    expect([...sim.clusterTokenChecks.values()].some((n) => n > 0)).toBe(true);
    expect(server.stderr()).toContain(' DEBUG ');

    const outputs = [...seen, server.stderr()];
    // HOME and TMPDIR of the server: today it writes nothing there (kubectl reads its kubeconfig from an
    // unlinked file on fd 3), and whatever it writes one day must pass this too.
    const files = [...filesUnder(server.home), ...filesUnder(server.tmp)];
    for (const canary of canaries) {
      for (const text of outputs) expect(text).not.toContain(canary);
      for (const file of files) expect(file.text, file.path).not.toContain(canary);
    }
    for (const file of files) expect(file.mode & 0o077, file.path).toBe(0);
  });
});
