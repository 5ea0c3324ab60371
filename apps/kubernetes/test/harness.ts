import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { which } from '@cloudmcp/kube';
import type { Client } from '@modelcontextprotocol/client';
import { type KubeSim, startKubeSim, type UserRole } from 'kube-sim';
import {
  type Connected,
  type Era,
  startHttpServer as startHttp,
  startStdioServer,
  tableRows,
} from 'mcp-test-kit';
import { expect } from 'vitest';

export { ERAS, type Era } from 'mcp-test-kit';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI = join(here, '..', 'dist', 'cli.js');

/** Where `bash scripts/fetch-kubectl.sh` puts kubectl and helm; never a default of the server. */
export const BIN_CACHE = join(here, '..', '..', '..', '.bin-cache');
export const KUBECTL_MISSING = existsSync(join(BIN_CACHE, 'kubectl'))
  ? undefined
  : `no kubectl in ${BIN_CACHE} (run \`bash scripts/fetch-kubectl.sh\`)`;
export const HELM_MISSING = existsSync(join(BIN_CACHE, 'helm'))
  ? undefined
  : `no helm in ${BIN_CACHE} (run \`bash scripts/fetch-kubectl.sh\`)`;

/** Whether a server started with `--cli-dirs BIN_CACHE` (and this PATH) finds each CLI. */
export async function clisFound(): Promise<Record<'kubectl' | 'helm' | 'istioctl' | 'argocd', boolean>> {
  const found = async (tool: string) => (await which(tool, { dirs: [BIN_CACHE] })) !== null;
  return {
    kubectl: await found('kubectl'),
    helm: await found('helm'),
    istioctl: await found('istioctl'),
    argocd: await found('argocd'),
  };
}

/** The CLI tools the server lists here: kubectl and helm always, istioctl and argocd where installed. */
export async function listedClis(): Promise<string[]> {
  const found = await clisFound();
  return ['kubectl', 'helm', ...(['istioctl', 'argocd'] as const).filter((tool) => found[tool])];
}

/** Every text, structured result and stderr any server produced: scanned for credentials. */
export const seen: string[] = [];

/** A kubeconfig (or any text) as an X-Kubeconfig header or a `kubeconfig` argument carries it. */
export const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function tempDir(prefix = 'k8s-mcp-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startSim(): Promise<KubeSim> {
  const sim = await startKubeSim({ clusters: 2 });
  await Promise.all(sim.clusters.map((c) => c.settle()));
  return sim;
}

/** Writes the sim's kubeconfig for one user to a fresh directory; returns its path. */
export function writeKubeconfig(sim: KubeSim, user: UserRole = 'admin'): string {
  const path = join(tempDir('k8s-kubeconfig-'), 'config');
  sim.writeKubeconfig(path, { user });
  return path;
}

/** Every token of every cluster: none may ever reach a result, an error or a log line. */
export function simTokens(sim: KubeSim): string[] {
  return sim.clusters.flatMap((c) => Object.values(c.tokens));
}

/** A stand-in CLI binary (a shell script) that reports its arguments and environment. */
export function fakeCli(dir: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      `echo "fake ${name}: $*"`,
      // where the kubeconfig is (an unlinked file on fd 3 on Linux), its mode, and whether HOME holds a copy
      'if [ -n "$KUBECONFIG" ] && [ -f "$KUBECONFIG" ]; then echo "config at $KUBECONFIG mode $(stat -L -c %a "$KUBECONFIG")"; fi',
      'case "$*" in *--kubeconfig=/dev/fd/3*) echo "config at /dev/fd/3 mode $(stat -L -c %a /dev/fd/3)";; esac',
      'echo "kubeconfig files in HOME: $(find "$HOME" -name "*kubeconfig*" | wc -l)"',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
      'echo "ARGOCD_SERVER=${ARGOCD_SERVER:-unset} HOME_IS_TEMP=$(case "$HOME" in */cloudmcp-kube-*) echo yes;; *) echo no;; esac)"',
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
  return file;
}

export interface ToolResult {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
}

export interface Started {
  client: Client;
  /** The protocol era the client landed on. */
  era: Era;
  /** Everything the server wrote to stderr so far (stdio only). */
  stderr: () => string;
  call(name: string, args?: Record<string, unknown>): Promise<ToolResult>;
  /** Calls a tool that must succeed; returns its result. */
  ok(name: string, args?: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  /** KUBECONFIG of the server; default none (HOME is an empty directory). */
  kubeconfig?: string;
  /** The client answers elicitation prompts so (accept or decline); default: it cannot elicit. */
  elicit?: 'accept' | 'decline';
  /** The protocol era to connect on, over stdio and by every HTTP connect (default: the kit's, `MCP_TEST_ERA` or legacy). */
  era?: Era;
}

function wrap({ client, era }: Connected, stderr: () => string, close: () => Promise<void>): Started {
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<ToolResult> => {
    const result = (await client.callTool({ name, arguments: args })) as {
      content: Array<{ type: string; text?: string }>;
      isError?: boolean;
      structuredContent?: Record<string, unknown>;
    };
    const text = result.content.map((c) => c.text ?? '').join('\n');
    seen.push(text, JSON.stringify(result.structuredContent ?? {}));
    return { text, isError: result.isError === true, structured: result.structuredContent };
  };
  return {
    client,
    era,
    stderr,
    call,
    async ok(name, args = {}) {
      const result = await call(name, args);
      if (result.isError) throw new Error(`${name} failed: ${result.text}`);
      return result;
    },
    close,
  };
}

/** Spawns the built server over stdio, connects the SDK client and lists the tools first, as clients do. */
export async function startServer(opts: StartOptions = {}): Promise<Started> {
  const env: Record<string, string> = {
    HOME: tempDir('k8s-home-'),
    ...(opts.kubeconfig ? { KUBECONFIG: opts.kubeconfig } : {}),
    ...opts.env,
  };
  const server = await startStdioServer({
    cli: CLI,
    env,
    args: opts.args,
    clientName: 'k8s-e2e',
    ...(opts.elicit ? { elicit: opts.elicit } : {}),
    era: opts.era,
  });
  return wrap(server, server.stderr, async () => {
    seen.push(server.stderr());
    await server.close();
  });
}

/** How one HTTP client connects: its era (default the server's `era` option) and whether it can elicit. */
export interface HttpClientSetup {
  era?: Era;
  elicit?: 'accept' | 'decline';
}

export interface HttpServer {
  url: string;
  stderr: () => string;
  /** Connects a client, with extra request headers (X-Kubeconfig), and lists the tools first. */
  connect(headers?: Record<string, string>, setup?: HttpClientSetup): Promise<Started>;
  close(): Promise<void>;
}

/** Spawns the built server with `--http 127.0.0.1:0` and waits until it listens. */
export async function startHttpServer(opts: StartOptions = {}): Promise<HttpServer> {
  const server = await startHttp(
    CLI,
    {
      HOME: tempDir('k8s-home-'),
      ...(opts.kubeconfig ? { KUBECONFIG: opts.kubeconfig } : {}),
      ...opts.env,
    },
    opts.args,
  );
  const { url } = server;
  return {
    url,
    stderr: server.stderr,
    async connect(headers = {}, { era = opts.era, elicit = opts.elicit } = {}) {
      const connected = await server.connect({
        clientName: 'k8s-http-e2e',
        headers,
        era,
        ...(elicit ? { elicit } : {}),
      });
      return wrap(connected, server.stderr, connected.close);
    },
    async close() {
      seen.push(server.stderr());
      await server.close();
    },
  };
}

/**
 * Calls a destructive tool (or step) from a client that cannot ask its user and checks it is refused: on a
 * 2025-era connection an error result naming `what` and the way out, on 2026-07-28 the revision's
 * missing-capability error (-32021, naming elicitation), which the SDK client throws. The caller checks
 * that nothing changed.
 */
export async function expectRefusedUnasked(
  server: Started,
  tool: string,
  args: Record<string, unknown>,
  what: string,
): Promise<void> {
  if (server.era === 'legacy') {
    const refused = await server.call(tool, args);
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain(
      `Error: Refused: ${what}. Your MCP client cannot ask you to confirm (it does not support elicitation on this connection)`,
    );
    expect(refused.text).toContain('Nothing was changed.');
    expect(refused.text).toContain('--allow-model-confirm');
  } else {
    await expect(server.call(tool, args)).rejects.toMatchObject({
      code: -32021,
      message: expect.stringContaining('elicitation'),
    });
  }
}

/** The rows of a list result as its table shows them (structuredContent), keyed by column. */
export function items<T = Record<string, string>>(result: ToolResult): T[] {
  return result.structured ? (tableRows(result.structured) as T[]) : [];
}
