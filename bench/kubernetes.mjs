#!/usr/bin/env node
// Kubernetes: our server (apps/kubernetes/dist/cli.js) beside the two peers from npm —
// kubernetes-mcp-server (Go binary shipped in an npm package) and mcp-server-kubernetes (TypeScript) — against
// one kube-sim cluster with 500 extra pods, in one run: cold start, tools/list size, idle RSS, and listing the
// 500 pods of namespace `bench` (latency, output bytes and tokens). `node bench/kubernetes.mjs` after
// `pnpm build` and `bash scripts/fetch-kubectl.sh`. Prints tables and writes bench/results/kubernetes.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { BIN_DIR, checkKubeBench, FLUX_MAX_BUFFER, GO_PEER, TS_PEER } from './lib/kube-peers.mjs';
import { startKubeSimProcess } from './lib/kube-sim.mjs';
import { rawColdStart } from './lib/kube-stdio.mjs';
import { machineInfo } from './lib/machine.mjs';
import { treeKiB } from './lib/proc.mjs';
import { int, mib, ms, table } from './lib/report.mjs';
import { msSince, now, round, summarize } from './lib/stats.mjs';
import { CHARS_PER_TOKEN, estimateTokens } from './lib/tokens.mjs';

const CONFIG = {
  pods: 500,
  namespace: 'bench',
  coldStartRuns: 10,
  sdkColdStartRuns: 5,
  listRuns: 10,
  budgetTokens: 20_000,
  // mcp-server-kubernetes's default SPAWN_MAX_BUFFER cannot hold the 500 pods (checked below); see kube-peers.
  fluxMaxBuffer: FLUX_MAX_BUFFER,
};

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const started = now();
const log = (message) =>
  process.stderr.write(`[bench ${(msSince(started) / 1000).toFixed(1)}s] ${message}\n`);

// ---------------------------------------------------------------------------------------------- preflight
const oursCli = join(root, 'apps/kubernetes/dist/cli.js');
checkKubeBench([['our Kubernetes MCP server', oursCli]]);

const tmp = mkdtempSync(join(os.tmpdir(), 'cloudmcp-kbench-'));
const kubeconfig = join(tmp, 'kubeconfig');
const cleanups = [];
const cleanup = async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
  rmSync(tmp, { recursive: true, force: true });
};

// ------------------------------------------------------------------------------------------------ servers
// Every server gets the same scrubbed environment: PATH with kubectl/helm from .bin-cache first (the TS peer
// shells out to kubectl for every call; ours only for its kubectl/helm tools), a fresh HOME, and KUBECONFIG
// pointing at kube-sim's kubeconfig (HTTPS, the cluster's CA in certificate-authority-data, admin token).
// No server is given an insecure-TLS flag: each verifies kube-sim's certificate against that CA.
const baseEnv = (name) => {
  const home = join(tmp, `home-${name}`);
  mkdirSync(home, { recursive: true });
  return { PATH: `${BIN_DIR}:${process.env.PATH ?? ''}`, HOME: home, KUBECONFIG: kubeconfig };
};
const podArgs = { namespace: CONFIG.namespace };

const SERVERS = [
  {
    id: 'ours',
    label: 'ours: kubernetes-mcp (table)',
    command: process.execPath,
    args: [oursCli],
    env: { CLOUDMCP_LOG_LEVEL: 'warn' },
    tool: 'pod_list',
    arguments: { ...podArgs, limit: CONFIG.pods },
    paged: true,
  },
  {
    id: 'ours-json',
    label: 'ours: kubernetes-mcp --output json',
    command: process.execPath,
    args: [oursCli, '--output', 'json'],
    env: { CLOUDMCP_LOG_LEVEL: 'warn' },
    tool: 'pod_list',
    arguments: { ...podArgs, limit: CONFIG.pods },
    paged: true,
    coldStart: false,
  },
  {
    id: 'kubernetes-mcp-server',
    label: `kubernetes-mcp-server ${GO_PEER.version} (Go)`,
    command: GO_PEER.binary,
    args: [],
    env: {},
    tool: 'pods_list_in_namespace',
    arguments: podArgs,
  },
  {
    id: 'kubernetes-mcp-server-npx',
    label: 'kubernetes-mcp-server via its npm wrapper',
    command: process.execPath,
    args: [GO_PEER.wrapper],
    env: {},
    listing: false,
  },
  {
    id: 'mcp-server-kubernetes',
    label: `mcp-server-kubernetes ${TS_PEER.version} (TS)`,
    command: process.execPath,
    args: [TS_PEER.cli],
    env: { SPAWN_MAX_BUFFER: CONFIG.fluxMaxBuffer },
    tool: 'kubectl_get',
    arguments: { resourceType: 'pods', ...podArgs },
  },
];

async function start(server, extraEnv = {}) {
  const transport = new StdioClientTransport({
    command: server.command,
    args: server.args,
    env: { ...baseEnv(server.id), ...server.env, ...extraEnv },
    stderr: 'pipe',
  });
  let tail = '';
  transport.stderr?.on('data', (chunk) => {
    tail = (tail + chunk).slice(-4000);
  });
  const client = new Client({ name: 'cloudmcp-bench', version: '0.0.0' });
  const t = now();
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${server.id} failed to start: ${error.message}\n${tail}`);
  }
  return { client, transport, pid: transport.pid, initMs: msSince(t), stderrTail: () => tail };
}

const textOf = (result) =>
  (result.content ?? [])
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');

/** One listing of the 500 pods, following next_cursor for ours; sums what the model reads. */
async function listPods(client, server) {
  const out = { calls: 0, bytes: 0, chars: 0, tokens: 0, maxResultTokens: 0, structuredBytes: 0 };
  const names = new Set();
  let cursor;
  const t = now();
  do {
    const args = { ...server.arguments, ...(cursor ? { cursor } : {}) };
    const result = await client.callTool({ name: server.tool, arguments: args });
    const text = textOf(result);
    if (result.isError) throw new Error(`${server.tool} failed: ${text.slice(0, 400)}`);
    const tokens = estimateTokens(text);
    out.calls++;
    out.bytes += Buffer.byteLength(text);
    out.chars += text.length;
    out.tokens += tokens;
    out.maxResultTokens = Math.max(out.maxResultTokens, tokens);
    if (result.structuredContent)
      out.structuredBytes += Buffer.byteLength(JSON.stringify(result.structuredContent));
    for (const m of text.matchAll(/bench-pod-\d{4}/g)) names.add(m[0]);
    cursor = server.paged ? result.structuredContent?.next_cursor : undefined;
  } while (cursor && out.calls < 50);
  out.ms = msSince(t);
  out.podsSeen = names.size;
  return out;
}

/** The same list request straight to kube-sim over HTTPS (its CA, the admin token, keep-alive). */
function rawList(cluster, path, accept) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${cluster.url}${path}`,
      { agent: rawAgent, ca: cluster.caPem, headers: { authorization: `Bearer ${cluster.token}`, accept } },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk) => {
          bytes += chunk.length;
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${path}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
const rawAgent = new https.Agent({ keepAlive: true, maxSockets: 1 });

const results = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  config: CONFIG,
  question: `all ${CONFIG.pods} pods of namespace "${CONFIG.namespace}" (realistic seed + ${CONFIG.pods} bench pods)`,
  servers: {},
};

try {
  log(`kube-sim: 1 cluster, realistic seed + ${CONFIG.pods} pods`);
  const sim = await startKubeSimProcess({ clusters: 1, pods: CONFIG.pods }, kubeconfig);
  cleanups.push(() => sim.close());
  const cluster = sim.clusters[0];
  results.sim = { clusters: sim.clusters.map((c) => ({ name: c.name, url: c.url })) };

  // ------------------------------------------------------------------------------------------ cold start
  // Raw JSON-RPC over stdio (lib/kube-stdio.mjs): what the server itself takes. Round-robin, each round
  // starting at the next server, so that load drift on the machine hits all of them alike; one unmeasured
  // start each first, so that every server starts with its files in the page cache (the Go binary is 78 MB;
  // the TS peer loads ~180 packages).
  const cold = SERVERS.filter((s) => s.coldStart !== false);
  const env = (server) => ({ ...baseEnv(server.id), ...server.env });
  const runs = Object.fromEntries(cold.map((s) => [s.id, { init: [], toolsList: [], total: [], sdk: [] }]));
  for (const server of cold) {
    const r = await rawColdStart({ command: server.command, args: server.args, env: env(server) });
    const modelFacing = JSON.stringify(
      r.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        inputSchema: tool.inputSchema,
      })),
    );
    Object.assign(runs[server.id], {
      tools: r.tools.length,
      toolsListBytes: r.toolsListBytes,
      toolsListTokens: Math.ceil(r.toolsListBytes / CHARS_PER_TOKEN),
      modelFacingBytes: Buffer.byteLength(modelFacing),
      modelFacingTokens: estimateTokens(modelFacing),
      outputSchemas: r.tools.filter((tool) => tool.outputSchema).length,
    });
  }
  for (let i = 0; i < CONFIG.coldStartRuns; i++) {
    log(`cold start ${i + 1}/${CONFIG.coldStartRuns} (raw stdio)`);
    for (let k = 0; k < cold.length; k++) {
      const server = cold[(i + k) % cold.length];
      const r = await rawColdStart({ command: server.command, args: server.args, env: env(server) });
      runs[server.id].init.push(r.initMs);
      runs[server.id].toolsList.push(r.toolsListMs);
      runs[server.id].total.push(r.totalMs);
    }
  }
  // The same through the SDK client, as a host built on it sees it (it also parses the answer and
  // compiles the output schemas it finds).
  for (let i = 0; i < CONFIG.sdkColdStartRuns; i++) {
    log(`cold start ${i + 1}/${CONFIG.sdkColdStartRuns} (SDK client)`);
    for (let k = 0; k < cold.length; k++) {
      const server = cold[(i + k) % cold.length];
      const t = now();
      const s = await start(server);
      const listed = await s.client.listTools();
      runs[server.id].sdk.push(msSince(t));
      runs[server.id].serverVersion ??= s.client.getServerVersion();
      if (listed.tools.length !== runs[server.id].tools) throw new Error(`${server.id}: tool count differs`);
      await s.client.close();
    }
  }
  for (const server of cold) {
    const r = runs[server.id];
    results.servers[server.id] = {
      label: server.label,
      serverVersion: r.serverVersion,
      coldStart: {
        spawnToInitializeMs: summarize(r.init),
        firstToolsListMs: summarize(r.toolsList),
        totalMs: summarize(r.total),
        totalWithSdkClientMs: summarize(r.sdk),
      },
      tools: r.tools,
      toolsWithOutputSchema: r.outputSchemas,
      toolsList: {
        bytes: r.toolsListBytes,
        tokens: r.toolsListTokens,
        modelFacingBytes: r.modelFacingBytes,
        modelFacingTokens: r.modelFacingTokens,
      },
    };
  }

  // ----------------------------------------------------------- the apiserver's share: raw list requests
  // Also warms kube-sim's list path up before any server lists, so that no server pays for that.
  log('raw list requests to kube-sim (JSON and server-side Table)');
  const listPath = `/api/v1/namespaces/${CONFIG.namespace}/pods?limit=${CONFIG.pods}`;
  const accepts = {
    json: 'application/json',
    table: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  };
  results.apiserver = {};
  for (const [kind, accept] of Object.entries(accepts)) {
    for (let i = 0; i < 5; i++) await rawList(cluster, listPath, accept);
    const times = [];
    let bytes = 0;
    for (let i = 0; i < CONFIG.listRuns; i++) {
      const t = now();
      bytes = await rawList(cluster, listPath, accept);
      times.push(msSince(t));
    }
    results.apiserver[kind] = { path: listPath, accept, ms: summarize(times), bytes };
  }
  rawAgent.destroy();

  // ----------------------------------------------------------------------------- warm session: RSS, list
  for (const server of SERVERS) {
    log(`${server.id}: idle RSS${server.listing === false ? '' : `, then ${CONFIG.listRuns + 1} listings`}`);
    const s = await start(server);
    await s.client.listTools();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idle = treeKiB(s.pid);
    if (server.listing === false) {
      results.servers[server.id].memory = { idleRssKiB: idle.rss };
      await s.client.close();
      continue;
    }
    const first = await listPods(s.client, server);
    const afterFirst = treeKiB(s.pid);
    const times = [];
    let last = first;
    for (let i = 0; i < CONFIG.listRuns; i++) {
      last = await listPods(s.client, server);
      times.push(last.ms);
    }
    const after = treeKiB(s.pid);
    await s.client.close();
    const entry = results.servers[server.id] ?? { label: server.label };
    results.servers[server.id] = {
      ...entry,
      memory: {
        idleRssKiB: idle.rss,
        afterFirstListRssKiB: afterFirst.rss,
        afterListRssKiB: after.rss,
        peakRssKiB: after.hwm,
      },
      listing: {
        tool: server.tool,
        arguments: server.arguments,
        firstCallMs: round(first.ms, 1),
        warmMs: summarize(times),
        calls: last.calls,
        podsSeen: last.podsSeen,
        bytes: last.bytes,
        tokens: last.tokens,
        maxResultTokens: last.maxResultTokens,
        fitsBudget: last.maxResultTokens <= CONFIG.budgetTokens,
        structuredContentBytes: last.structuredBytes,
      },
      stderrTail: s.stderrTail().slice(-600),
    };
  }

  // ------------------------------------------------- mcp-server-kubernetes as installed (default buffer)
  {
    const flux = SERVERS.find((s) => s.id === 'mcp-server-kubernetes');
    log('mcp-server-kubernetes with its default SPAWN_MAX_BUFFER');
    const s = await start({ ...flux, env: {} });
    let outcome;
    try {
      const r = await listPods(s.client, flux);
      outcome = { ok: true, bytes: r.bytes, tokens: r.tokens };
    } catch (error) {
      outcome = { ok: false, error: String(error.message).slice(0, 300) };
    }
    await s.client.close();
    results.servers['mcp-server-kubernetes'].listingWithDefaultBuffer = outcome;
  }

  results.machine.loadavgAfter = os.loadavg().map((v) => round(v, 2));
  results.wallSeconds = round(msSince(started) / 1000, 1);
} catch (error) {
  await cleanup();
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
}
await cleanup();

// ------------------------------------------------------------------------------------------------- report
const S = results.servers;
const ours = S.ours;
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'kubernetes.json'), `${JSON.stringify(results, null, 2)}\n`);

const m = results.machine;
console.log(`Kubernetes MCP servers — ${results.date}, node ${process.version}, ${m.nproc} cores`);
console.log(`load average ${m.loadavgBefore.join(' ')} before, ${m.loadavgAfter.join(' ')} after`);
console.log(`question: ${results.question}\n`);
const coldIds = Object.keys(S).filter((id) => S[id].coldStart);
console.log(
  `Cold start: spawn → initialize → tools/list, raw stdio (${CONFIG.coldStartRuns} runs each, round-robin); ` +
    `last column through the SDK client (${CONFIG.sdkColdStartRuns} runs)`,
);
console.log(
  table(
    ['server', 'init med', 'tools/list med', 'total med', 'total p95', 'SDK total med'],
    coldIds.map((id) => {
      const c = S[id].coldStart;
      return [
        S[id].label,
        ms(c.spawnToInitializeMs.median),
        ms(c.firstToolsListMs.median),
        ms(c.totalMs.median),
        ms(c.totalMs.p95),
        ms(c.totalWithSdkClientMs.median),
      ];
    }),
  ),
);
console.log('\ntools/list answer');
console.log(
  table(
    ['server', 'tools', 'with output schema', 'bytes', '≈ tokens', 'model-facing B', 'model-facing tok'],
    coldIds
      .filter((id) => id !== 'kubernetes-mcp-server-npx')
      .map((id) => [
        S[id].label,
        S[id].tools,
        S[id].toolsWithOutputSchema,
        int(S[id].toolsList.bytes),
        int(S[id].toolsList.tokens),
        int(S[id].toolsList.modelFacingBytes),
        int(S[id].toolsList.modelFacingTokens),
      ]),
  ),
);
const listIds = Object.keys(S).filter((id) => S[id].listing);
console.log(`\nListing ${CONFIG.pods} pods (warm session; median/p95 of ${CONFIG.listRuns} full listings)`);
console.log(
  table(
    [
      'server',
      'tool',
      'calls',
      'pods',
      'first ms',
      'median ms',
      'p95 ms',
      'bytes',
      '≈ tokens',
      'largest',
      '≤ 20k',
    ],
    [
      ...listIds.map((id) => {
        const l = S[id].listing;
        return [
          S[id].label,
          l.tool,
          l.calls,
          l.podsSeen,
          ms(l.firstCallMs),
          ms(l.warmMs.median),
          ms(l.warmMs.p95),
          int(l.bytes),
          int(l.tokens),
          int(l.maxResultTokens),
          l.fitsBudget ? 'yes' : 'no',
        ];
      }),
      ...Object.entries(results.apiserver).map(([kind, a]) => [
        `raw GET to kube-sim (${kind})`,
        '-',
        1,
        CONFIG.pods,
        '-',
        ms(a.ms.median),
        ms(a.ms.p95),
        int(a.bytes),
        '-',
        '-',
        '-',
      ]),
    ],
  ),
);
console.log('\nMemory of the server process (MiB)');
console.log(
  table(
    ['server', 'idle RSS', 'after 1st listing', `after ${CONFIG.listRuns + 1} listings`, 'peak (VmHWM)'],
    Object.keys(S).map((id) => [
      S[id].label,
      mib(S[id].memory.idleRssKiB),
      mib(S[id].memory.afterFirstListRssKiB),
      mib(S[id].memory.afterListRssKiB),
      mib(S[id].memory.peakRssKiB),
    ]),
  ),
);
const d = S['mcp-server-kubernetes'].listingWithDefaultBuffer;
console.log(
  `\nmcp-server-kubernetes with its default SPAWN_MAX_BUFFER (1 MiB): ${d.ok ? `ok, ${int(d.tokens)} tokens` : `fails — ${d.error}`}`,
);
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? round(a / b, 2) : '-');
console.log('\nRatios ours / peer (below 1: ours is smaller or faster)');
console.log(
  table(
    ['peer', 'cold start', 'tools/list bytes', 'model-facing tok', 'list median', 'list tokens', 'idle RSS'],
    ['kubernetes-mcp-server', 'mcp-server-kubernetes'].map((id) => [
      id,
      ratio(ours.coldStart.totalMs.median, S[id].coldStart.totalMs.median),
      ratio(ours.toolsList.bytes, S[id].toolsList.bytes),
      ratio(ours.toolsList.modelFacingTokens, S[id].toolsList.modelFacingTokens),
      ratio(ours.listing.warmMs.median, S[id].listing.warmMs.median),
      ratio(ours.listing.tokens, S[id].listing.tokens),
      ratio(ours.memory.idleRssKiB, S[id].memory.idleRssKiB),
    ]),
  ),
);
console.log(`\nwall ${results.wallSeconds} s; results in bench/results/kubernetes.json`);
