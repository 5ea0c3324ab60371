import { createLogger, createToolServer, DEFAULT_POLICY, ToolError } from '@cloudmcp/toolkit';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { connectInProcess, tableRows } from 'mcp-test-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type * as z from 'zod';
import { type KubeClient, KubeTargets, kubeTools } from '../src/index.js';

// A server whose targets name more than `*` (OCM: a label selector over its clusters) decides both which
// targets a fan-out asks (`fanOutNames`) and which of them it will not reach (`fanOutClient`): those land in
// `unreachable` with the server's reason, and the others still answer.

/** `team=<x>` names the clusters of team x; sim-2 is named but never reached on a fan-out. */
class TeamTargets extends KubeTargets {
  override async fanOutNames(value: string, signal?: AbortSignal): Promise<string[] | undefined> {
    if (value === 'team=a') return ['sim-1', 'sim-2'];
    return super.fanOutNames(value, signal);
  }

  override fanOutClient(
    name: string,
    opts: { field?: string; signal?: AbortSignal } = {},
  ): Promise<KubeClient> {
    if (name === 'sim-2') return Promise.reject(new ToolError('not connected; connect_cluster first'));
    return super.fanOutClient(name, opts);
  }
}

let sim: KubeSim;
let call: (name: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;
let close: () => Promise<void>;

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 2 });
  const kube = new TeamTargets(sim.kubeconfig({ user: 'admin' }), { by: 'cluster', retries: 1 });
  const factory = createToolServer(
    {
      name: 'hooks-test',
      version: '0.0.0',
      tools: kubeTools({ targetArg: 'cluster', multiTarget: true, fanOutSelector: 'Or `team=<x>`.' }),
    },
    {
      deps: { kube },
      policy: { ...DEFAULT_POLICY, confirm: 'never' },
      render: { maxTokens: 20_000, allowSecrets: false },
      logger: createLogger({ name: 'hooks-test', level: 'error', write: () => {} }),
    },
  );
  const connected = await connectInProcess(factory, { clientName: 'hooks-test' });
  call = async (name, args) =>
    (await connected.client.callTool({ name, arguments: args })) as Record<string, unknown>;
  close = async () => {
    await connected.close();
    kube.close();
  };
});
afterAll(async () => {
  await close?.();
  await sim?.close();
});

it('a target the server named but refuses on a fan-out is unreachable with its reason; the others answer', async () => {
  const result = await call('pods_not_ready', { cluster: 'team=a' });
  expect(result['isError']).toBeFalsy();
  const out = result['structuredContent'] as { unreachable?: Array<{ cluster: string; error: string }> };
  expect(new Set(tableRows(out).map((row) => row['cluster']))).toEqual(new Set(['sim-1']));
  expect(out.unreachable).toEqual([{ cluster: 'sim-2', error: 'not connected; connect_cluster first' }]);
  const text = (result['content'] as Array<{ text: string }>)[0]!.text;
  expect(text).toContain('cluster sim-2 did not answer: not connected; connect_cluster first');
});

it('`*` still asks every target through the same hook, and a single cluster is asked directly', async () => {
  const all = (await call('pods_not_ready', { cluster: '*' }))['structuredContent'] as {
    unreachable?: Array<{ cluster: string }>;
  };
  expect(all.unreachable?.map((u) => u.cluster)).toEqual(['sim-2']);
  // one named target is not a fan-out: the hook does not apply
  const one = await call('pods_not_ready', { cluster: 'sim-2' });
  expect(one['isError']).toBeFalsy();
});

it('the selector wording reaches the argument description of the scans only', async () => {
  const connectedTools = kubeTools({
    targetArg: 'cluster',
    multiTarget: true,
    fanOutSelector: 'Or `team=<x>`.',
  });
  const scan = connectedTools.find((t) => t.name === 'pods_not_ready')!;
  const plain = connectedTools.find((t) => t.name === 'pod_list')!;
  const description = (tool: typeof scan) => (tool.input.shape['cluster'] as z.ZodType).description;
  expect(description(scan)).toContain('Or `team=<x>`.');
  expect(description(plain)).not.toContain('team=');
});
