import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Arena, filesContaining, KUBECTL_MISSING, random, sizeOf, stillRunning, until } from './harness.js';

// Class 9: nothing a call started outlives the server: kill the server (SIGKILL: no handler runs) while a
// CLI command hangs, and the CLI process is gone soon after, and no file holding the kubeconfig's token is
// left in the server's temporary directory.

let arena: Arena;
beforeAll(async () => {
  arena = await Arena.open();
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

/** Processes a case saw start: stopped after it whatever it asserted, so a failing case leaves nothing. */
const started: Array<{ pid: number; running: () => boolean }> = [];
afterEach(() => {
  for (const { pid, running } of started.splice(0)) if (running()) process.kill(pid, 'SIGKILL');
});

/** How long a killed server's children may take to go (bounded, polled). */
const GONE_WITHIN_MS = 10_000;

/**
 * A stand-in kubectl that writes its pid (and its grandchild's) to `pids`, then hangs; with `ignoreTerm`
 * it ignores SIGTERM, so only SIGKILL of its process group stops it.
 */
function hangingCli(pids: string, opts: { ignoreTerm?: boolean; grandchild?: boolean } = {}): string {
  const lines = ['#!/bin/sh'];
  if (opts.ignoreTerm) lines.push("trap '' TERM");
  if (opts.grandchild) lines.push('sleep 300 &', `echo $! >> '${pids}'`);
  lines.push(`echo $$ >> '${pids}'`, 'exec sleep 300', '');
  return arena.fakeCliScript('kubectl', lines.join('\n'));
}

const pidsIn = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);

describe('what outlives a killed server', () => {
  it.each([
    ['SIGKILL', {}],
    ['SIGKILL', { ignoreTerm: true }],
    ['SIGKILL', { grandchild: true }],
    ['SIGTERM', {}],
    ['SIGTERM', { ignoreTerm: true, grandchild: true }],
  ] as Array<[NodeJS.Signals, { ignoreTerm?: boolean; grandchild?: boolean }]>)(
    '%s of the server while a stand-in CLI hangs (%o): the CLI is gone',
    async (signal, opts) => {
      const pids = join(arena.dir, random('pids'));
      const expected = opts.grandchild ? 2 : 1;
      const tmp = arena.privateDir('tmp');
      const server = await arena.stdio(['--kubectl-path', hangingCli(pids, opts), '--cli-timeout', '600'], {
        env: { TMPDIR: tmp },
      });
      void server.call('kubectl', { command: 'get pods -w' });
      await until(
        () => sizeOf(pids) > 0 && pidsIn(pids).length >= expected,
        GONE_WITHIN_MS,
        'the CLI to start',
      );
      const clis = pidsIn(pids).map((pid) => ({ pid, running: stillRunning(pid) }));
      started.push(...clis);
      process.kill(server.pid, signal);
      for (const { pid, running } of clis)
        await until(() => !running(), GONE_WITHIN_MS, `pid ${pid} to be gone`);
      const token = arena.sim.clusters[0]!.tokens.admin;
      expect(filesContaining(tmp, token)).toEqual([]);
    },
  );

  it.skipIf(!!KUBECTL_MISSING)(
    `SIGKILL of the server during the real \`kubectl get pods -w\`: kubectl is gone, no kubeconfig left${KUBECTL_MISSING ? ` (skipped: ${KUBECTL_MISSING})` : ''}`,
    async () => {
      const label = random('watch');
      const tmp = arena.privateDir('tmp');
      const server = await arena.stdio(['--cli-timeout', '600'], { env: { TMPDIR: tmp } });
      void server.call('kubectl', { command: `get pods -w -n team-a -l hostile=${label}` });
      const find = () =>
        readdirSync('/proc')
          .filter((p) => /^\d+$/.test(p))
          .map(Number)
          .filter((pid) => {
            try {
              return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(label);
            } catch {
              return false;
            }
          });
      // the watch is open once kube-sim sees it
      await until(
        () =>
          arena.sim.clusters[0]!.log.some((e) => e.query.includes('watch=true') && e.query.includes(label)),
        GONE_WITHIN_MS,
        'kubectl to start watching',
      );
      const kubectl = find();
      expect(kubectl.length).toBeGreaterThan(0);
      const watchers = kubectl.map((pid) => ({ pid, running: stillRunning(pid) }));
      started.push(...watchers);
      process.kill(server.pid, 'SIGKILL');
      for (const { pid, running } of watchers)
        await until(() => !running(), GONE_WITHIN_MS, `kubectl ${pid} to be gone`);
      expect(filesContaining(tmp, arena.sim.clusters[0]!.tokens.admin)).toEqual([]);
    },
  );
});
