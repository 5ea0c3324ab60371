/**
 * Exec plugins of trusted (operator) kubeconfigs on the typed path: run by `ExecCredentials` with the
 * scrubbed environment, their own `env` and `KUBERNETES_EXEC_INFO`; the token they print authenticates
 * against kube-sim; cached, shared, re-run after one 401.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '@cloudmcp/toolkit';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { KubeApiError } from '../src/errors.js';
import { ExecCredentials, type ExecPluginConfig } from '../src/kubeconfig/exec-credential.js';
import { type KubeconfigDocument, KubeTargets } from '../src/targets.js';

const API_VERSION = 'client.authentication.k8s.io/v1';
const PARENT_SECRET = 'parent-secret-must-not-leak-4711';

/**
 * The plugin: records its environment and how often it ran, prints `PLUGIN_TOKEN` (or `bad-token` for the
 * first `PLUGIN_BAD_RUNS` runs) with `PLUGIN_EXPIRY` as expirationTimestamp when set.
 */
const PLUGIN = `#!/bin/sh
env > "$PLUGIN_DIR/env"
n=$(cat "$PLUGIN_DIR/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$PLUGIN_DIR/count"
if [ "$n" -le "\${PLUGIN_BAD_RUNS:-0}" ]; then token=bad-token; else token="$PLUGIN_TOKEN"; fi
expiry=""
if [ -n "$PLUGIN_EXPIRY" ]; then expiry=",\\"expirationTimestamp\\":\\"$PLUGIN_EXPIRY\\""; fi
printf '{"apiVersion":"${API_VERSION}","kind":"ExecCredential","status":{"token":"%s"%s}}' "$token" "$expiry"
`;

let sim: KubeSim;
let dir: string;
let plugin: string;

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 1 });
});
afterAll(async () => {
  await sim?.close();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'exec-plugin-')); // mkdtemp makes it 0700
  plugin = join(dir, 'plugin.sh');
  writeFileSync(plugin, PLUGIN, { mode: 0o700 });
  chmodSync(plugin, 0o700);
  process.env['CLOUDMCP_HTTP_TOKEN'] = PARENT_SECRET;
  process.env['ARGOCD_AUTH_TOKEN'] = PARENT_SECRET;
  process.env['AWS_PROFILE'] = 'operator-profile';
});
afterEach(() => {
  delete process.env['CLOUDMCP_HTTP_TOKEN'];
  delete process.env['ARGOCD_AUTH_TOKEN'];
  delete process.env['AWS_PROFILE'];
  rmSync(dir, { recursive: true, force: true });
});

const runs = (): number =>
  existsSync(join(dir, 'count')) ? Number(readFileSync(join(dir, 'count'), 'utf8')) : 0;

/** The plugin's environment as it saw it. */
function pluginEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(dir, 'env'), 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return env;
}

function execConfig(
  extra: Record<string, string> = {},
  more: Partial<ExecPluginConfig> = {},
): ExecPluginConfig {
  const env = { PLUGIN_DIR: dir, PLUGIN_TOKEN: sim.clusters[0]!.tokens.admin, ...extra };
  return {
    command: plugin,
    args: [],
    apiVersion: API_VERSION,
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    ...more,
  };
}

/** kube-sim's kubeconfig whose user runs the plugin instead of holding a token. */
function targets(exec: ExecPluginConfig): KubeTargets {
  const doc = parseYaml(sim.kubeconfig()) as KubeconfigDocument;
  doc.users![0]!.user = { exec };
  return new KubeTargets(doc, { retries: 0 });
}

const namespaces = async (kube: KubeTargets) =>
  (
    await (
      await kube.client()
    ).request<{ items: Array<{ metadata: { name: string } }> }>({ path: '/api/v1/namespaces' })
  ).body.items.map((n) => n.metadata.name);

describe('an exec plugin on the typed path', () => {
  it('runs with the scrubbed environment plus its own env, and its token is what kube-sim sees', async () => {
    const kube = targets(execConfig({ PLUGIN_OWN: 'own-value' }));
    const before = sim.clusters[0]!.log.length;
    expect(await namespaces(kube)).toContain('kube-system');
    kube.close();

    const env = pluginEnv();
    expect(env['CLOUDMCP_HTTP_TOKEN']).toBeUndefined();
    expect(env['ARGOCD_AUTH_TOKEN']).toBeUndefined();
    expect(readFileSync(join(dir, 'env'), 'utf8')).not.toContain(PARENT_SECRET);
    // what credential plugins need (aws eks get-token reads ~/.aws and AWS_PROFILE) is kept
    expect(env['HOME']).toBe(process.env['HOME']);
    expect(env['AWS_PROFILE']).toBe('operator-profile');
    expect(env['PLUGIN_OWN']).toBe('own-value');
    expect(env['PATH']).toBe(process.env['PATH']);
    expect(JSON.parse(env['KUBERNETES_EXEC_INFO']!)).toEqual({
      apiVersion: API_VERSION,
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    const seen = sim.clusters[0]!.log.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.map((entry) => entry.user)).toEqual(seen.map(() => 'kube-admin'));
  });

  it('passes the cluster in KUBERNETES_EXEC_INFO with provideClusterInfo', async () => {
    const kube = targets(execConfig({}, { provideClusterInfo: true }));
    await namespaces(kube);
    kube.close();
    const info = JSON.parse(pluginEnv()['KUBERNETES_EXEC_INFO']!);
    expect(info.spec.cluster).toEqual({
      server: sim.clusters[0]!.url,
      'certificate-authority-data': Buffer.from(sim.clusters[0]!.caPem).toString('base64'),
    });
  });

  it('runs once for several requests while the credential is valid', async () => {
    const kube = targets(execConfig());
    await namespaces(kube);
    await Promise.all([namespaces(kube), namespaces(kube), namespaces(kube)]);
    kube.close();
    expect(runs()).toBe(1);
  });

  it('runs again after a 401 and sends the request once more', async () => {
    const kube = targets(execConfig({ PLUGIN_BAD_RUNS: '1' }));
    expect(await namespaces(kube)).toContain('kube-system');
    kube.close();
    expect(runs()).toBe(2);
  });

  it('gives up after the second 401', async () => {
    const kube = targets(execConfig({ PLUGIN_BAD_RUNS: '9' }));
    const error = await namespaces(kube).then(
      () => undefined,
      (e: unknown) => e,
    );
    kube.close();
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(401);
    expect(runs()).toBe(2);
  });
});

describe('ExecCredentials', () => {
  it('reuses a credential until shortly before its expiry, then runs the plugin again', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const creds = new ExecCredentials(execConfig({ PLUGIN_EXPIRY: '2030-01-01T01:00:00Z' }), {
      now: () => now,
    });
    const first = await creds.get();
    expect(first).toEqual({
      token: sim.clusters[0]!.tokens.admin,
      expiresAt: Date.parse('2030-01-01T01:00:00Z'),
    });
    now += 59 * 60_000;
    expect(await creds.get()).toBe(first);
    expect(runs()).toBe(1);
    now += 55_000; // 5 s before expiry: renewed ahead
    await creds.get();
    expect(runs()).toBe(2);
  });

  it('shares one run among concurrent callers, and invalidates only the credential that failed', async () => {
    const creds = new ExecCredentials(execConfig());
    const all = await Promise.all([creds.get(), creds.get(), creds.get()]);
    expect(new Set(all).size).toBe(1);
    expect(runs()).toBe(1);
    creds.invalidate({ token: 'some other credential' });
    await creds.get();
    expect(runs()).toBe(1);
    creds.invalidate(all[0]!);
    await creds.get();
    expect(runs()).toBe(2);
  });

  it('says why a plugin failed without repeating what it printed', async () => {
    writeFileSync(plugin, '#!/bin/sh\necho "login expired, run sso login" >&2\nexit 3\n', { mode: 0o700 });
    await expect(new ExecCredentials(execConfig()).get()).rejects.toThrow(
      'exec plugin "plugin.sh" failed: exit code 3: login expired, run sso login',
    );
    writeFileSync(plugin, `#!/bin/sh\necho 'token: ${PARENT_SECRET}'\n`, { mode: 0o700 });
    const error = await new ExecCredentials(execConfig()).get().catch((e: Error) => e);
    expect((error as Error).message).toBe(
      'exec plugin "plugin.sh" printed something that is not ExecCredential JSON',
    );
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"${PARENT_SECRET}"}}'\n`,
      { mode: 0o700 },
    );
    const wrong = await new ExecCredentials(execConfig()).get().catch((e: Error) => e);
    expect((wrong as Error).message).toBe(
      `exec plugin "plugin.sh" printed an ExecCredential whose apiVersion is not ${API_VERSION}`,
    );
    await expect(
      new ExecCredentials({ ...execConfig(), command: join(dir, 'missing') }).get(),
    ).rejects.toThrow('exec plugin "missing" failed: command not found');
  });

  it('stops a plugin that does not finish in time', async () => {
    writeFileSync(plugin, '#!/bin/sh\nexec sleep 30\n', { mode: 0o700 });
    await expect(new ExecCredentials(execConfig(), { timeoutMs: 200 }).get()).rejects.toThrow(
      'exec plugin "plugin.sh" failed: it did not finish in time and was stopped',
    );
  });

  it('refuses interactiveMode Always: a server has no terminal', async () => {
    await expect(new ExecCredentials(execConfig({}, { interactiveMode: 'Always' })).get()).rejects.toThrow(
      /needs an interactive terminal/,
    );
    expect(runs()).toBe(0);
  });
});

describe('auth providers that run a shell command', () => {
  it('are refused on the typed path, and nothing runs', async () => {
    const marker = join(dir, 'ran');
    const doc = parseYaml(sim.kubeconfig()) as KubeconfigDocument;
    doc.users![0]!.user = { 'auth-provider': { name: 'gcp', config: { 'cmd-path': `touch ${marker}` } } };
    const kube = new KubeTargets(doc, { retries: 0 });
    const error = await kube.client().catch((e: unknown) => e);
    kube.close();
    expect(error).toBeInstanceOf(ToolError);
    expect((error as Error).message).toMatch(
      /uses the gcp auth provider with a cmd-path, which is not run here/,
    );
    expect(existsSync(marker)).toBe(false);
  });
});
