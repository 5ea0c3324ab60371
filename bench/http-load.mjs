#!/usr/bin/env node
// The CloudStack server over HTTP under load: 200 concurrent clients sending stateless 2026-07-28
// `tools/call zone_list` (one upstream round trip each, to cloudstack-sim in its own process), against one
// server process, against the same process behind a round-robin proxy, and against two processes behind it
// (a Service in front of two replicas). Calls per second, latency percentiles, RSS and CPU per process.
// `node bench/http-load.mjs [--clients 200] [--seconds 12] [--warmup 4]` after `pnpm build`; about 1 minute. See bench/README.md, "HTTP under load".
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedLoop, toolCall } from './lib/http-load.mjs';
import { machineInfo } from './lib/machine.mjs';
import { cpuMs, memoryKiB, serverCliPath, startHttpServer } from './lib/mcp.mjs';
import { int, mib, ms, table } from './lib/report.mjs';
import { startRoundRobinProxy } from './lib/rr-proxy.mjs';
import { startSimProcess } from './lib/sim.mjs';
import { percentile, round } from './lib/stats.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const CONFIG = {
  clients: option('clients', 200),
  warmupMs: option('warmup', 4) * 1000,
  durationMs: option('seconds', 12) * 1000,
  tool: 'zone_list',
};
const TOKEN = 'bench-http-load-token-0123456789';
const STATE_KEY = 'bench-http-load-state-key-0123456789abcdef'; // one key for every replica, as the chart does

const here = fileURLToPath(new URL('.', import.meta.url));
const log = (message) => process.stderr.write(`[http-load] ${message}\n`);
const cli = serverCliPath();
if (!existsSync(cli)) {
  console.error(`http-load: ${cli} is missing; run \`pnpm build\` first`);
  process.exit(2);
}

const home = mkdtempSync(join(os.tmpdir(), 'cloudmcp-http-load-'));
const sim = await startSimProcess({});
const { apiKey, secretKey } = sim.credentials.admin;
const serverEnv = (n) => {
  mkdirSync(join(home, `server-${n}`), { recursive: true });
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(home, `server-${n}`),
    XDG_CACHE_HOME: join(home, `server-${n}`),
    CLOUDMCP_LOG_LEVEL: 'warn',
    CLOUDMCP_HTTP_TOKEN: TOKEN,
    CLOUDMCP_STATE_KEY: STATE_KEY,
    CLOUDSTACK_API_URL: sim.url,
    CLOUDSTACK_API_KEY: apiKey,
    CLOUDSTACK_SECRET_KEY: secretKey,
  };
};

/** Drives `url` with the closed loop; samples the RSS and CPU of each process (name → pid, and this one). */
async function measure(label, url, servers) {
  const pids = { ...servers, 'bench client': process.pid };
  log(
    `${label}: ${CONFIG.clients} clients, ${CONFIG.warmupMs / 1000} s warm-up, ${CONFIG.durationMs / 1000} s measured`,
  );
  const rss = Object.fromEntries(Object.keys(pids).map((name) => [name, []]));
  let cpuStart;
  const sample = () => {
    cpuStart ??= Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
    for (const [name, pid] of Object.entries(pids)) rss[name].push(memoryKiB(pid).rss);
  };
  const run = await closedLoop({
    clients: CONFIG.clients,
    warmupMs: CONFIG.warmupMs,
    durationMs: CONFIG.durationMs,
    send: toolCall(url, TOKEN, CONFIG.tool),
    onSample: sample,
  });
  const processes = Object.fromEntries(
    Object.entries(pids).map(([name, pid]) => {
      const { hwm } = memoryKiB(pid);
      const cpu = cpuMs(pid) - cpuStart[name];
      return [
        name,
        {
          cpuMs: cpu,
          rssMeanKiB: rss[name].reduce((a, b) => a + b, 0) / rss[name].length,
          rssMaxKiB: Math.max(...rss[name]),
          hwmKiB: hwm,
          cpuPercent: round((100 * cpu) / run.wallMs, 0),
        },
      ];
    }),
  );
  const callsPerSecond = (run.latencies.length * 1000) / run.wallMs;
  // What a call costs the server processes, whatever else the machine runs: CPU time over calls answered.
  const serverCpuMs = Object.entries(processes)
    .filter(([name]) => name.startsWith('server'))
    .reduce((sum, [, p]) => sum + p.cpuMs, 0);
  return {
    label,
    calls: run.latencies.length,
    failures: Object.values(run.failures).reduce((a, b) => a + b, 0),
    failureReasons: run.failures,
    callsPerSecond: round(callsPerSecond, 0),
    serverCpuMsPerCall: round(serverCpuMs / run.latencies.length),
    p50: round(percentile(run.latencies, 50)),
    p95: round(percentile(run.latencies, 95)),
    p99: round(percentile(run.latencies, 99)),
    processes,
  };
}

const results = { date: new Date().toISOString(), machine: machineInfo(), config: CONFIG, runs: [] };
const cleanups = [() => sim.close()];
try {
  const one = await startHttpServer({ cli, env: serverEnv(1) });
  cleanups.push(one.close);
  results.runs.push(await measure('1 process', one.url, { server: one.pid, simulator: sim.pid }));

  const proxyOne = await startRoundRobinProxy([one.url.replace(/\/mcp$/, '')]);
  cleanups.push(proxyOne.close);
  results.runs.push(
    await measure('1 process behind the proxy', `${proxyOne.url}/mcp`, {
      server: one.pid,
      proxy: proxyOne.pid,
      simulator: sim.pid,
    }),
  );
  await proxyOne.close();

  const two = await startHttpServer({ cli, env: serverEnv(2) });
  cleanups.push(two.close);
  log('warming the second process up on its own');
  await closedLoop({
    clients: CONFIG.clients,
    warmupMs: 0,
    durationMs: CONFIG.warmupMs,
    send: toolCall(two.url, TOKEN, CONFIG.tool),
  });
  const proxy = await startRoundRobinProxy([one.url, two.url].map((url) => url.replace(/\/mcp$/, '')));
  cleanups.push(proxy.close);
  results.runs.push(
    await measure('2 processes behind the proxy', `${proxy.url}/mcp`, {
      'server 1': one.pid,
      'server 2': two.pid,
      proxy: proxy.pid,
      simulator: sim.pid,
    }),
  );
} finally {
  for (const close of cleanups.reverse()) await close().catch(() => {});
  rmSync(home, { recursive: true, force: true });
}
results.machine.loadavgAfter = os.loadavg().map((v) => round(v, 2));

console.log(
  table(
    ['', 'calls', 'failed', 'calls/s', 'p50 ms', 'p95 ms', 'p99 ms', 'server CPU ms/call'],
    results.runs.map((r) => [
      r.label,
      int(r.calls),
      int(r.failures),
      int(r.callsPerSecond),
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      ms(r.serverCpuMsPerCall),
    ]),
  ),
);
console.log();
console.log(
  table(
    ['', 'process', 'RSS mean MiB', 'RSS max MiB', 'peak (VmHWM) MiB', 'CPU %'],
    results.runs.flatMap((r) =>
      Object.entries(r.processes).map(([name, p]) => [
        r.label,
        name,
        mib(p.rssMeanKiB),
        mib(p.rssMaxKiB),
        mib(p.hwmKiB),
        String(p.cpuPercent),
      ]),
    ),
  ),
);
for (const r of results.runs) {
  if (r.failures > 0) console.log(`${r.label}: failed calls by reason ${JSON.stringify(r.failureReasons)}`);
}
console.log(`\nmachine: ${JSON.stringify(results.machine)}`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'http-load.json'), `${JSON.stringify(results, null, 2)}\n`);
