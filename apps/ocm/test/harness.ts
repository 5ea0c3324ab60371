import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolRequestOptions, Client } from '@modelcontextprotocol/client';
import { type ElicitAnswer, type Era, type StdioServer, startStdioServer, tableRows } from 'mcp-test-kit';
import { type OcmSim, type OcmSimOptions, startOcmSim } from 'ocm-sim';

export { ERAS, type Era } from 'mcp-test-kit';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI = join(here, '..', 'dist', 'cli.js');

/** Where `bash scripts/fetch-kubectl.sh` puts kubectl; never a default of the server. */
export const BIN_CACHE = join(here, '..', '..', '..', '.bin-cache');
export const KUBECTL_MISSING = existsSync(join(BIN_CACHE, 'kubectl'))
  ? undefined
  : 'no kubectl in .bin-cache/ (scripts/fetch-kubectl.sh puts kubectl 1.35 there)';

/** The service account the server connects as (its default), and where the add-on puts it. */
export const SERVICE_ACCOUNT = 'cloudmcp-ocm';
export const ADDON_NAMESPACE = 'open-cluster-management-agent-addon';
export const SA_USER = `system:serviceaccount:${ADDON_NAMESPACE}:${SERVICE_ACCOUNT}`;

export function tempDir(prefix = 'ocm-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A hub with three managed clusters (cluster1…3), the managed-serviceaccount add-on on each. */
export function startSim(options: OcmSimOptions = {}): Promise<OcmSim> {
  return startOcmSim({ managed: 3, ...options });
}

export interface ToolResult {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
}

export interface ProgressNote {
  progress: number;
  total?: number;
  message?: string;
}

/** Calls tools the way every test reads them (all remembered in `seen`, to look for tokens). */
export interface ToolCalls {
  call(name: string, args?: Record<string, unknown>, options?: CallToolRequestOptions): Promise<ToolResult>;
  /** Calls a tool that must succeed; returns its result. */
  ok(name: string, args?: Record<string, unknown>, options?: CallToolRequestOptions): Promise<ToolResult>;
  /** Calls a tool and collects its progress notifications. */
  withProgress(
    name: string,
    args?: Record<string, unknown>,
  ): Promise<ToolResult & { progress: ProgressNote[] }>;
}

export interface OcmServer extends ToolCalls {
  server: StdioServer;
  era: Era;
  /** HOME and TMPDIR of the server: every file it writes lands under one of these. */
  home: string;
  tmp: string;
  stderr: () => string;
  close(): Promise<void>;
}

export interface OcmStartOptions {
  /** Whose token the hub kubeconfig carries (default admin). */
  user?: 'admin' | 'view' | 'edit';
  /** A kubeconfig file to start with instead of the sim hub's (a cluster that is not a hub). */
  kubeconfig?: string;
  args?: string[];
  env?: Record<string, string>;
  elicit?: ElicitAnswer;
  era?: Era;
}

/** Every text, structured result and stderr any server produced: scanned for tokens. */
export const seen: string[] = [];

/**
 * Progress notifications by the token a call sent. The SDK client hands a notification to its handler a
 * microtask later than it handles the response after it, and drops a progress notification whose call has
 * been answered: a call's last progress, sent just before its result, was lost now and then. Collected here
 * instead, from the client's own handler of the method, before the result reaches the test.
 */
function progressCollector(client: Client) {
  const byToken = new Map<string, ProgressNote[]>();
  client.setNotificationHandler('notifications/progress', (notification) => {
    const { progressToken, progress, total, message } = notification.params;
    byToken.get(String(progressToken))?.push({ progress, total, message });
  });
  let next = 0;
  return (): { token: string; notes: ProgressNote[] } => {
    const token = `progress-${++next}`;
    const notes: ProgressNote[] = [];
    byToken.set(token, notes);
    return { token, notes };
  };
}

function toolCalls(client: Client): ToolCalls {
  const progressOf = progressCollector(client);
  const call = async (
    name: string,
    args: Record<string, unknown> = {},
    options?: CallToolRequestOptions,
    progressToken?: string,
  ) => {
    const params = { name, arguments: args, ...(progressToken ? { _meta: { progressToken } } : {}) };
    const result = (await client.callTool(params, options)) as {
      content: Array<{ type: string; text?: string }>;
      isError?: boolean;
      structuredContent?: Record<string, unknown>;
    };
    const text = result.content.map((c) => c.text ?? '').join('\n');
    seen.push(text, JSON.stringify(result.structuredContent ?? {}));
    return { text, isError: result.isError === true, structured: result.structuredContent };
  };
  return {
    call,
    async ok(name, args = {}, options) {
      const result = await call(name, args, options);
      if (result.isError) throw new Error(`${name} failed: ${result.text}`);
      return result;
    },
    async withProgress(name, args = {}) {
      const { token, notes } = progressOf();
      const result = await call(name, args, undefined, token);
      return { ...result, progress: notes };
    },
  };
}

/** Spawns the built bin over stdio with the hub's kubeconfig, as a user's MCP host would. */
export async function startOcm(sim: OcmSim | undefined, opts: OcmStartOptions = {}): Promise<OcmServer> {
  const home = tempDir('ocm-home-');
  const tmp = tempDir('ocm-tmp-');
  let kubeconfig = opts.kubeconfig;
  if (kubeconfig === undefined) {
    if (!sim) throw new Error('startOcm: pass a sim or a kubeconfig');
    kubeconfig = join(tempDir('ocm-kubeconfig-'), 'hub.yaml');
    sim.writeHubKubeconfig(kubeconfig, { user: opts.user ?? 'admin' });
  }
  const server = await startStdioServer({
    cli: CLI,
    env: { HOME: home, TMPDIR: tmp, KUBECONFIG: kubeconfig, ...opts.env },
    args: ['--cli-dirs', BIN_CACHE, '--connect-timeout', '60', ...(opts.args ?? [])],
    clientName: 'ocm-e2e',
    ...(opts.elicit ? { elicit: opts.elicit } : {}),
    ...(opts.era ? { era: opts.era } : {}),
  });
  return {
    server,
    era: server.era,
    home,
    tmp,
    stderr: server.stderr,
    ...toolCalls(server.client),
    async close() {
      seen.push(server.stderr());
      await server.close();
    },
  };
}

/**
 * The rows of a result: a list tool's as its table shows them (structuredContent), keyed by column; a text
 * tool's (prometheus), whose structuredContent is its whole output, its `items` as they are.
 */
export function items<T = Record<string, string>>(result: ToolResult): T[] {
  const structured = result.structured;
  if (!structured) return [];
  if (!('rows' in structured) && Array.isArray(structured['items'])) return structured['items'] as T[];
  return tableRows(structured) as T[];
}

/** Every regular file under `dir` (recursively), with its mode. */
export function filesUnder(dir: string): Array<{ path: string; mode: number }> {
  const out: Array<{ path: string; mode: number }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, mode: stat.mode & 0o777 });
  }
  return out;
}

/** Every token the managed-serviceaccount add-on projected onto the hub so far (each cluster's Secret). */
export function projectedTokens(sim: OcmSim): string[] {
  const tokens: string[] = [];
  for (const secret of sim.hub.store.list('v1', 'Secret')) {
    const data = secret['data'] as Record<string, string> | undefined;
    const labels = (secret['metadata'] as { labels?: Record<string, string> } | undefined)?.labels;
    if (labels?.['authentication.open-cluster-management.io/is-managed-serviceaccount'] !== 'true') continue;
    if (data?.['token']) tokens.push(Buffer.from(data['token'], 'base64').toString('utf8'));
  }
  return tokens;
}
