#!/usr/bin/env node
// The pack-and-install check (CI, after `pnpm build`): every public package packed as `pnpm publish` would
// pack it, its manifest and files checked, `pnpm publish --dry-run` without a warning; then each server
// installed ALONE from its tarball with plain npm in an empty directory (offline: a bundled server needs
// nothing from the registry), its bin's --help read, and one tools/call made through that bin against the
// server's simulator. Prints one line per package; exits 1 on the first difference.
//   node scripts/pack-check.mjs [server…]      (servers: all by default)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { root, simulated } from './sims.mjs';

const run = promisify(execFile);
const LICENSE = readFileSync(join(root, 'LICENSE'), 'utf8');
/** The one tool each server is called with through its installed bin. */
const SMOKE = {
  cloudstack: { tool: 'zone_list', expect: /^AMS1 +Advanced/m },
  cloudeka: { tool: 'project_list', expect: /^ml-platform +active/m },
  kubernetes: { tool: 'context_list', expect: /^\* +sim-1 +sim-1 /m },
  oke: { tool: 'cluster_list', expect: /^oke-prod +ACTIVE/m },
  ocm: { tool: 'clusters', expect: /^cluster1 +true/m },
};

const workspace = (dir) => readdirSync(join(root, dir)).map((name) => packageAt(join(dir, name)));
function packageAt(dir) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  return { dir, name: manifest.name, manifest };
}
const published = [...workspace('packages'), ...workspace('apps')].filter((p) => !p.manifest.private);
const privateNames = [...workspace('test-fixtures'), packageAt('bench')].map((p) => p.name);
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!SMOKE[name])
    throw new Error(`pack-check: no server "${name}"; servers: ${Object.keys(SMOKE).join(', ')}`);
}
const scratch = mkdtempSync(join(tmpdir(), 'cloudmcp-pack-check-'));

try {
  const tarballs = await Promise.all(
    published.map(async (pkg) => {
      const packed = await pack(pkg);
      checkTarball(pkg, packed);
      await checkPublishDryRun(pkg);
      console.log(`ok   ${pkg.name}: packed, manifest and files complete, publish --dry-run clean`);
      return packed;
    }),
  );
  for (const [i, pkg] of published.entries()) {
    const server = pkg.dir.startsWith('apps/') && pkg.dir.slice('apps/'.length);
    if (!server || (wanted.length && !wanted.includes(server))) continue;
    await checkInstalled(server, pkg, tarballs[i]);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** `pnpm pack` into a directory of its own; the unpacked tarball's path. */
async function pack(pkg) {
  const out = join(scratch, pkg.name.replace('/', '+'));
  mkdirSync(out);
  await run('pnpm', ['pack', '--pack-destination', out], { cwd: join(root, pkg.dir) });
  const tarball = join(
    out,
    readdirSync(out).find((f) => f.endsWith('.tgz')),
  );
  await run('tar', ['-xzf', tarball, '-C', out]);
  return { tarball, unpacked: join(out, 'package') };
}

/** What users get: no private or workspace names, complete metadata, every file the manifest or code names. */
function checkTarball(pkg, { unpacked }) {
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));
  const text = JSON.stringify(manifest);
  assert.ok(!text.includes('workspace:'), `${pkg.name}: a workspace: range was published`);
  assert.equal(manifest.devDependencies, undefined, `${pkg.name}: devDependencies were published`);
  for (const name of privateNames) {
    assert.ok(!text.includes(`"${name}"`), `${pkg.name}: names the private package ${name}`);
  }
  for (const field of ['repository', 'homepage', 'bugs', 'author', 'license']) {
    assert.ok(manifest[field], `${pkg.name}: no ${field}`);
  }
  assert.equal(manifest.repository.directory, pkg.dir, `${pkg.name}: repository.directory`);
  assert.deepEqual(
    manifest.publishConfig,
    { access: 'public', provenance: true },
    `${pkg.name}: publishConfig`,
  );
  assert.equal(readFileSync(join(unpacked, 'LICENSE'), 'utf8'), LICENSE, `${pkg.name}: LICENSE`);

  const files = listFiles(unpacked);
  const named = [
    manifest.main,
    manifest.types,
    ...Object.values(manifest.bin ?? {}),
    ...Object.values(manifest.exports ?? {}).flatMap((e) => Object.values(e)),
  ];
  for (const file of named) {
    assert.ok(files.has(file.replace(/^\.\//, '')), `${pkg.name}: names ${file}, which it does not ship`);
  }
  // A bundle may reference its source map only if the map ships (Node and debuggers look for it).
  for (const file of [...files].filter((f) => f.endsWith('.js'))) {
    const map = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(unpacked, file), 'utf8'))?.[1];
    if (map && !map.startsWith('data:')) {
      const mapFile = join(file, '..', map);
      assert.ok(files.has(mapFile), `${pkg.name}: ${file} references ${map}, which it does not ship`);
    }
  }
}

function listFiles(dir, prefix = '') {
  const files = new Set();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const f of listFiles(dir, path)) files.add(f);
    else files.add(path);
  }
  return files;
}

/**
 * What the release runs, dry: `pnpm publish` (pnpm packs, npm publishes). npm's only expected warning is
 * that no one is logged in, which a dry run without a registry token always says.
 */
async function checkPublishDryRun(pkg) {
  const { stdout, stderr } = await run('pnpm', ['publish', '--dry-run', '--no-git-checks'], {
    cwd: join(root, pkg.dir),
    env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' },
  });
  const warnings = `${stdout}\n${stderr}`
    .split('\n')
    .filter((line) => /\bwarn/i.test(line))
    .filter((line) => !/requires you to be logged in to \S+ \(dry-run\)$/.test(line));
  assert.deepEqual(warnings, [], `${pkg.name}: publish --dry-run warned`);
}

/** The server's tarball alone in an empty directory, its bin's --help, and one tools/call through the bin. */
async function checkInstalled(server, pkg, { tarball }) {
  const dir = join(scratch, `install-${server}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], {
    cwd: dir,
  });
  const installed = readdirSync(join(dir, 'node_modules')).filter((f) => !f.startsWith('.'));
  assert.deepEqual(installed, ['@cloudmcp'], `${server}: npm installed more than the server`);

  const [bin] = Object.keys(pkg.manifest.bin);
  const binPath = join(dir, 'node_modules', '.bin', bin);
  const { stdout: help } = await run(binPath, ['--help'], { cwd: dir, env: { PATH: process.env.PATH } });
  assert.match(help, new RegExp(`^${bin} ${pkg.manifest.version} — `), `${server}: --help first line`);
  assert.match(help, /^Usage: /m, `${server}: --help has no Usage line`);
  // The environment variables the MCP registry's server.json promises are the ones --help documents.
  const serverJson = JSON.parse(readFileSync(join(root, pkg.dir, 'server.json'), 'utf8'));
  for (const { name } of serverJson.packages[0].environmentVariables) {
    assert.ok(help.includes(`env ${name}`), `${server}: --help does not document ${name} (server.json does)`);
  }

  const sim = await simulated[server]();
  try {
    const client = await connect(binPath, sim.args, dir, sim.env);
    try {
      const { tool, expect } = SMOKE[server];
      const result = await client.callTool({ name: tool, arguments: {} });
      const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
      assert.ok(!result.isError, `${server}: ${tool} failed through the installed bin:\n${text}`);
      assert.match(text, expect, `${server}: ${tool} answered:\n${text}`);
    } finally {
      await client.close();
    }
    await checkLibraryExample(server, dir, sim.env);
  } finally {
    await sim.close();
  }
  console.log(
    `ok   ${pkg.name}: installed alone with npm --offline, --help, ${SMOKE[server].tool} against its ` +
      'simulator, README library example',
  );
}

/**
 * The README's "Library use" example, run as written against the installed package and the SDK it names as
 * a peer (linked from the workspace, as a library user would have installed it), serves the server's tools.
 */
async function checkLibraryExample(server, dir, env) {
  const readme = readFileSync(join(root, 'apps', server, 'README.md'), 'utf8');
  const code = /^## Library use\n+```ts\n([\s\S]*?)```/m.exec(readme)?.[1];
  assert.ok(code, `apps/${server}/README.md: no ts example under "## Library use"`);
  writeFileSync(join(dir, 'example.mjs'), code);
  for (const peer of ['@modelcontextprotocol/server', 'zod']) {
    const link = join(dir, 'node_modules', peer);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(join(root, 'packages/toolkit/node_modules', peer)), link);
  }
  const client = await connect(process.execPath, [join(dir, 'example.mjs')], dir, env);
  try {
    const { tools } = await client.listTools();
    assert.ok(tools.length > 0, `apps/${server}/README.md: the library example serves no tools`);
  } finally {
    await client.close();
  }
}

/** An MCP client over stdio to a command run with only PATH and the given environment; its stderr if it fails. */
async function connect(command, args, cwd, env) {
  const client = new Client({ name: 'cloudmcp-pack-check', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command,
    args,
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} did not start: ${error.message}\n${stderr}`);
  }
  return client;
}
