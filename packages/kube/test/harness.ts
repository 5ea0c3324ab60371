import { createLogger, createToolServer, DEFAULT_POLICY, type Policy } from '@cloudmcp/toolkit';
import type { Client } from '@modelcontextprotocol/client';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { connectInProcess, tableRows } from 'mcp-test-kit';
import { KubeTargets, type KubeTargetsOptions, type KubeToolsOptions, kubeTools } from '../src/index.js';

export type Role = 'admin' | 'view' | 'edit' | 'teamAdmin';

export interface CallResult {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
}

/** Every text and structured result seen by any test, to check that no credential ever leaks. */
export const seen: string[] = [];

export async function startSim(): Promise<KubeSim> {
  return await startKubeSim({ clusters: 2 });
}

export interface Connected {
  client: Client;
  kube: KubeTargets;
  call(name: string, args?: Record<string, unknown>): Promise<CallResult>;
  close(): Promise<void>;
}

export async function connect(
  sim: KubeSim,
  opts: {
    user?: Role;
    allowSecrets?: boolean;
    maxTokens?: number;
    tools?: KubeToolsOptions;
    policy?: Partial<Policy>;
    targets?: KubeTargetsOptions;
  } = {},
): Promise<Connected> {
  const kube = new KubeTargets(sim.kubeconfig({ user: opts.user ?? 'admin' }), {
    retries: 1,
    timeoutMs: 5000,
    ...opts.targets,
  });
  const tools = kubeTools({ targetArg: 'context', multiTarget: true, ...opts.tools });
  const factory = createToolServer(
    { name: 'kube-test', version: '0.0.0', tools },
    {
      deps: { kube },
      policy: { ...DEFAULT_POLICY, confirm: 'never', ...opts.policy },
      render: { maxTokens: opts.maxTokens ?? 20_000, allowSecrets: opts.allowSecrets ?? false },
      logger: createLogger({ name: 'kube-test', level: 'error', write: () => {} }),
    },
  );
  // In process, through the SDK's HTTP entry: the era is the kit's default (MCP_TEST_ERA, else legacy).
  // No body cap short of the tools' own: the hostile tests hand them manifests far over any transport's.
  const { client, close } = await connectInProcess(factory, {
    clientName: 'kube-test-client',
    handler: { maxRequestBodySize: 256 * 2 ** 20 },
  });
  return {
    client,
    kube,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as {
        content: Array<{ type: string; text?: string }>;
        isError?: boolean;
        structuredContent?: Record<string, unknown>;
      };
      const text = result.content.map((c) => c.text ?? '').join('\n');
      seen.push(text, JSON.stringify(result.structuredContent ?? {}));
      return { text, isError: result.isError === true, structured: result.structuredContent };
    },
    async close() {
      await close();
      kube.close();
    },
  };
}

/** The rows of a list result as its table shows them (structuredContent), keyed by column. */
export function items<T = Record<string, string>>(result: CallResult): T[] {
  return result.structured ? (tableRows(result.structured) as T[]) : [];
}

/** No credential of any sim kubeconfig user appears in anything a test has seen. */
export function credentialLeaks(sim: KubeSim, extra: string[] = []): string[] {
  const secrets = [...sim.clusters.flatMap((c) => Object.values(c.tokens)), ...extra];
  return secrets.filter((secret) => seen.some((text) => text.includes(secret)));
}
