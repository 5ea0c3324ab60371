import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolRequestOptions, Client } from '@modelcontextprotocol/client';
import {
  type Connected,
  type ElicitAnswer,
  type Era,
  type HttpConnectOptions,
  type StdioServer,
  startHttpServer,
  startStdioServer,
  tableRows,
} from 'mcp-test-kit';
import { type OciSim, type OciSimOptions, type SimUser, startOciSim, type WrittenConfig } from 'oci-sim';

export { ERAS, type Era } from 'mcp-test-kit';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI = join(here, '..', 'dist', 'cli.js');

/** Where `bash scripts/fetch-kubectl.sh` puts kubectl; never a default of the server. */
export const BIN_CACHE = join(here, '..', '..', '..', '.bin-cache');

export function tempDir(prefix = 'oke-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A simulator with fast work requests (the tests poll every 20 ms). */
export function startSim(options: OciSimOptions = {}): Promise<OciSim> {
  return startOciSim({ workRequestStepMs: 40, ...options });
}

/** The compartment the seeded clusters are spread over: `production` holds oke-prod (and oke-private). */
export function compartmentNamed(sim: OciSim, name: string): string {
  const found = sim.compartments.find((c) => c.name === name);
  if (!found) throw new Error(`no compartment ${name} in the simulator`);
  return found.id;
}

export function clusterNamed(sim: OciSim, name: string) {
  const found = sim.clusters.find((c) => c.name === name);
  if (!found) throw new Error(`no cluster ${name} in the simulator`);
  return found;
}

/** How many requests of one operation the simulator has seen. */
export function countOps(sim: OciSim, operation: string): number {
  return sim.log.filter((e) => e.operation === operation).length;
}

export interface ToolResult {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
}

/** Calls tools the way every test reads them: text, error flag and structured content (all remembered in `seen`). */
export interface ToolCalls {
  call(name: string, args?: Record<string, unknown>, options?: CallToolRequestOptions): Promise<ToolResult>;
  /** Calls a tool that must succeed; returns its result. */
  ok(name: string, args?: Record<string, unknown>, options?: CallToolRequestOptions): Promise<ToolResult>;
}

export interface OkeServer extends ToolCalls {
  server: StdioServer;
  era: Era;
  /** The OCI config the server reads (with its key and, in security_token mode, its token file). */
  config: WrittenConfig;
  /** HOME and TMPDIR of the server: every file it writes lands under one of these. */
  home: string;
  tmp: string;
  stderr: () => string;
  close(): Promise<void>;
}

export interface OkeStartOptions {
  auth?: 'api_key' | 'security_token';
  user?: SimUser;
  /** Profile written and used (default DEFAULT for api_key, SESSION for security_token). */
  profile?: string;
  /** Default compartment (OKE_COMPARTMENT_ID); default: the `production` compartment. `null`: none. */
  compartment?: string | null;
  args?: string[];
  env?: Record<string, string>;
  elicit?: ElicitAnswer;
  era?: Era;
  /** An already written config to reuse (another server on the same files). */
  config?: WrittenConfig;
  logLevel?: 'debug' | 'info';
}

/** Every text, structured result and stderr any server produced: scanned for credentials. */
export const seen: string[] = [];

/** What the bin is started with against the simulator, on either transport. */
interface OkeLaunch {
  config: WrittenConfig;
  home: string;
  tmp: string;
  env: Record<string, string>;
  args: string[];
}

function okeLaunch(sim: OciSim, opts: Omit<OkeStartOptions, 'elicit' | 'era'>): OkeLaunch {
  const auth = opts.auth ?? 'api_key';
  const profile = opts.profile ?? (auth === 'api_key' ? 'DEFAULT' : 'SESSION');
  const config =
    opts.config ?? sim.writeConfig(tempDir('oke-oci-'), { auth, profile, user: opts.user ?? 'admin' });
  const home = tempDir('oke-home-');
  const tmp = tempDir('oke-tmp-');
  const compartment = opts.compartment === undefined ? compartmentNamed(sim, 'production') : opts.compartment;
  return {
    config,
    home,
    tmp,
    env: {
      HOME: home,
      TMPDIR: tmp,
      OCI_CONFIG_FILE: config.configFile,
      OCI_CLI_PROFILE: profile,
      OCI_ENDPOINT: sim.url,
      ...(compartment ? { OKE_COMPARTMENT_ID: compartment } : {}),
      ...opts.env,
    },
    args: [
      '--work-request-poll-ms',
      '20',
      ...(opts.logLevel ? ['--log-level', opts.logLevel] : []),
      ...(opts.args ?? []),
    ],
  };
}

function toolCalls(client: Client): ToolCalls {
  const call = async (name: string, args: Record<string, unknown> = {}, options?: CallToolRequestOptions) => {
    const result = (await client.callTool({ name, arguments: args }, options)) as {
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
  };
}

/** Spawns the built bin over stdio against the simulator, as a user's MCP host would. */
export async function startOke(sim: OciSim, opts: OkeStartOptions = {}): Promise<OkeServer> {
  const { config, home, tmp, env, args } = okeLaunch(sim, opts);
  const server = await startStdioServer({
    cli: CLI,
    env,
    args,
    clientName: 'oke-e2e',
    ...(opts.elicit ? { elicit: opts.elicit } : {}),
    ...(opts.era ? { era: opts.era } : {}),
  });
  return {
    server,
    era: server.era,
    config,
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

/** One client of the HTTP server. */
export interface OkeHttpClient extends ToolCalls {
  connected: Connected;
  era: Era;
  close(): Promise<void>;
}

export interface OkeHttpServer {
  /** The MCP endpoint (`http://127.0.0.1:PORT/mcp`). */
  url: string;
  config: WrittenConfig;
  stderr: () => string;
  /** A new client: its era, elicitation answer and headers (the bearer token) as asked. */
  connect(opts?: HttpConnectOptions): Promise<OkeHttpClient>;
  close(): Promise<void>;
}

/** Spawns the built bin with `--http 127.0.0.1:0` against the simulator; clients connect as they like. */
export async function startOkeHttp(
  sim: OciSim,
  opts: Omit<OkeStartOptions, 'elicit' | 'era'> = {},
): Promise<OkeHttpServer> {
  const { config, env, args } = okeLaunch(sim, opts);
  const server = await startHttpServer(CLI, env, args);
  return {
    url: server.url,
    config,
    stderr: server.stderr,
    async connect(connectOpts = {}) {
      const connected = await server.connect({ clientName: 'oke-e2e', ...connectOpts });
      return { connected, era: connected.era, ...toolCalls(connected.client), close: connected.close };
    },
    async close() {
      seen.push(server.stderr());
      await server.close();
    },
  };
}

/** The rows of a list result as its table shows them (structuredContent), keyed by column. */
export function items<T = Record<string, string>>(result: ToolResult): T[] {
  return result.structured ? (tableRows(result.structured) as T[]) : [];
}

/** Every regular file under `dir` (recursively) with its text; unreadable entries are skipped. */
export function filesUnder(dir: string): Array<{ path: string; text: string; mode: number }> {
  const out: Array<{ path: string; text: string; mode: number }> = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push({ path, text: readFileSync(path, 'utf8'), mode: stat.mode & 0o777 });
  }
  return out;
}
