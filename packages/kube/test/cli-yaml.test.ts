import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, createToolServer, DEFAULT_POLICY, type Policy } from '@cloudmcp/toolkit';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { connectInProcess } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as z from 'zod';
import {
  type CliToolsOptions,
  cliSettings,
  cliTools,
  documentKubeconfigs,
  KubeTargets,
  parseStrictYaml,
} from '../src/index.js';
import type { KubeconfigDocument } from '../src/targets.js';

// The seed OCM server's kubectl took `yaml` (applied with `kubectl apply -f -`) besides `command`. With
// `yamlArgument`, ours does too, through the same runner and policy; the other tools and servers keep
// their arguments.

const here = dirname(fileURLToPath(import.meta.url));
const BIN_CACHE = join(here, '..', '..', '..', '.bin-cache');
const NO_KUBECTL = existsSync(join(BIN_CACHE, 'kubectl'))
  ? undefined
  : 'no kubectl in .bin-cache/ (scripts/fetch-kubectl.sh puts kubectl 1.35 there)';
if (NO_KUBECTL) console.warn(`kubectl yaml tests skipped: ${NO_KUBECTL}`);

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: from-yaml
  namespace: default
data:
  greeting: hello
`;

let sim: KubeSim;

interface Started {
  call(
    args: Record<string, unknown>,
  ): Promise<{ text: string; isError: boolean; structured?: Record<string, unknown> }>;
  close(): Promise<void>;
}
const started: Started[] = [];

async function start(options: Partial<CliToolsOptions> = {}, policy: Partial<Policy> = {}): Promise<Started> {
  const doc = parseStrictYaml(sim.kubeconfig({ user: 'admin' })) as KubeconfigDocument;
  const kube = new KubeTargets(doc);
  const opts: CliToolsOptions = {
    multiTarget: false,
    readOnly: false,
    disableDestructive: false,
    confirm: 'never',
    yamlArgument: true,
    ...options,
  };
  const factory = createToolServer(
    { name: 'cli-yaml-test', version: '0.0.0', tools: cliTools(opts) },
    {
      deps: {
        kube,
        kubeconfigs: documentKubeconfigs(doc, { origin: 'server', untrusted: false }),
        cli: cliSettings(
          { cliDirs: [BIN_CACHE], cliTimeout: 60, cliLocalFiles: false },
          {
            http: false,
            allowSecrets: false,
          },
        ),
      },
      policy: { ...DEFAULT_POLICY, confirm: 'never', ...policy },
      render: { maxTokens: 20_000, allowSecrets: false },
      logger: createLogger({ name: 'cli-yaml-test', level: 'error', write: () => {} }),
    },
  );
  const connected = await connectInProcess(factory, { clientName: 'cli-yaml-test' });
  const server: Started = {
    async call(args) {
      const result = (await connected.client.callTool({ name: 'kubectl', arguments: args })) as {
        content: Array<{ text?: string }>;
        isError?: boolean;
        structuredContent?: Record<string, unknown>;
      };
      return {
        text: result.content.map((c) => c.text ?? '').join('\n'),
        isError: result.isError === true,
        ...(result.structuredContent ? { structured: result.structuredContent } : {}),
      };
    },
    close: connected.close,
  };
  started.push(server);
  return server;
}

beforeAll(async () => {
  sim = await startKubeSim({ clusters: 1 });
});
afterAll(async () => {
  for (const server of started) await server.close();
  await sim?.close();
});

/** One input field of a tool, as zod gives it. */
const field = (tool: { input: { shape: Record<string, unknown> } }, name: string) =>
  tool.input.shape[name] as z.ZodType;

describe('the kubectl tool with `yaml`', () => {
  it('is offered only where asked for, and only on kubectl', () => {
    const base = {
      multiTarget: false,
      readOnly: false,
      disableDestructive: false,
      confirm: 'never',
    } as const;
    const plain = cliTools(base);
    const withYaml = cliTools({ ...base, yamlArgument: true });
    expect(plain.every((t) => !('yaml' in t.input.shape))).toBe(true);
    expect(field(plain.find((t) => t.name === 'kubectl')!, 'command').isOptional()).toBe(false);
    const kubectl = withYaml.find((t) => t.name === 'kubectl')!;
    expect(field(kubectl, 'command').isOptional()).toBe(true);
    expect(field(kubectl, 'yaml').description).toContain('apply -f -');
    for (const other of withYaml.filter((t) => t.name !== 'kubectl')) {
      expect('yaml' in other.input.shape, other.name).toBe(false);
      expect(field(other, 'command').isOptional(), other.name).toBe(false);
    }
  });

  it.each([
    [{}, /Invalid input `command`: give either `command` or `yaml`/],
    [
      { command: 'get pods', yaml: CONFIG_MAP },
      /Invalid input `yaml`: give either `command` or `yaml`, not both/,
    ],
    [{ yaml: CONFIG_MAP, stdin: CONFIG_MAP }, /Invalid input `yaml`: .*give `yaml` or `stdin`, not both/],
  ])('refuses %j before anything runs', async (args, problem) => {
    const server = await start();
    const before = sim.clusters[0]!.log.length;
    const result = await server.call(args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(problem);
    expect(sim.clusters[0]!.log.length).toBe(before);
  });

  it.skipIf(NO_KUBECTL)('applies the YAML with kubectl apply -f -', async () => {
    const server = await start();
    const result = await server.call({ yaml: CONFIG_MAP });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured?.['command']).toBe('kubectl apply -f -');
    expect(result.text).toContain('configmap/from-yaml created');
    const stored = sim.clusters[0]!.store.get('v1', 'ConfigMap', 'default', 'from-yaml');
    expect(stored?.['data']).toEqual({ greeting: 'hello' });
  });

  it.skipIf(NO_KUBECTL)('is refused on a read-only server like any apply, and nothing changes', async () => {
    const server = await start({ readOnly: true }, { readOnly: true });
    const result = await server.call({ yaml: CONFIG_MAP.replace('from-yaml', 'read-only-yaml') });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/read-only/);
    expect(sim.clusters[0]!.store.get('v1', 'ConfigMap', 'default', 'read-only-yaml')).toBeUndefined();
  });
});

describe('refusals in the words of the server’s targets', () => {
  it('names `cluster` (no context_list) where the target argument is `cluster`, `context` elsewhere', async () => {
    const byCluster = await start({ targetArg: 'cluster', multiTarget: true });
    const refused = await byCluster.call({ cluster: 'sim-1', command: 'get pods --context other' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain("Pick the target with the tool's `cluster` argument.");
    expect(refused.text).not.toContain('context_list');
    const byContext = await start({ multiTarget: true });
    const same = await byContext.call({ context: 'sim-1', command: 'get pods --context other' });
    expect(same.text).toContain("Pick the target with the tool's `context` argument (see context_list).");
  });
});
