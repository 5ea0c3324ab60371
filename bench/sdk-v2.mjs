#!/usr/bin/env node
// MCP SDK v1 → v2, measured on builds side by side in one run: for cloudstack, kubernetes and cloudeka, cold
// start over stdio, the time of a cheap read tool call on a warm stdio connection and over HTTP, HTTP calls
// per second at several concurrencies, and the server's RSS — in each protocol era a build serves (legacy:
// the 2025 `initialize` handshake; modern: 2026-07-28, no handshake). See bench/README.md, "SDK v1 → v2".
//
//   node bench/sdk-v2.mjs [options] <label>=<repository root> [<label>=<root> ...]
//   node bench/sdk-v2.mjs before=/tmp/bench-before after=.
//
// A root is a built checkout (`pnpm build`); its apps/<server>/dist/cli.js is what runs. The builds take
// turns (the order flips every time) so that they share the machine's load. Prints one table per server and
// writes every sample to bench/results/sdk-v2.json. Options: --servers cloudstack,kubernetes,cloudeka,
// --cold 7 (cold starts per build and era), --rounds 3 (warm sessions per build and era), --calls 200
// (timed stdio calls per round), --http-calls 400 (calls per concurrency per round), --concurrency 1,8,32,
// --warmup 20 (untimed calls first), --settle-ms 1000 (wait before reading the idle RSS).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SdkErrorCode } from '@modelcontextprotocol/client';
import { machineInfo } from './lib/machine.mjs';
import { connect, connectHttp, cpuMs, memoryKiB, resultText, startHttpServer } from './lib/mcp.mjs';
import { int, mib, ms, table } from './lib/report.mjs';
import { msSince, now, percentile, round } from './lib/stats.mjs';
import { TARGETS } from './lib/targets.mjs';

const ERAS = ['legacy', 'modern'];
const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    servers: { type: 'string', default: TARGETS.map((t) => t.app).join(',') },
    cold: { type: 'string', default: '7' },
    rounds: { type: 'string', default: '3' },
    calls: { type: 'string', default: '200' },
    'http-calls': { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '1,8,32' },
    warmup: { type: 'string', default: '20' },
    'settle-ms': { type: 'string', default: '1000' },
  },
});
const CONFIG = {
  cold: Number(flags.cold),
  rounds: Number(flags.rounds),
  calls: Number(flags.calls),
  httpCalls: Number(flags['http-calls']),
  concurrency: flags.concurrency.split(',').map(Number),
  warmup: Number(flags.warmup),
  settleMs: Number(flags['settle-ms']),
};
const targets = flags.servers.split(',').map((app) => {
  const target = TARGETS.find((t) => t.app === app);
  if (!target) usage(`unknown server ${app}`);
  return target;
});
const builds = positionals.map((arg) => {
  const match = /^([^=]+)=(.+)$/.exec(arg);
  if (!match) usage(`expected <label>=<repository root>, got ${arg}`);
  const root = resolve(match[2]);
  for (const target of targets) {
    const cli = join(root, 'apps', target.app, 'dist', 'cli.js');
    if (!existsSync(cli)) usage(`${cli} is missing: run \`pnpm build\` in ${root}`);
  }
  return { label: match[1], root, commit: describeCommit(root) };
});
if (builds.length === 0) usage('name at least one build');

function usage(problem) {
  console.error(`sdk-v2: ${problem}\nusage: node bench/sdk-v2.mjs [options] <label>=<repository root> ...`);
  process.exit(2);
}

function describeCommit(root) {
  const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

const started = now();
const log = (message) =>
  process.stderr.write(`[sdk-v2 ${(msSince(started) / 1000).toFixed(1)}s] ${message}\n`);
const sleep = (msec) => new Promise((done) => setTimeout(done, msec));
/** The items in order on even turns, reversed on odd ones. */
const turn = (items, i) => (i % 2 === 0 ? items : [...items].reverse());

const tmp = mkdtempSync(join(os.tmpdir(), 'cloudmcp-sdk-v2-'));
const results = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  config: CONFIG,
  builds,
  servers: {},
};

/** One tool call; throws when the tool reports an error or returns no text. */
async function callTool(client, target) {
  const text = resultText(
    await client.callTool({ name: target.tool, arguments: target.arguments }),
    target.tool,
  );
  if (!text) throw new Error(`${target.tool} returned no text`);
}

/**
 * Whether a build serves the modern era over stdio: one connect pinned to 2026-07-28. Resolves with the
 * server's DiscoverResult (reused as a cached verdict by the timed modern connects) or why not.
 */
async function modernOffer(run) {
  try {
    const session = await connect({ cli: run.cli, env: run.env, era: 'modern' });
    const discover = session.client.getDiscoverResult();
    await session.client.close();
    return { discover };
  } catch (error) {
    if (error.code !== SdkErrorCode.EraNegotiationFailed) throw error;
    return { reason: error.message.split('\n')[0] };
  }
}

/**
 * spawn → (initialize | nothing) → first tools/list answered. Legacy: the SDK client's default handshake.
 * Modern: `prior` skips the probe (a host that cached the server's era); without it the SDK probes with
 * server/discover on a sibling process first, as a pinned host without a cache does.
 */
async function coldStart(run, era, prior) {
  const t0 = now();
  const session = await connect({ cli: run.cli, env: run.env, era, prior });
  const connectMs = msSince(t0);
  const { tools } = await session.client.listTools();
  const totalMs = msSince(t0);
  // What the server spent to get there, whatever else the machine is doing (wall times are not).
  const serverCpuMs = cpuMs(session.pid);
  await session.client.close();
  if (tools.length === 0) throw new Error(`${run.cli}: tools/list answered no tools`);
  return { connectMs, totalMs, serverCpuMs };
}

/** Calls `total` times with `concurrency` in flight; the latency of each call and the wall time. */
async function burst(client, target, total, concurrency) {
  const latencies = [];
  let issued = 0;
  const worker = async () => {
    while (issued < total) {
      issued++;
      const t = now();
      await callTool(client, target);
      latencies.push(msSince(t));
    }
  };
  const t0 = now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, wallMs: msSince(t0) };
}

/** A warm stdio session: idle RSS, `calls` timed sequential calls, RSS after them. */
async function warmStdio(run, era, target, sample) {
  const prior = era === 'modern' ? { kind: 'modern', discover: run.offer.discover } : undefined;
  const session = await connect({ cli: run.cli, env: run.env, era, prior });
  try {
    await session.client.listTools();
    await sleep(CONFIG.settleMs);
    sample.stdioRssIdle.push(memoryKiB(session.pid).rss);
    for (let i = 0; i < CONFIG.warmup; i++) await callTool(session.client, target);
    const cpuBefore = cpuMs(session.pid);
    const { latencies } = await burst(session.client, target, CONFIG.calls, 1);
    sample.stdioCpuPerCallMs.push((cpuMs(session.pid) - cpuBefore) / CONFIG.calls);
    sample.stdioCallMs.push(latencies);
    sample.stdioRssAfter.push(memoryKiB(session.pid).rss);
  } finally {
    await session.client.close();
  }
}

/**
 * A fresh `--http` server: idle RSS, then `httpCalls` calls at each concurrency from one client. A build
 * that serves the modern era over stdio but not over HTTP gets `httpUnavailable` (the reason) instead.
 */
async function warmHttp(run, era, target, sample) {
  const server = await startHttpServer({ cli: run.cli, env: run.env });
  try {
    sample.httpRssIdle.push(memoryKiB(server.pid).rss);
    let client;
    try {
      client = await connectHttp(server.url, era);
    } catch (error) {
      if (error.code !== SdkErrorCode.EraNegotiationFailed) throw error;
      sample.httpUnavailable = error.message.split('\n')[0];
      return;
    }
    try {
      await client.listTools();
      for (let i = 0; i < CONFIG.warmup; i++) await callTool(client, target);
      const cpuBefore = cpuMs(server.pid);
      for (const concurrency of CONFIG.concurrency) {
        const { latencies, wallMs } = await burst(client, target, CONFIG.httpCalls, concurrency);
        sample.httpCallMs[concurrency].push(latencies);
        sample.httpPerSecond[concurrency].push((CONFIG.httpCalls / wallMs) * 1000);
      }
      const calls = CONFIG.httpCalls * CONFIG.concurrency.length;
      sample.httpCpuPerCallMs.push((cpuMs(server.pid) - cpuBefore) / calls);
      sample.httpRssAfter.push(memoryKiB(server.pid).rss);
    } finally {
      await client.close();
    }
  } finally {
    await server.close();
  }
}

const emptySample = () => ({
  coldMs: [],
  connectMs: [],
  coldCpuMs: [],
  coldProbeMs: [],
  stdioCallMs: [],
  stdioCpuPerCallMs: [],
  stdioRssIdle: [],
  stdioRssAfter: [],
  httpCallMs: Object.fromEntries(CONFIG.concurrency.map((c) => [c, []])),
  httpPerSecond: Object.fromEntries(CONFIG.concurrency.map((c) => [c, []])),
  httpCpuPerCallMs: [],
  httpRssIdle: [],
  httpRssAfter: [],
});

async function measure(target) {
  const dir = join(tmp, target.app);
  mkdirSync(dir);
  log(`${target.app}: starting its simulator`);
  const sim = await target.start(dir);
  try {
    const runs = [];
    for (const build of builds) {
      const home = join(dir, `home-${build.label}`);
      mkdirSync(home);
      const run = { build, cli: join(build.root, 'apps', target.app, 'dist', 'cli.js'), env: sim.env(home) };
      run.offer = await modernOffer(run);
      run.eras = run.offer.discover ? ERAS : ['legacy'];
      run.samples = { legacy: emptySample(), modern: emptySample() };
      log(
        `${target.app} ${build.label}: modern era ${run.offer.discover ? 'served' : `n/a (${run.offer.reason})`}`,
      );
      runs.push(run);
    }
    for (let i = 0; i < CONFIG.cold; i++) {
      log(`${target.app}: cold start ${i + 1}/${CONFIG.cold}`);
      for (const run of turn(runs, i)) {
        const legacy = await coldStart(run, 'legacy');
        run.samples.legacy.coldMs.push(legacy.totalMs);
        run.samples.legacy.connectMs.push(legacy.connectMs);
        run.samples.legacy.coldCpuMs.push(legacy.serverCpuMs);
        if (!run.offer.discover) continue;
        const cached = await coldStart(run, 'modern', { kind: 'modern', discover: run.offer.discover });
        run.samples.modern.coldMs.push(cached.totalMs);
        run.samples.modern.coldCpuMs.push(cached.serverCpuMs);
        run.samples.modern.coldProbeMs.push((await coldStart(run, 'modern')).totalMs);
      }
    }
    for (let r = 0; r < CONFIG.rounds; r++) {
      for (const run of turn(runs, r)) {
        for (const era of run.eras) {
          log(`${target.app} ${run.build.label} ${era}: warm round ${r + 1}/${CONFIG.rounds} (stdio, HTTP)`);
          await warmStdio(run, era, target, run.samples[era]);
          await warmHttp(run, era, target, run.samples[era]);
        }
      }
    }
    results.servers[target.app] = {
      tool: target.tool,
      builds: Object.fromEntries(
        runs.map((run) => [
          run.build.label,
          {
            modern: run.offer.discover ? 'served' : `n/a: ${run.offer.reason}`,
            samples: Object.fromEntries(run.eras.map((era) => [era, run.samples[era]])),
          },
        ]),
      ),
    };
  } finally {
    await sim.close();
  }
}

// ------------------------------------------------------------------------------------------------- report
const median = (values) => percentile(values, 50);
const range = (values, fmt) =>
  `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
const latency = (rounds) => {
  const all = rounds.flat();
  return `${ms(median(all))} / ${ms(percentile(all, 95))}`;
};
const memory = (idle, after) => `${mib(median(idle))} → ${mib(median(after))}`;

function report(app) {
  const server = results.servers[app];
  const columns = builds.flatMap((b) => ERAS.map((era) => ({ label: b.label, era })));
  const cell = (fn) => (column) => {
    const sample = server.builds[column.label].samples[column.era];
    return sample ? fn(sample) : 'n/a';
  };
  const httpCell = (fn) => cell((s) => (s.httpUnavailable ? 'n/a' : fn(s)));
  const rows = [
    ['cold: spawn → first tools/list, ms', cell((s) => range(s.coldMs, ms))],
    ['  of which spawn → initialized, ms', cell((s) => (s.connectMs.length ? range(s.connectMs, ms) : '–'))],
    ['  server CPU until it answered, ms', cell((s) => range(s.coldCpuMs, ms))],
    [
      '  pinned, with the discover probe, ms',
      cell((s) => (s.coldProbeMs.length ? range(s.coldProbeMs, ms) : '–')),
    ],
    [`stdio ${server.tool}, median / p95 ms`, cell((s) => latency(s.stdioCallMs))],
    ...CONFIG.concurrency.map((c) => [
      `HTTP ${server.tool} ${c} at once, median / p95 ms`,
      httpCell((s) => latency(s.httpCallMs[c])),
    ]),
    ...CONFIG.concurrency.map((c) => [
      `HTTP calls/s, ${c} at once`,
      httpCell((s) => range(s.httpPerSecond[c], int)),
    ]),
    ['server CPU per stdio call, ms', cell((s) => range(s.stdioCpuPerCallMs, ms))],
    ['server CPU per HTTP call, ms', httpCell((s) => range(s.httpCpuPerCallMs, ms))],
    ['stdio RSS idle → after calls, MiB', cell((s) => memory(s.stdioRssIdle, s.stdioRssAfter))],
    ['HTTP RSS idle → after calls, MiB', httpCell((s) => memory(s.httpRssIdle, s.httpRssAfter))],
  ];
  return [
    `${app} (${server.tool})`,
    table(
      ['', ...columns.map((c) => `${c.label} ${c.era}`)],
      rows.map(([name, fn]) => [name, ...columns.map(fn)]),
    ),
    ...builds
      .filter((b) => server.builds[b.label].modern !== 'served')
      .map((b) => `  ${b.label} modern: ${server.builds[b.label].modern}`),
    ...builds
      .filter((b) => server.builds[b.label].samples.modern?.httpUnavailable)
      .map(
        (b) => `  ${b.label} modern over HTTP: n/a: ${server.builds[b.label].samples.modern.httpUnavailable}`,
      ),
  ].join('\n');
}

try {
  for (const target of targets) await measure(target);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
results.machine.loadavgAfter = os.loadavg().map((v) => round(v, 2));
const m = results.machine;
console.log(
  [
    `SDK v1 → v2 benchmark — ${results.date}`,
    `${m.nproc} cores (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}, ${m.platform}; load average before ` +
      `${m.loadavgBefore.join(' ')}, after ${m.loadavgAfter.join(' ')}`,
    ...builds.map((b) => `${b.label}: ${b.root} (${b.commit})`),
    `cold: median (min–max) of ${CONFIG.cold}; calls: ${CONFIG.rounds} rounds of ${CONFIG.calls} stdio calls and ` +
      `${CONFIG.httpCalls} HTTP calls per concurrency, percentiles over all rounds; calls/s and RSS: median ` +
      '(min–max) and median of the rounds',
    '',
    ...targets.map((t) => `${report(t.app)}\n`),
  ].join('\n'),
);
const out = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'sdk-v2.json'), `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${join(out, 'sdk-v2.json')}`);
