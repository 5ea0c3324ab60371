#!/usr/bin/env node
// OKE server (`apps/oke/dist/cli.js`) against oci-sim (2 clusters, each a kube-sim): the cold start and
// which modules it loads, the first calls on a cluster, the cluster-token cache, and a presign's cost.
// `node bench/oke.mjs` after `pnpm build`; options: --cold N (7), --sessions N (5), --calls N (50).
// Prints tables (progress on stderr) and writes every sample to bench/results/oke.json.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { presignClusterToken } from '../apps/oke/dist/index.js';
import { machineInfo } from './lib/machine.mjs';
import { connect, cpuMs, resultText } from './lib/mcp.mjs';
import { clusterTokenChecks, ociOperations, startOciSimProcess } from './lib/oci-sim.mjs';
import { int, ms, table } from './lib/report.mjs';
import { msSince, now, summarize } from './lib/stats.mjs';

const { values: opts } = parseArgs({
  options: {
    cold: { type: 'string', default: '7' },
    sessions: { type: 'string', default: '5' },
    calls: { type: 'string', default: '50' },
  },
});
const cli = new URL('../apps/oke/dist/cli.js', import.meta.url).pathname;
const moduleLogHook = new URL('./lib/module-log.mjs', import.meta.url).href;
const progress = (s) => process.stderr.write(`${s}\n`);
const machine = machineInfo();

const dir = mkdtempSync(join(tmpdir(), 'bench-oke-'));
const sim = await startOciSimProcess({ clusters: 2 }, join(dir, 'oci'));
const [prod, dev] = sim.clusters;
const env = (extra = {}) => {
  const home = mkdtempSync(join(dir, 'home-'));
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    TMPDIR: home,
    OCI_CONFIG_FILE: sim.configFile,
    OCI_ENDPOINT: sim.url,
    OKE_COMPARTMENT_ID: prod.compartmentId,
    CLOUDMCP_LOG_LEVEL: 'warn',
    ...extra,
  };
};

/** Calls a tool that must succeed; returns its structured result and the wall time. */
async function timedCall(client, name, args = {}) {
  const t = now();
  const result = await client.callTool({ name, arguments: args });
  const elapsed = msSince(t);
  resultText(result, name);
  return { elapsed, structured: result.structuredContent };
}

// 1. Cold start: spawn → initialize → first tools/list (the 2025 handshake), and the server's CPU by then.
const cold = { total: [], handshake: [], cpu: [], tools: 0 };
for (let i = 0; i < Number(opts.cold); i++) {
  progress(`cold start ${i + 1}/${opts.cold}`);
  const t = now();
  const session = await connect({ cli, env: env() });
  cold.handshake.push(msSince(t));
  const { tools } = await session.client.listTools();
  cold.total.push(msSince(t));
  cold.cpu.push(cpuMs(session.pid));
  cold.tools = tools.length;
  await session.client.close();
}

// Which bundle files hold the OCI SDK or client-node: esbuild keeps each bundled module's path as a comment.
const distDir = dirname(cli);
const holds = (file) => {
  const text = readFileSync(join(distDir, file), 'utf8');
  return {
    oci: text.includes('node_modules/.pnpm/oci-'),
    clientNode: text.includes('node_modules/.pnpm/@kubernetes+client-node'),
  };
};
const heavy = (files) => ({
  oci: files.filter((f) => holds(f).oci),
  clientNode: files.filter((f) => holds(f).clientNode),
  all: files.length,
});

/** The static import graph of cli.js: what must load before the server runs at all. */
function staticClosure(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(distDir, file), 'utf8');
    // `from "./x.js"` and `import "./x.js"`; a dynamic `import("./x.js")` has a parenthesis and is skipped.
    for (const [, next] of text.matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) visit(next);
  };
  visit(entry);
  return [...seen];
}

// What a process has loaded so far, from the loader hook's log (bench/lib/module-log.mjs).
const moduleLog = join(dir, 'modules.log');
const loaded = () =>
  heavy(
    [...new Set(readFileSync(moduleLog, 'utf8').split('\n').filter(Boolean))]
      .filter((url) => url.startsWith(`file://${distDir}/`))
      .map((url) => url.slice(`file://${distDir}/`.length)),
  );

progress('modules loaded along a session (loader hook)');
writeFileSync(moduleLog, '');
const modules = { static: heavy(staticClosure('cli.js')) };
{
  const session = await connect({
    cli,
    env: env({ NODE_OPTIONS: `--import=${moduleLogHook}`, MODULE_LOG: moduleLog }),
  });
  await session.client.listTools();
  modules.atToolsList = loaded();
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the warm-up after tools/list runs here
  modules.idle = loaded();
  await timedCall(session.client, 'cluster_list');
  modules.afterClusterList = loaded();
  await timedCall(session.client, 'namespace_list', { cluster: prod.name });
  modules.afterNamespaceList = loaded();
  await session.client.close();
}

// What the first calls import, alone: each heavy chunk's import() in a fresh process (5 each).
const importMs = (file) => {
  const url = JSON.stringify(`file://${distDir}/${file}`);
  const code = `const t = performance.now(); await import(${url}); process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }));
};
const imports = {};
for (const file of [
  modules.afterClusterList.oci.find((f) => f.startsWith('oci-containerengine')),
  ...modules.afterNamespaceList.clientNode,
]) {
  progress(`import() of ${file}`);
  imports[file] = Array.from({ length: 5 }, () => importMs(file));
}

// 2. The first calls of a session: cluster_list (the OCI SDK, ListClusters), namespace_list on one cluster
// (CreateKubeconfig, a presign, client-node), and namespace_list again — right after tools/list, while the
// server's warm-up (OCI SDK, client-node) is still loading, and after 2 s idle, as when a person types first.
async function firstCalls(idleMs) {
  const first = {
    clusterList: [],
    firstNamespaceList: [],
    secondNamespaceList: [],
    cpuFirstNamespaceList: [],
  };
  for (let i = 0; i < Number(opts.sessions); i++) {
    progress(`first calls after ${idleMs} ms, session ${i + 1}/${opts.sessions}`);
    const session = await connect({ cli, env: env() });
    await session.client.listTools();
    if (idleMs) await new Promise((resolve) => setTimeout(resolve, idleMs));
    first.clusterList.push((await timedCall(session.client, 'cluster_list')).elapsed);
    const cpuBefore = cpuMs(session.pid);
    first.firstNamespaceList.push(
      (await timedCall(session.client, 'namespace_list', { cluster: prod.name })).elapsed,
    );
    first.cpuFirstNamespaceList.push(cpuMs(session.pid) - cpuBefore);
    first.secondNamespaceList.push(
      (await timedCall(session.client, 'namespace_list', { cluster: prod.name })).elapsed,
    );
    await session.client.close();
  }
  return first;
}
const first = await firstCalls(0);
const firstIdle = await firstCalls(2000);

// 3. The token cache: N namespace_list calls alternating over the 2 clusters (by OCID), one after another;
// then on a fresh session 10 concurrent first calls per cluster. Counted on both sides: the server's
// presigns (environment_get) and the distinct tokens each cluster's API server accepted (oci-sim).
async function tokenRun(label, calls) {
  progress(`token cache: ${label}`);
  // A token is a deterministic signature over its date (1 s resolution): an earlier session's presign of the
  // same cluster in the same second is the same token, which oci-sim counts once. Start in a new second.
  await new Promise((resolve) => setTimeout(resolve, 1001 - (Date.now() % 1000)));
  const session = await connect({ cli, env: env() });
  await session.client.listTools();
  const before = await clusterTokenChecks(sim);
  const operationsBefore = await ociOperations(sim);
  const times = await calls(session.client);
  const after = await clusterTokenChecks(sim);
  const operations = await ociOperations(sim);
  const { structured } = await timedCall(session.client, 'environment_get');
  await session.client.close();
  return {
    label,
    calls: times.length,
    times,
    presigns: structured.cluster_tokens_signed,
    accepted: sim.clusters.map((c) => (after[c.id] ?? 0) - (before[c.id] ?? 0)),
    // The OCI requests behind the calls: each cluster's kubeconfig (and, by OCID, the cluster) asked once.
    ociRequests: Object.fromEntries(
      Object.entries(operations)
        .map(([operation, n]) => [operation, n - (operationsBefore[operation] ?? 0)])
        .filter(([, n]) => n > 0),
    ),
  };
}
const tokens = [
  await tokenRun(`${opts.calls} calls one after another`, async (client) => {
    const times = [];
    for (let i = 0; i < Number(opts.calls); i++)
      times.push((await timedCall(client, 'namespace_list', { cluster: (i % 2 ? dev : prod).id })).elapsed);
    return times;
  }),
  await tokenRun('2 × 10 concurrent first calls', (client) =>
    Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        timedCall(client, 'namespace_list', { cluster: (i % 2 ? dev : prod).id }).then((r) => r.elapsed),
      ),
    ),
  ),
];

// 4. One presign (RSA-2048 PKCS#1 v1.5 signature and the URL around it), in this process.
progress('presign microbenchmark');
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const presignInput = { region: 'us-ashburn-1', clusterId: prod.id, keyId: 'tenancy/user/fp', privateKey };
const presign = [];
for (let i = 0; i < 1100; i++) {
  const t = now();
  presignClusterToken({ ...presignInput, date: new Date() });
  if (i >= 100) presign.push(msSince(t));
}

await sim.close();
rmSync(dir, { recursive: true, force: true });

// Report.
const cell = (values) => {
  const s = summarize(values);
  return `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
};
const names = (list) => (list.length ? list.join(', ') : 'none');
console.log(
  `\nOKE server, ${cold.tools} tools; machine: ${machine.nproc} cores, load ${machine.loadavgBefore.join(' ')}`,
);
console.log(`\nCold start, ${opts.cold} runs: median (min–max)\n`);
console.log(
  table(
    ['', 'ms'],
    [
      ['spawn → initialized', cell(cold.handshake)],
      ['spawn → first tools/list answered', cell(cold.total)],
      ['server CPU until then (10 ms ticks)', cell(cold.cpu)],
    ],
  ),
);
console.log('\nBundle files holding the OCI SDK / client-node, loaded by then\n');
console.log(
  table(
    ['when', 'files loaded', 'OCI SDK', 'client-node'],
    [
      ['static imports of cli.js', modules.static],
      ['first tools/list answered', modules.atToolsList],
      ['1.5 s later (after the warm-up)', modules.idle],
      ['after cluster_list', modules.afterClusterList],
      ['after namespace_list', modules.afterNamespaceList],
    ].map(([when, m]) => [when, m.all, names(m.oci), names(m.clientNode)]),
  ),
);
console.log('\nimport() of a chunk the first calls load, in a fresh process, 5 runs: median (min–max)\n');
console.log(
  table(
    ['chunk', 'ms'],
    Object.entries(imports).map(([file, values]) => [file, cell(values)]),
  ),
);
for (const [when, calls] of [
  ['right after tools/list', first],
  ['after 2 s idle', firstIdle],
]) {
  console.log(`\nFirst calls, ${when}, ${opts.sessions} sessions: median (min–max)\n`);
  console.log(
    table(
      ['call', 'ms'],
      [
        ['cluster_list (OCI SDK import, ListClusters)', cell(calls.clusterList)],
        ['first namespace_list (CreateKubeconfig, presign, client-node)', cell(calls.firstNamespaceList)],
        ['… its server CPU (10 ms ticks)', cell(calls.cpuFirstNamespaceList)],
        ['second namespace_list', cell(calls.secondNamespaceList)],
      ],
    ),
  );
}
console.log('\nToken cache: presigns in the server, distinct tokens accepted per cluster (oci-sim)\n');
console.log(
  table(
    ['run', 'calls', 'call ms, median (min–max)', 'presigns', 'accepted: oke-prod / oke-dev', 'OCI requests'],
    tokens.map((r) => [
      r.label,
      r.calls,
      cell(r.times),
      r.presigns,
      r.accepted.join(' / '),
      Object.entries(r.ociRequests)
        .map(([operation, n]) => `${operation} ${n}`)
        .join(', '),
    ]),
  ),
);
const p = summarize(presign);
console.log(
  `\nOne presign (RSA-2048), ${int(presign.length)} in process: median ${ms(p.median)} ms, p95 ${ms(p.p95)} ms`,
);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/oke.json', import.meta.url),
  `${JSON.stringify({ at: new Date().toISOString(), machine, cold, modules, imports, first, firstIdle, tokens, presign: p }, null, 2)}\n`,
);
