// What the image holds and how it starts, without a container runtime: each built server is packed as npm
// would publish it (`pnpm pack`), installed by deploy/container/install.sh (the script the Containerfile's
// build stage runs) into a temporary prefix standing for /opt/cloudmcp, then started as the runtime stage
// says (its ENV with the paths mapped, its ENTRYPOINT on a free port instead of 8080) with a scrubbed
// environment, and probed over HTTP. Needs `pnpm build` first.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runtimeStage, stages } from './containerfile.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const INSTALL = join(ROOT, 'deploy/container/install.sh');
const TOKEN = 'image-test-token-0123456789';
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'cloudmcp-image-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Per server: its bin, a tool it lists, and the least configuration it starts with (no network at start). */
const SERVERS = {
  cloudstack: {
    bin: 'cloudstack-mcp',
    tool: 'zone_list',
    env: () => ({
      CLOUDSTACK_API_URL: 'http://127.0.0.1:9/client/api',
      CLOUDSTACK_API_KEY: 'key',
      CLOUDSTACK_SECRET_KEY: 'secret',
    }),
  },
  cloudeka: {
    bin: 'cloudeka-mcp',
    tool: 'project_list',
    env: () => ({ CLDKCTL_TOKEN: 'cldkctl_image_test' }),
  },
  kubernetes: { bin: 'kubernetes-mcp', tool: 'namespace_list', env: () => ({}) },
  oke: { bin: 'oke-mcp', tool: 'cluster_list', env: (dir) => ({ OCI_CONFIG_FILE: ociConfig(dir) }) },
  ocm: { bin: 'ocm-mcp', tool: 'clusters', env: (dir) => ({ KUBECONFIG: hubKubeconfig(dir) }) },
};

function ociConfig(dir) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const config = [
    '[DEFAULT]',
    'user=ocid1.user.oc1..image',
    'fingerprint=11:22:33:44:55:66:77:88:99:00:aa:bb:cc:dd:ee:ff',
    'tenancy=ocid1.tenancy.oc1..image',
    'region=us-ashburn-1',
    `key_file=${join(dir, 'key.pem')}`,
  ];
  writeFileSync(join(dir, 'oci-config'), `${config.join('\n')}\n`, { mode: 0o600 });
  return join(dir, 'oci-config');
}

function hubKubeconfig(dir) {
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'hub', cluster: { server: 'https://hub.example.com:6443' } }],
    users: [{ name: 'admin', user: { token: 'hub-token' } }],
    contexts: [{ name: 'hub', context: { cluster: 'hub', user: 'admin' } }],
    'current-context': 'hub',
  };
  writeFileSync(join(dir, 'kubeconfig'), JSON.stringify(kubeconfig), { mode: 0o600 });
  return join(dir, 'kubeconfig');
}

const runtime = runtimeStage();

/** The runtime stage's ENV with its image paths mapped into this test's directories. */
function imageEnv(prefix, home, tmp) {
  const map = (value) =>
    value
      .replaceAll('/opt/cloudmcp', prefix)
      .replaceAll('/home/cloudmcp', home)
      .replace(/^\/tmp$/, tmp)
      // the base image's PATH: where its node is
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the Containerfile's own ${PATH}
      .replace('${PATH}', [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter));
  return Object.fromEntries(Object.entries(runtime.env).map(([key, value]) => [key, map(value)]));
}

/** Spawns argv[0] found on env.PATH, as the container runtime would; resolves with the child and its URL. */
function start(argv, env) {
  const command = env.PATH.split(delimiter)
    .map((dir) => join(dir, argv[0]))
    .find((file) => existsSync(file));
  assert.ok(command, `${argv[0]} is on the image's PATH (${env.PATH})`);
  const child = spawn(command, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /serving MCP on http:\/\/[^:]+:(\d+)\//.exec(stderr);
      if (match) resolve(`http://127.0.0.1:${match[1]}`);
    });
    exited.then(({ code }) => reject(new Error(`exited ${code} before listening:\n${stderr}`)));
  });
  listening.catch(() => {}); // a start that is meant to fail is awaited through `exited`
  return { child, exited, listening, stderr: () => stderr };
}

const rpc = (base, token) =>
  fetch(`${base}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });

describe('the Containerfile', () => {
  test('builds with the repository scripts and runs as a non-root numeric user on port 8080', () => {
    const [build, final] = stages();
    const runs = build.instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the Containerfile's own ${SERVER}
    assert.ok(runs.some((r) => r.includes('sh deploy/container/build.sh "${SERVER}" /out')));
    assert.ok(
      runs.some((r) =>
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the Containerfile's own ${SERVER}
        r.includes('sh deploy/container/install.sh /out/cloudmcp-"${SERVER}"-*.tgz /opt/cloudmcp'),
      ),
    );
    assert.equal(build.from.replace(/ AS build$/, ''), final.from, 'one pinned base for both stages');
    assert.match(runtime.user, /^[1-9]\d*:[1-9]\d*$/);
    assert.deepEqual(runtime.expose, ['8080']);
    assert.deepEqual(runtime.entrypoint, ['cloudmcp-server', '--http', '0.0.0.0:8080']);
    assert.ok(runtime.copies.includes('--from=build /opt/cloudmcp /opt/cloudmcp'));
    assert.deepEqual([runtime.env.HOME, runtime.env.TMPDIR], ['/home/cloudmcp', '/tmp']);
  });
});

describe('each server installed as the image installs it', () => {
  for (const [server, { bin, tool, env: config }] of Object.entries(SERVERS)) {
    test(server, async () => {
      const dir = join(scratch, server);
      for (const sub of ['pack', 'prefix', 'home', 'tmp', 'config'])
        mkdirSync(join(dir, sub), { recursive: true });
      await run(
        'pnpm',
        ['--filter', `@cloudmcp/${server}`, 'pack', '--pack-destination', join(dir, 'pack')],
        {
          cwd: ROOT,
        },
      );
      const [tarball] = readdirSync(join(dir, 'pack'));
      const prefix = join(dir, 'prefix');
      await run('sh', [INSTALL, join(dir, 'pack', tarball), prefix], { cwd: dir });

      // The bundle needs nothing but node: one package, no dependencies, optional peers left out.
      assert.deepEqual(
        readdirSync(join(prefix, 'node_modules')).filter((n) => !n.startsWith('.')),
        ['@cloudmcp'],
      );
      assert.deepEqual(readdirSync(join(prefix, 'node_modules/@cloudmcp')), [server]);
      assert.deepEqual(readdirSync(join(prefix, 'bin')).sort(), [bin, 'cloudmcp-server'].sort());

      const env = {
        ...imageEnv(prefix, join(dir, 'home'), join(dir, 'tmp')),
        ...config(join(dir, 'config')),
      };
      const argv = runtime.entrypoint.map((arg) => arg.replace(/:8080$/, ':0'));

      // Beyond loopback and without a token, the entrypoint refuses to start.
      const refused = start(argv, env);
      const { code } = await refused.exited;
      assert.equal(code, 2);
      assert.match(refused.stderr(), /listens beyond loopback without a token/);

      const server_ = start(argv, { ...env, CLOUDMCP_HTTP_TOKEN: TOKEN });
      try {
        const base = await server_.listening;
        assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });
        assert.deepEqual(await (await fetch(`${base}/readyz`)).json(), { status: 'ready' });
        assert.equal((await rpc(base)).status, 401);
        const answer = await rpc(base, TOKEN);
        assert.equal(answer.status, 200);
        const body = await answer.text();
        const message = JSON.parse(body.startsWith('{') ? body : /^data: (.*)$/m.exec(body)[1]);
        assert.ok(
          message.result.tools.some((t) => t.name === tool),
          `${server} lists ${tool}`,
        );
      } finally {
        server_.child.kill('SIGTERM');
      }
      // SIGTERM (what the kubelet sends) drains and exits 0.
      assert.deepEqual(await server_.exited, { code: 0, signal: null });
    });
  }
});
