import { createLogger, createToolServer, DEFAULT_POLICY } from '@cloudmcp/toolkit';
import type { KubeSim } from 'kube-sim';
import { connectInProcess } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeTargets, kubeTools } from '../src/index.js';
import { startSim } from './harness.js';

// Hostile input, issue 7 ("secret leak"): without --allow-secrets a prompt-injected model reads Secrets every
// way the typed tools allow — get and list, by kind, plural or short name, in each --output format — and
// writes one through resource_apply (whose answer could echo it back). No value, plain or base64, appears
// in a result's text or structuredContent; with --allow-secrets the same calls show them, so the canaries
// are really in the answers.

const CANARY = 'hostile-canary-Zq81xWv';
const SEEDED = ['s3cr3t-Pa55', 'REDACTED-BY-KUBE-SIM'];
const secretValues = [...SEEDED, CANARY].flatMap((v) => [v, Buffer.from(v).toString('base64')]);

let sim: KubeSim;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  for (const close of closers) await close();
  await sim?.close();
});

/** A client of the typed tools with the given --output and --allow-secrets; returns every result as JSON. */
async function connect(output: 'yaml' | 'json' | 'table' | undefined, allowSecrets: boolean) {
  const kube = new KubeTargets(sim.kubeconfig({ user: 'admin' }), { retries: 1, timeoutMs: 5000 });
  const factory = createToolServer(
    { name: 'kube-hostile', version: '0.0.0', tools: kubeTools({ targetArg: 'context', multiTarget: true }) },
    {
      deps: { kube },
      policy: { ...DEFAULT_POLICY, confirm: 'never' },
      render: { maxTokens: 20_000, allowSecrets, ...(output ? { output } : {}) },
      logger: createLogger({ name: 'kube-hostile', level: 'error', write: () => {} }),
    },
  );
  const { client, close } = await connectInProcess(factory, { clientName: 'hostile' });
  closers.push(async () => {
    await close();
    kube.close();
  });
  return async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
    return JSON.stringify(result);
  };
}

const READS: Array<[string, Record<string, unknown>]> = [
  ['resource_get', { kind: 'secret', name: 'db-credentials', namespace: 'team-a' }],
  ['resource_get', { kind: 'Secret', name: 'web-tls', namespace: 'team-a', api_version: 'v1' }],
  ['resource_get', { kind: 'secrets', name: 'hostile-canary', namespace: 'team-a' }],
  ['resource_list', { kind: 'secrets', namespace: 'team-a' }],
  ['resource_list', { kind: 'secret', namespace: 'team-a', label_selector: 'hostile=yes' }],
  ['resource_list', { kind: 'secrets' }],
];

describe('hostile input (secret leak): Secret values stay hidden without --allow-secrets', () => {
  it('a Secret written through resource_apply is not echoed back', async () => {
    const call = await connect(undefined, false);
    for (const dry_run of [true, false]) {
      const said = await call('resource_apply', {
        namespace: 'team-a',
        dry_run,
        manifest: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'hostile-canary', labels: { hostile: 'yes' } },
          stringData: { token: CANARY, note: CANARY },
        },
      });
      for (const value of secretValues) expect(said).not.toContain(value);
    }
  });

  for (const output of [undefined, 'yaml', 'json', 'table'] as const) {
    it(`get and list, --output ${output ?? '(default)'}`, async () => {
      const call = await connect(output, false);
      const said = [];
      for (const [name, args] of READS) said.push(await call(name, args));
      const all = said.join('\n');
      expect(all).toContain('[REDACTED]');
      expect(all).toContain('hostile-canary');
      for (const value of secretValues) expect(all).not.toContain(value);
    });
  }

  it('with --allow-secrets the same reads show the values (the canaries are in the answers)', async () => {
    const call = await connect('json', true);
    const all = (await Promise.all(READS.map(([name, args]) => call(name, args)))).join('\n');
    expect(all).toContain(Buffer.from(CANARY).toString('base64'));
    expect(all).toContain(Buffer.from('s3cr3t-Pa55').toString('base64'));
  });
});
