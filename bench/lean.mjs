#!/usr/bin/env node
// Lean (issue 12): every figure of the issue's table in one run — what a model pays in tokens and waits in
// time before its first useful answer. Our Kubernetes server beside both peers (kubernetes-mcp-server, Go,
// as its binary and through its npm bin; mcp-server-kubernetes, TS) against one kube-sim cluster with 500
// extra pods, plus the tools/list of our CloudStack and Cloudeka servers. Tokens by o200k_base
// (gpt-tokenizer, pinned in package.json). Usage:
//   node bench/lean.mjs [--runs 5] [--ours <checkout>] [--before <checkout>] [--out bench/results/lean.json]
// `--ours` measures our servers as built in another checkout (default: this one); `--before` adds a second
// build of ours (e.g. a git worktree of an older commit, after `pnpm build` there) to the same run, measured
// interleaved with the rest so that both see the same load. The peers, kube-sim and this script always come
// from this checkout. Prints tables (medians and ranges over the runs; progress on stderr) and writes every
// sample to the --out file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BIN_DIR, checkKubeBench, FLUX_MAX_BUFFER, GO_PEER, TS_PEER } from './lib/kube-peers.mjs';
import { startKubeSimProcess } from './lib/kube-sim.mjs';
import { rawColdStart } from './lib/kube-stdio.mjs';
import { kubeFigures, onDemandCell, ourToolLists, summarizeLean } from './lib/lean-report.mjs';
import { machineInfo } from './lib/machine.mjs';
import { connect } from './lib/mcp.mjs';
import { placeholderEnv } from './lib/placeholder-env.mjs';
import { treeKiB } from './lib/proc.mjs';
import { int, table } from './lib/report.mjs';
import { msSince, now, round } from './lib/stats.mjs';
import { o200kTokens, toolListTokens } from './lib/tokens.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    ours: { type: 'string', default: join(here, '..') },
    before: { type: 'string' },
    out: { type: 'string', default: join(here, 'results', 'lean.json') },
  },
});
const CONFIG = {
  runs: Number(options.runs),
  pods: 500,
  namespace: 'bench',
  /** One pod in full: the seed's crash-looping pod (restarts, a last state, events), as a diagnosis reads it. */
  podNamespace: 'team-a',
  /** How long a host sits between tools/list and a model's first call, for the idle RSS. */
  idleMs: 1000,
  maxListCalls: 20,
};
const oursRoot = resolve(options.ours);
const beforeRoot = options.before && resolve(options.before);
const cliIn = (tree) => (app) => join(tree, 'apps', app, 'dist', 'cli.js');
const BUILDS = [
  { key: '', cli: cliIn(oursRoot) },
  ...(beforeRoot ? [{ key: 'before', cli: cliIn(beforeRoot) }] : []),
];
checkKubeBench(
  BUILDS.flatMap(({ key, cli }) =>
    ['kubernetes', 'cloudstack', 'cloudeka'].map((app) => [`our ${app} server ${key}`, cli(app)]),
  ),
);

const started = now();
const log = (message) => process.stderr.write(`[lean ${(msSince(started) / 1000).toFixed(1)}s] ${message}\n`);
const tmp = mkdtempSync(join(os.tmpdir(), 'cloudmcp-lean-'));
const kubeconfig = join(tmp, 'kubeconfig');

// ------------------------------------------------------------------------------------ the Kubernetes servers
// The same scrubbed environment for all: PATH with kubectl/helm from .bin-cache first, a fresh HOME, and
// KUBECONFIG naming kube-sim (its CA, an admin token; no insecure-TLS flag anywhere).
const env = (server) => {
  const home = mkdtempSync(join(tmp, `home-${server.id}-`));
  return { PATH: `${BIN_DIR}:${process.env.PATH ?? ''}`, HOME: home, KUBECONFIG: kubeconfig, ...server.env };
};
const inBench = { namespace: CONFIG.namespace };
const goCalls = {
  list: { name: 'pods_list_in_namespace', arguments: inBench },
  get: (pod) => ({ name: 'pods_get', arguments: pod }),
};
const KUBE = [
  ...BUILDS.map(({ key, cli }) => ({
    id: key ? `ours-${key}` : 'ours',
    label: key ? `ours ${key}` : 'ours',
    command: process.execPath,
    args: [cli('kubernetes')],
    env: { CLOUDMCP_LOG_LEVEL: 'warn' },
    // The default page, as a model calls it; the rest by next_cursor.
    list: { name: 'pod_list', arguments: inBench },
    get: (pod) => ({ name: 'pod_get', arguments: pod }),
    nextCursor: (result) => result.structuredContent?.next_cursor,
  })),
  {
    id: 'go',
    label: `Go peer ${GO_PEER.version} (binary)`,
    command: GO_PEER.binary,
    args: [],
    env: {},
    ...goCalls,
  },
  {
    id: 'go-npm',
    label: 'Go peer (npm bin)',
    command: process.execPath,
    args: [GO_PEER.wrapper],
    env: {},
    ...goCalls,
  },
  {
    id: 'ts',
    label: `TS peer ${TS_PEER.version}`,
    command: process.execPath,
    args: [TS_PEER.cli],
    env: { SPAWN_MAX_BUFFER: FLUX_MAX_BUFFER },
    list: { name: 'kubectl_get', arguments: { resourceType: 'pods', ...inBench } },
    get: (pod) => ({ name: 'kubectl_get', arguments: { resourceType: 'pods', ...pod } }),
  },
];

const textOf = (result) =>
  (result.content ?? [])
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');

function checked(result, call) {
  if (result.isError) throw new Error(`${call.name} failed: ${textOf(result).slice(0, 400)}`);
  return result;
}

/** Every pod of the namespace, following a cursor where the server pages; what the model reads. */
async function listAllPods(client, server, afterFirstCall) {
  const out = { calls: 0, textTokens: 0, structuredTokens: 0, podsSeen: 0 };
  const names = new Set();
  let cursor;
  do {
    const call = { ...server.list, arguments: { ...server.list.arguments, ...(cursor ? { cursor } : {}) } };
    const result = checked(await client.callTool(call), call);
    if (out.calls === 0) afterFirstCall();
    out.calls++;
    const text = textOf(result);
    out.textTokens += o200kTokens(text);
    if (result.structuredContent) out.structuredTokens += o200kTokens(result.structuredContent);
    for (const m of text.matchAll(/bench-pod-\d{4}/g)) names.add(m[0]);
    cursor = server.nextCursor?.(result);
  } while (cursor && out.calls < CONFIG.maxListCalls);
  out.podsSeen = names.size;
  return out;
}

/** One SDK-client session: idle RSS, every pod listed, `pod` in full, peak RSS. */
async function session(server, pod) {
  const s = await connect({ command: server.command, args: server.args, env: env(server) });
  try {
    await pause(CONFIG.idleMs);
    const idleAfterInitialize = treeKiB(s.pid).rss;
    await s.client.listTools();
    await pause(CONFIG.idleMs);
    const idleAfterToolsList = treeKiB(s.pid).rss;
    let afterFirstCall;
    const listing = await listAllPods(s.client, server, () => {
      afterFirstCall = treeKiB(s.pid).rss;
    });
    const get = server.get(pod);
    const full = checked(await s.client.callTool(get), get);
    const end = treeKiB(s.pid);
    return {
      memoryKiB: { idleAfterInitialize, idleAfterToolsList, afterFirstCall, peak: end.hwm },
      listing,
      pod: {
        textTokens: o200kTokens(textOf(full)),
        structuredTokens: full.structuredContent ? o200kTokens(full.structuredContent) : 0,
      },
    };
  } finally {
    await s.client.close();
  }
}
/** The seed's crash-looping pod, by what kube-sim serves (its name is generated), through kubectl. */
function crashLoopingPod() {
  const list = execFileSync(
    join(BIN_DIR, 'kubectl'),
    ['--kubeconfig', kubeconfig, 'get', 'pods', '--namespace', CONFIG.podNamespace, '--output', 'json'],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const pod = JSON.parse(list).items.find((item) =>
    item.status?.containerStatuses?.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff'),
  );
  if (!pod) throw new Error(`kube-sim has no crash-looping pod in ${CONFIG.podNamespace}`);
  return { namespace: CONFIG.podNamespace, name: pod.metadata.name };
}
const pause = (delay) => new Promise((done) => setTimeout(done, delay));

// ------------------------------------------------------------------------- our other servers' tools/list
const OTHER = [
  { id: 'cloudstack', app: 'cloudstack', args: [] },
  { id: 'cloudeka', app: 'cloudeka', args: [] },
  { id: 'cloudeka --toolsets all', app: 'cloudeka', args: ['--toolsets', 'all'] },
];

/** A list result's rows as objects: `items`, or `columns` and `rows` (the toolkit's compact list shape). */
function rowsOf(structured = {}) {
  if (Array.isArray(structured.items)) return structured.items;
  const { columns = [], rows = [] } = structured;
  return rows.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])));
}

/**
 * Toolsets on demand, where a server has them (the toolkit's toolset_list / toolset_enable): what
 * toolset_list costs the model to read, then the tools/list after enabling the first toolset that is off.
 * Null when the server lists no toolset_enable.
 */
async function afterEnablingOne(command, args, serverEnv, tools) {
  if (!tools.some((tool) => tool.name === 'toolset_enable')) return null;
  const s = await connect({ command, args, env: serverEnv });
  try {
    await s.client.listTools();
    const listCall = { name: 'toolset_list', arguments: {} };
    const listed = checked(await s.client.callTool(listCall), listCall);
    const off = rowsOf(listed.structuredContent).find((toolset) => String(toolset.on) === 'false');
    if (!off) return { skipped: 'toolset_list names no toolset that is off' };
    const call = { name: 'toolset_enable', arguments: { toolsets: [off.name] } };
    checked(await s.client.callTool(call), call);
    const { tools: after } = await s.client.listTools();
    return { toolsetListTokens: o200kTokens(textOf(listed)), enabled: off.name, ...toolListTokens(after) };
  } finally {
    await s.client.close();
  }
}

// ------------------------------------------------------------------------------------------------- the run
const results = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  config: CONFIG,
  ours: oursRoot,
  before: beforeRoot,
  kubernetes: Object.fromEntries(KUBE.map((s) => [s.id, { label: s.label, cold: [], sessions: [] }])),
  other: {},
  otherBefore: beforeRoot ? {} : undefined,
};
const sim = await startKubeSimProcess({ clusters: 1, pods: CONFIG.pods }, kubeconfig).catch((error) => {
  console.error(`lean: kube-sim did not start: ${error.message}`);
  process.exit(1);
});
try {
  log(`kube-sim: realistic seed + ${CONFIG.pods} pods in ${CONFIG.namespace}; ours from ${oursRoot}`);
  const pod = crashLoopingPod();
  results.pod = pod;
  // One unmeasured start each, so every server starts from a warm page cache; it also gives the tools.
  for (const server of KUBE) {
    const r = await rawColdStart({ command: server.command, args: server.args, env: env(server) });
    results.kubernetes[server.id].toolsList = { bytes: r.toolsListBytes, ...toolListTokens(r.tools) };
  }
  // Round-robin, each round starting at the next server, so load drift hits all alike.
  for (let run = 0; run < CONFIG.runs; run++) {
    for (let k = 0; k < KUBE.length; k++) {
      const server = KUBE[(run + k) % KUBE.length];
      log(`run ${run + 1}/${CONFIG.runs}: ${server.id} cold start to a first pod list`);
      const r = await rawColdStart({
        command: server.command,
        args: server.args,
        env: env(server),
        call: server.list,
      });
      if (r.callResult?.isError)
        throw new Error(`${server.id}: ${JSON.stringify(r.callResult).slice(0, 400)}`);
      results.kubernetes[server.id].cold.push({
        initMs: r.initMs,
        toolsListMs: r.toolsListMs,
        spawnToToolsListMs: r.totalMs,
        firstCallMs: r.callMs,
        spawnToFirstListMs: r.totalToCallMs,
      });
    }
    for (let k = 0; k < KUBE.length; k++) {
      const server = KUBE[(run + k) % KUBE.length];
      log(`run ${run + 1}/${CONFIG.runs}: ${server.id} session (memory, every pod, one pod)`);
      results.kubernetes[server.id].sessions.push(await session(server, pod));
    }
  }
  for (const { key, cli } of BUILDS) {
    for (const other of OTHER) {
      log(`${other.id}${key ? ` (${key})` : ''}: tools/list`);
      const command = process.execPath;
      const args = [cli(other.app), ...other.args];
      const serverEnv = placeholderEnv();
      const r = await rawColdStart({ command, args, env: serverEnv });
      results[key ? 'otherBefore' : 'other'][other.id] = {
        ...toolListTokens(r.tools),
        onDemand: await afterEnablingOne(command, args, serverEnv, r.tools),
      };
    }
  }
  for (const server of KUBE.filter((k) => k.id.startsWith('ours'))) {
    const listed = await rawColdStart({ command: server.command, args: server.args, env: env(server) });
    results.kubernetes[server.id].onDemand = await afterEnablingOne(
      server.command,
      server.args,
      env(server),
      listed.tools,
    );
  }
  results.machine.loadavgAfter = os.loadavg().map((v) => round(v, 2));
  results.wallSeconds = round(msSince(started) / 1000, 1);
} catch (error) {
  console.error(`lean failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
}
if (process.exitCode) process.exit();

// ------------------------------------------------------------------------------------------------ report
summarizeLean(results);
mkdirSync(dirname(resolve(options.out)), { recursive: true });
writeFileSync(resolve(options.out), `${JSON.stringify(results, null, 2)}\n`, { mode: 0o600 });
const K = results.kubernetes;
const m = results.machine;
console.log(`Lean — ${results.date}, ${m.cpu}, ${m.nproc} cores, node ${m.node}`);
console.log(`load average ${m.loadavgBefore.join(' ')} before, ${m.loadavgAfter.join(' ')} after`);
console.log(
  `ours from ${oursRoot}${beforeRoot ? `, before from ${beforeRoot}` : ''}; ${CONFIG.runs} runs; tokens o200k_base; times median (min–max)\n`,
);
console.log(
  table(
    ['', ...KUBE.map((s) => K[s.id].label)],
    kubeFigures(results).map(([label, cell]) => [label, ...KUBE.map((s) => cell(K[s.id]))]),
  ),
);
const builds = beforeRoot ? [false, true] : [false];
console.log('\nOur servers: tools/list (o200k tokens)');
console.log(
  table(
    ['server', 'tools', 'model reads', 'output schemas', 'after enabling one toolset'],
    builds.flatMap((before) =>
      ourToolLists(results, before).map(([id, o]) => [
        before ? `${id} (before)` : id,
        o.tools,
        int(o.modelFacing),
        int(o.outputSchemas),
        onDemandCell(o.onDemand),
      ]),
    ),
  ),
);
console.log('\nIssue 12 goals (medians)');
console.log(
  table(
    ['goal', ...(beforeRoot ? ['before'] : []), 'ours', 'limit', 'met'],
    results.goals.map((g, i) => [
      g.goal,
      ...(beforeRoot ? [int(results.goalsBefore[i].value)] : []),
      int(g.value),
      int(g.limit),
      g.met ? 'yes' : 'no',
    ]),
  ),
);
console.log(`\nwall ${results.wallSeconds} s; results in ${resolve(options.out)}`);
