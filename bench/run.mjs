#!/usr/bin/env node
// Benchmarks of the CloudStack MCP server (apps/cloudstack/dist/cli.js) against the CloudStack simulator.
// Run `pnpm bench` from the repository root (builds everything first), or `node bench/run.mjs` after
// `pnpm build`. Prints tables and writes bench/results/latest.json. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './lib/machine.mjs';
import { connect, memoryKiB, resultText, serverCliPath } from './lib/mcp.mjs';
import { int, mib, ms, table } from './lib/report.mjs';
import { rawCall } from './lib/sign.mjs';
import { startSimProcess } from './lib/sim.mjs';
import { msSince, now, round, summarize } from './lib/stats.mjs';
import { CHARS_PER_TOKEN, estimateTokens } from './lib/tokens.mjs';

const CONFIG = {
  coldStartRuns: 15,
  importRuns: 7,
  perCallWarmup: 30,
  perCallRuns: 200,
  sequentialSeconds: 3,
  concurrent: 100,
  concurrentRounds: 3,
  vms: 1000,
  jobSteps: 2,
  listLimit: 500,
};

const here = fileURLToPath(new URL('.', import.meta.url));
const started = now();
const log = (message) =>
  process.stderr.write(`[bench ${(msSince(started) / 1000).toFixed(1)}s] ${message}\n`);

// ---------------------------------------------------------------------------------------------- preflight
const cliPath = serverCliPath();
const simEntry = fileURLToPath(import.meta.resolve('cloudstack-sim'));
for (const [what, path] of [
  ['the CloudStack MCP server', cliPath],
  ['the CloudStack simulator', simEntry],
]) {
  if (!existsSync(path)) {
    console.error(`bench: ${what} is not built (${path} is missing). Run \`pnpm build\` or \`pnpm bench\`.`);
    process.exit(2);
  }
}

const cacheDir = mkdtempSync(join(os.tmpdir(), 'cloudmcp-bench-'));
const cleanups = [];
const cleanup = async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
  rmSync(cacheDir, { recursive: true, force: true });
};

const results = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  config: CONFIG,
  notes: {
    tokens: `estimated tokens = ceil(chars / ${CHARS_PER_TOKEN}) per text (non-ASCII code unit = 1 token), the formatter's own estimate`,
    baseline:
      'naive server = JSON.stringify(listVirtualMachines response, null, 2) per page of 500, as raw-JSON seeds ' +
      '(e.g. the mozg31337 and walteh CloudStack MCP servers) return; no CloudStack MCP peer is installable ' +
      'from npm here, so this stands in for them',
  },
};

try {
  // ------------------------------------------------------------------------------------------- simulator
  log(`starting the simulator (${CONFIG.vms} extra VMs) in its own process`);
  const sim = await startSimProcess({ vms: CONFIG.vms, jobSteps: CONFIG.jobSteps });
  cleanups.push(() => sim.close());
  const keys = { apiKey: sim.credentials.admin.apiKey, secretKey: sim.credentials.admin.secretKey };
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: cacheDir,
    XDG_CACHE_HOME: cacheDir,
    CLOUDSTACK_API_URL: sim.url,
    CLOUDSTACK_API_KEY: keys.apiKey,
    CLOUDSTACK_SECRET_KEY: keys.secretKey,
    CLOUDSTACK_JOB_POLL_MS: '50',
    CLOUDMCP_LOG_LEVEL: 'warn',
  };
  const raw = (params) => rawCall(sim.url, keys, params);

  // ------------------------------------------------------------------------------------------ cold start
  log(`cold start x${CONFIG.coldStartRuns}`);
  const cold = { connect: [], toolsList: [], total: [] };
  let toolsInfo;
  for (let i = 0; i < CONFIG.coldStartRuns; i++) {
    const t0 = now();
    const session = await connect({ env });
    const connectMs = msSince(t0);
    const t1 = now();
    const tools = await session.client.listTools();
    const listMs = msSince(t1);
    cold.connect.push(connectMs);
    cold.toolsList.push(listMs);
    cold.total.push(connectMs + listMs);
    toolsInfo ??= {
      count: tools.tools.length,
      bytes: Buffer.byteLength(JSON.stringify(tools)),
      tokens: estimateTokens(JSON.stringify(tools)),
    };
    await session.client.close();
  }
  // Where start-up time goes: a bare node process, and importing the server's bundle in a fresh one.
  const nodeFloor = [];
  const importMs = [];
  const timedImport = (url) =>
    `const t = performance.now(); await import(${JSON.stringify(url)}); ` +
    'process.stdout.write(String(performance.now() - t));';
  const indexUrl = import.meta.resolve('@cloudmcp/cloudstack');
  const importIn = (url) =>
    Number(execFileSync(process.execPath, ['--input-type=module', '-e', timedImport(url)]).toString());
  for (let i = 0; i < CONFIG.importRuns; i++) {
    const t0 = now();
    execFileSync(process.execPath, ['-e', '0']);
    nodeFloor.push(msSince(t0));
    importMs.push(importIn(indexUrl));
  }
  results.coldStart = {
    runs: CONFIG.coldStartRuns,
    spawnToInitializedMs: summarize(cold.connect),
    toolsListMs: summarize(cold.toolsList),
    totalMs: summarize(cold.total),
    tools: toolsInfo,
    bareNodeProcessMs: summarize(nodeFloor),
    importBundleMs: summarize(importMs),
  };

  // ------------------------------------------------------------------------- one session: memory, output
  log('warm session: idle memory');
  const main = await connect({ env });
  cleanups.push(() => main.client.close());
  await new Promise((r) => setTimeout(r, 500));
  const idle = memoryKiB(main.pid);
  // tools/list again on a warm session: what one listing costs the server and the client once started.
  const warmToolsList = [];
  for (let i = 0; i < 10; i++) {
    const t0 = now();
    await main.client.listTools();
    warmToolsList.push(msSince(t0));
  }
  results.coldStart.warmToolsListMs = summarize(warmToolsList);

  /** Walks vm_list with limit 500 and cursors; sums the text the model would read. */
  async function walkVmList(client) {
    const out = { calls: 0, vms: 0, bytes: 0, chars: 0, tokens: 0, structuredBytes: 0, maxResultTokens: 0 };
    let cursor;
    const t0 = now();
    do {
      const args = { limit: CONFIG.listLimit, ...(cursor ? { cursor } : {}) };
      const result = await client.callTool({ name: 'vm_list', arguments: args });
      const text = resultText(result, 'vm_list');
      const tokens = estimateTokens(text);
      out.calls++;
      out.bytes += Buffer.byteLength(text);
      out.chars += text.length;
      out.tokens += tokens;
      out.maxResultTokens = Math.max(out.maxResultTokens, tokens);
      out.structuredBytes += Buffer.byteLength(JSON.stringify(result.structuredContent ?? {}));
      // ours: the table's rows; a peer with structured items: its items
      out.vms += (result.structuredContent?.rows ?? result.structuredContent?.items)?.length ?? 0;
      cursor = result.structuredContent?.next_cursor;
    } while (cursor && out.calls < 50);
    out.wallMs = round(msSince(t0), 1);
    return out;
  }

  log('vm_list walk (table, default) + peak memory');
  const ours = { table: await walkVmList(main.client) };
  const afterList = memoryKiB(main.pid);

  // ------------------------------------------------------------------------------------ per-call overhead
  log(`per-call overhead: zone_list vs raw listZones, ${CONFIG.perCallRuns} each, interleaved`);
  const zoneList = async () =>
    resultText(await main.client.callTool({ name: 'zone_list', arguments: {} }), 'zone_list');
  // The same request the server sends for zone_list with its default limit.
  const listZones = () => raw({ command: 'listZones', page: '1', pagesize: '100' });
  for (let i = 0; i < CONFIG.perCallWarmup; i++) {
    await zoneList();
    await listZones();
  }
  const mcpTimes = [];
  const rawTimes = [];
  for (let i = 0; i < CONFIG.perCallRuns; i++) {
    const pair =
      i % 2 === 0
        ? [
            [listZones, rawTimes],
            [zoneList, mcpTimes],
          ]
        : [
            [zoneList, mcpTimes],
            [listZones, rawTimes],
          ];
    for (const [fn, into] of pair) {
      const t0 = now();
      await fn();
      into.push(msSince(t0));
    }
  }
  const mcpStats = summarize(mcpTimes);
  const rawStats = summarize(rawTimes);
  results.perCall = {
    runs: CONFIG.perCallRuns,
    mcpZoneListMs: mcpStats,
    rawListZonesMs: rawStats,
    addedMedianMs: round(mcpStats.median - rawStats.median, 3),
    addedP95Ms: round(mcpStats.p95 - rawStats.p95, 3),
  };

  // ------------------------------------------------------------------------------------------ throughput
  const firstVm = (await raw({ command: 'listVirtualMachines', listall: 'true', page: '1', pagesize: '1' }))
    .body.listvirtualmachinesresponse.virtualmachine[0];
  async function sequential(label, fn) {
    log(`sequential ${label} for ${CONFIG.sequentialSeconds} s`);
    const t0 = now();
    let calls = 0;
    while (msSince(t0) < CONFIG.sequentialSeconds * 1000) {
      await fn();
      calls++;
    }
    const elapsed = msSince(t0);
    return { calls, seconds: round(elapsed / 1000, 2), callsPerSecond: round(calls / (elapsed / 1000), 1) };
  }
  const vmStatus = async () =>
    resultText(await main.client.callTool({ name: 'vm_status', arguments: { vm: firstVm.id } }), 'vm_status');
  const seqVmStatus = await sequential('vm_status', vmStatus);
  const seqZoneList = await sequential('zone_list', zoneList);
  // The upstream requests behind them, straight to the simulator, for scale.
  const seqRawVm = await sequential('raw listVirtualMachines id=… (vm_status upstream)', () =>
    raw({ command: 'listVirtualMachines', id: firstVm.id, listall: 'true' }),
  );
  const seqRawZones = await sequential('raw listZones (zone_list upstream)', listZones);

  async function burst(label, fn) {
    log(`${CONFIG.concurrent} concurrent ${label} x${CONFIG.concurrentRounds}`);
    const rounds = [];
    for (let r = 0; r < CONFIG.concurrentRounds; r++) {
      const latencies = [];
      const t0 = now();
      await Promise.all(
        Array.from({ length: CONFIG.concurrent }, async () => {
          const t = now();
          await fn();
          latencies.push(msSince(t));
        }),
      );
      const total = msSince(t0);
      rounds.push({
        totalMs: total,
        callsPerSecond: CONFIG.concurrent / (total / 1000),
        latency: summarize(latencies),
      });
    }
    rounds.sort((a, b) => a.totalMs - b.totalMs);
    const mid = rounds[Math.floor(rounds.length / 2)];
    return {
      calls: CONFIG.concurrent,
      rounds: CONFIG.concurrentRounds,
      medianRoundTotalMs: round(mid.totalMs, 1),
      callsPerSecond: round(mid.callsPerSecond, 1),
      perCallMedianMs: round(mid.latency.median, 1),
      perCallP95Ms: round(mid.latency.p95, 1),
      allRoundsTotalMs: rounds.map((x) => round(x.totalMs, 1)),
    };
  }
  const burstMcp = await burst('zone_list (one MCP session)', zoneList);
  const burstRaw = await burst('raw listZones (baseline)', listZones);
  results.throughput = {
    sequentialVmStatus: seqVmStatus,
    sequentialZoneList: seqZoneList,
    sequentialRawListVirtualMachinesById: seqRawVm,
    sequentialRawListZones: seqRawZones,
    concurrentZoneList: burstMcp,
    concurrentRawListZones: burstRaw,
  };

  const endOfRun = memoryKiB(main.pid);
  results.memory = {
    idleRssKiB: idle.rss,
    afterListing1000VmsRssKiB: afterList.rss,
    peakRssAfterListing1000VmsKiB: afterList.hwm,
    peakRssEndOfRunKiB: endOfRun.hwm,
    rssEndOfRunKiB: endOfRun.rss,
  };

  // ------------------------------------------------------------------------------- output: other formats
  for (const format of ['json', 'yaml']) {
    log(`vm_list walk with --output ${format}`);
    const session = await connect({ env, args: ['--output', format] });
    ours[format] = await walkVmList(session.client);
    await session.client.close();
  }

  // Naive baseline: the upstream JSON as-is, pretty-printed, page by page (500 per page, CloudStack's cap).
  log('naive baseline: raw listVirtualMachines pages as JSON');
  const naive = { calls: 0, vms: 0, bytes: 0, chars: 0, tokens: 0, compactBytes: 0, maxResultTokens: 0 };
  const naiveStart = now();
  for (let pageNo = 1; ; pageNo++) {
    const { body, text } = await raw({
      command: 'listVirtualMachines',
      listall: 'true',
      page: String(pageNo),
      pagesize: String(CONFIG.listLimit),
    });
    const items = body.listvirtualmachinesresponse?.virtualmachine ?? [];
    if (items.length === 0) break;
    const pretty = JSON.stringify(body, null, 2);
    const tokens = estimateTokens(pretty);
    naive.calls++;
    naive.vms += items.length;
    naive.bytes += Buffer.byteLength(pretty);
    naive.chars += pretty.length;
    naive.tokens += tokens;
    naive.maxResultTokens = Math.max(naive.maxResultTokens, tokens);
    naive.compactBytes += Buffer.byteLength(text);
    if (naive.vms >= body.listvirtualmachinesresponse.count) break;
  }
  naive.wallMs = round(msSince(naiveStart), 1);
  results.output = {
    listing: `vm_list limit ${CONFIG.listLimit}, following next_cursor (default --max-output-tokens 20000)`,
    ours,
    naiveRawJson: naive,
  };
  results.machine.loadavgAfter = os.loadavg().map((v) => round(v, 2));
  results.wallSeconds = round(msSince(started) / 1000, 1);
} catch (error) {
  await cleanup();
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
}
await cleanup();

// ----------------------------------------------------------------------------------------------- report
mkdirSync(join(here, 'results'), { recursive: true });
const outFile = join(here, 'results', 'latest.json');
writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);

const m = results.machine;
const c = results.coldStart;
const p = results.perCall;
const t = results.throughput;
const mem = results.memory;
const o = results.output;
const stat = (label, x) => [label, ms(x.median), ms(x.p95), ms(x.min), ms(x.max)];
const seqRow = (label, x) => [label, x.calls, int(x.seconds * 1000), x.callsPerSecond, '-', '-'];
const burstRow = (label, x) => [
  label,
  x.calls,
  ms(x.medianRoundTotalMs),
  x.callsPerSecond,
  ms(x.perCallMedianMs),
  ms(x.perCallP95Ms),
];
const outRow = (label, x) => [
  label,
  x.calls,
  x.vms,
  int(x.bytes),
  int(x.tokens),
  int(x.maxResultTokens),
  int(x.bytes / Math.max(1, x.vms)),
  (x.tokens / Math.max(1, x.vms)).toFixed(1),
  int(x.wallMs),
];
const lines = [
  `CloudStack MCP server benchmark — ${results.date}`,
  `${m.nproc} cores (${m.cpu}), node ${m.node}, ${m.platform}; load average before ${m.loadavgBefore.join(' ')}`,
  '',
  `Cold start (${c.runs} runs, spawn → initialize → tools/list; ${c.tools.count} tools, ` +
    `tools/list ${int(c.tools.bytes)} B ≈ ${int(c.tools.tokens)} tokens; p95 of 15 = the slowest run)`,
  table(
    ['', 'median ms', 'p95 ms', 'min ms', 'max ms'],
    [
      stat('spawn → initialized', c.spawnToInitializedMs),
      stat('tools/list', c.toolsListMs),
      stat('total', c.totalMs),
      stat('(bare `node -e 0`)', c.bareNodeProcessMs),
      stat('(import dist/index.js)', c.importBundleMs),
      stat('(tools/list, warm session)', c.warmToolsListMs),
    ],
  ),
  '',
  `Per call (${p.runs} each, interleaved, warm)`,
  table(
    ['', 'median ms', 'p95 ms'],
    [
      ['zone_list via MCP', ms(p.mcpZoneListMs.median), ms(p.mcpZoneListMs.p95)],
      ['raw signed listZones', ms(p.rawListZonesMs.median), ms(p.rawListZonesMs.p95)],
      ['added by the server', ms(p.addedMedianMs), ms(p.addedP95Ms)],
    ],
  ),
  '',
  'Throughput on one session',
  table(
    ['', 'calls', 'total ms', 'calls/s', 'call p50 ms', 'call p95 ms'],
    [
      seqRow('sequential vm_status', t.sequentialVmStatus),
      seqRow('sequential zone_list', t.sequentialZoneList),
      seqRow('(raw: listVirtualMachines id=)', t.sequentialRawListVirtualMachinesById),
      seqRow('(raw: listZones)', t.sequentialRawListZones),
      burstRow(`${t.concurrentZoneList.calls} concurrent zone_list`, t.concurrentZoneList),
      burstRow(`${t.concurrentRawListZones.calls} concurrent raw listZones`, t.concurrentRawListZones),
    ],
  ),
  '',
  'Memory of the server process',
  table(
    ['', 'MiB'],
    [
      ['idle RSS after initialize', mib(mem.idleRssKiB)],
      ['RSS after listing 1 000 VMs', mib(mem.afterListing1000VmsRssKiB)],
      ['peak RSS (VmHWM) after listing', mib(mem.peakRssAfterListing1000VmsKiB)],
      ['RSS end of run (~5 000 calls later)', mib(mem.rssEndOfRunKiB)],
      ['peak RSS (VmHWM) end of run', mib(mem.peakRssEndOfRunKiB)],
    ],
  ),
  '',
  `Output for listing every VM (${o.ours.table.vms} VMs; ${o.listing}; tokens = chars/${CHARS_PER_TOKEN})`,
  table(
    ['', 'calls', 'VMs', 'bytes', 'tokens', 'max/result', 'B/VM', 'tok/VM', 'wall ms'],
    [
      outRow('ours, table (default)', o.ours.table),
      outRow('ours, --output yaml', o.ours.yaml),
      outRow('ours, --output json', o.ours.json),
      outRow('naive: upstream JSON, 2-space indent', o.naiveRawJson),
    ],
  ),
  `ratio naive/ours (table): ${(o.naiveRawJson.tokens / o.ours.table.tokens).toFixed(1)}x tokens; ` +
    `structuredContent of ours (not counted above): ${int(o.ours.table.structuredBytes)} B`,
  '',
  `wrote ${outFile} in ${results.wallSeconds} s`,
];
console.log(lines.join('\n'));
