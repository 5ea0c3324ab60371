import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { CloudStackSim, LogEntry } from 'cloudstack-sim';
import { type HttpServer, startHttpServer } from 'mcp-test-kit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI, ERAS, type Era, rows, startServer, withSim } from './harness.js';

// Cancelling a tool call that waits on a CloudStack async job, with the built bin and the simulator, in
// both protocol eras over HTTP and stdio. The proof is counted at the simulator, not inferred from the
// client: a cancelled client only sees its own promise reject, which says nothing about the server.
//
// The job never finishes (jobSteps = Infinity). Once the simulator has answered one poll "pending", a
// `hang` fault holds every later poll, so at the moment of the cancel a poll is in flight. Then:
// 1. the held poll's connection closes (`clientClosed` in the simulator's log): the server aborted the
//    upstream request itself, not merely stopped waiting for it (the upstream timeout is 60 s, the test's
//    30 s, so nothing but the cancel can close it);
// 2. the server logs that it stopped waiting on that job: the poller has returned, and by construction
//    it makes no further check after that;
// 3. a full round trip of another call that reaches the simulator (zone_list → listZones) later, the held
//    poll is still the last queryAsyncJobResult the simulator received: nothing polled after the cancel
//    (any poll would be in the log, answered or held, since the fault holds every one).
// How the cancel travels differs: a 2026-07-28 client over HTTP closes the call's response stream (the SDK
// aborts the handler's signal); a 2025-era client over stateless HTTP POSTs `notifications/cancelled`,
// which the server matches to the call running in another request; over stdio both send the notification.

let sim: CloudStackSim;
let http: HttpServer;

beforeAll(async () => {
  sim = await withSim();
  sim.setJobSteps(Number.POSITIVE_INFINITY);
  const { admin } = sim.credentials;
  http = await startHttpServer(CLI, {
    XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'cs-cancel-')),
    CLOUDSTACK_API_URL: sim.url,
    CLOUDSTACK_API_KEY: admin.apiKey,
    CLOUDSTACK_SECRET_KEY: admin.secretKey,
    CLOUDSTACK_JOB_POLL_MS: '20',
  });
});
afterEach(() => {
  sim.clearFaults();
  sim.releaseJobs(); // the next test reboots the same VM; a job left pending would make it busy
});
afterAll(async () => {
  await http?.close();
  await sim?.close();
});

/** vi.waitFor: look often; the bound only keeps a broken server from hanging the run (a cold start is slow). */
const UNTIL = { interval: 5, timeout: 15_000 };

const polls = (from: number): LogEntry[] =>
  sim.log.slice(from).filter((entry) => entry.command === 'queryAsyncJobResult');

/** Resolves when a server's stderr contains `text` (on every new chunk, no timer). */
function httpStderr(server: HttpServer): (text: string) => Promise<void> {
  return (text) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!server.stderr().includes(text)) return;
        server.child.stderr!.off('data', check);
        resolve();
      };
      server.child.stderr!.on('data', check);
      check();
    });
}

async function provesPollingStopped(client: Client, waitForStderr: (text: string) => Promise<void>) {
  const mark = sim.log.length;
  const controller = new AbortController();
  const call = client.callTool(
    { name: 'vm_reboot', arguments: { vm: 'web-01' } },
    { signal: controller.signal },
  );
  call.catch(() => {}); // asserted below; not an unhandled rejection meanwhile

  // one poll answered "pending", then every later poll held
  await vi.waitFor(() => expect(polls(mark).length).toBeGreaterThan(0), UNTIL);
  sim.addFault({ command: 'queryAsyncJobResult', kind: 'hang', times: Number.POSITIVE_INFINITY });
  await vi.waitFor(() => expect(polls(mark).at(-1)?.status).toBe(0), UNTIL);
  const held = polls(mark).at(-1)!;
  const answered = polls(mark).filter((entry) => entry !== held);
  expect(answered.length).toBeGreaterThan(0);
  expect(answered.every((entry) => entry.status === 200 && !entry.clientClosed)).toBe(true);
  expect(held.clientClosed).toBeUndefined();

  controller.abort('the user pressed stop');
  await expect(call).rejects.toThrow();

  await vi.waitFor(() => expect(held.clientClosed).toBe(true), UNTIL); // 1.
  const jobId = held.params['jobid']!;
  await waitForStderr(`job ${jobId} continues in CloudStack`); // 2.
  const count = polls(mark).length;
  const zones = await client.callTool({ name: 'zone_list', arguments: {} }); // 3.
  expect(rows(zones).length).toBeGreaterThan(0);
  expect(sim.log.at(-1)?.command).toBe('listZones');
  expect(polls(mark)).toHaveLength(count);
  expect(polls(mark).at(-1)).toBe(held);
  expect(sim.log.slice(mark).filter((e) => e.command === 'rebootVirtualMachine')).toHaveLength(1);
}

describe.each(ERAS)('%s era: a cancelled vm_reboot stops polling the job', (era: Era) => {
  it('over HTTP', async () => {
    const connected = await http.connect({ era });
    try {
      expect(connected.era).toBe(era);
      await provesPollingStopped(connected.client, httpStderr(http));
    } finally {
      await connected.close();
    }
  });

  it('over stdio', async () => {
    const server = await startServer(sim, { era });
    try {
      expect(server.era).toBe(era);
      await provesPollingStopped(server.client, server.waitForStderr);
    } finally {
      await server.close();
    }
  });
});
