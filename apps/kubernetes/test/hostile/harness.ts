import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { KubeSim } from 'kube-sim';
import { expect } from 'vitest';
import {
  BIN_CACHE,
  type HttpServer,
  type Started,
  type StartOptions,
  seen,
  simTokens,
  startHttpServer,
  startServer,
  startSim,
  tempDir,
  writeKubeconfig,
} from '../harness.js';

// The attacker's bench: canary files and environment values that must never come back, marker files a
// command or exec plugin would create, listeners that record every connection, kube-sim state snapshots,
// and one scan of everything the servers said for anything secret.

export { BIN_CACHE, base64, HELM_MISSING, KUBECTL_MISSING } from '../harness.js';

export const random = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
export const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Writes a file readable by its owner only (the way the server must write its own). */
export function writePrivate(path: string, text: string, mode = 0o600): string {
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
  return path;
}

/**
 * Files on "the server's disk" that a request must never get read: every one carries `token`, in the shape
 * its attack expects, so a command that reads it prints the token (a ConfigMap named after it, a template
 * that prints it, an env file and a values file holding it, a kustomization of the manifest).
 */
export interface Canary {
  token: string;
  dir: string;
  manifest: string;
  template: string;
  envFile: string;
  values: string;
}

export function canaryFiles(): Canary {
  const token = random('canary');
  const dir = tempDir('k8s-canary-');
  const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${token}\n  namespace: default\ndata:\n  canary: ${token}\n`;
  writePrivate(join(dir, 'kustomization.yaml'), 'resources:\n  - manifest.yaml\n');
  return {
    token,
    dir,
    manifest: writePrivate(join(dir, 'manifest.yaml'), manifest),
    template: writePrivate(join(dir, 'template.txt'), `${token}\n`),
    envFile: writePrivate(join(dir, 'canary.env'), `CANARY=${token}\n`),
    values: writePrivate(join(dir, 'values.yaml'), `canary: ${token}\n`),
  };
}

/** What one listener saw: connections, and every byte received (request lines, headers, bodies). */
export interface Listener {
  port: number;
  url: string;
  connections: number;
  received(): string;
  /** Paths requested, in order. */
  paths: string[];
  close(): Promise<void>;
}

export type Route = { status?: number; headers?: Record<string, string>; body?: string | Buffer };

/** An HTTP listener on 127.0.0.1 (only ever there) that answers `routes` and 404 to anything else. */
export async function listen(routes: Record<string, Route> = {}): Promise<Listener> {
  const chunks: Buffer[] = [];
  const paths: string[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    paths.push(req.url ?? '');
    req.resume();
    const route = routes[(req.url ?? '').split('?')[0]!];
    res.writeHead(route ? (route.status ?? 200) : 404, { connection: 'close', ...route?.headers });
    res.end(route?.body ?? '');
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    received: () => Buffer.concat(chunks).toString('latin1'),
    paths,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The store revision of every cluster: equal before and after means nothing was written. */
export function snapshot(sim: KubeSim): string[] {
  return sim.clusters.map((c) => `${c.name}@${c.store.resourceVersion}`);
}

/** The values of every Secret in the realistic seed (as stored, base64, and decoded). */
export function secretValues(sim: KubeSim): string[] {
  const values: string[] = [];
  for (const cluster of sim.clusters) {
    for (const secret of cluster.store.list('v1', 'Secret', 'team-a')) {
      for (const value of Object.values((secret['data'] ?? {}) as Record<string, string>)) {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        values.push(value, ...(decoded.length >= 8 ? [decoded] : []));
      }
    }
  }
  return values;
}

/** Requests kubectl or helm (Go clients) made to any cluster so far. */
export function goClientRequests(sim: KubeSim): number[] {
  return sim.clusters.map(
    (c) => c.log.filter((e) => /kubectl|helm|Go-http-client/i.test(e.userAgent)).length,
  );
}

export interface CallResult {
  text: string;
  isError: boolean;
  structured: Record<string, unknown> | undefined;
}

/** A started server (stdio or one HTTP client) whose calls never throw: a protocol error is an error result. */
export interface Session {
  call(name: string, args?: Record<string, unknown>): Promise<CallResult>;
  started: Started;
}

function session(started: Started): Session {
  return {
    started,
    async call(name, args = {}) {
      try {
        return await started.call(name, args);
      } catch (error) {
        const text = `protocol error: ${(error as Error).message}`;
        seen.push(text);
        return { text, isError: true, structured: undefined };
      }
    },
  };
}

export interface StdioSession extends Session {
  pid: number;
  stderr: () => string;
}

/**
 * Everything one test file needs: a kube-sim, canaries, env canaries given to every server, servers that
 * are closed at the end, and `expectNothingLeaked()`, which scans what was seen since its last call.
 */
export class Arena {
  readonly dir = tempDir('k8s-hostile-');
  readonly canary = canaryFiles();
  readonly envCanary = random('envcanary');
  readonly httpToken = random('httptoken');
  /** Extra strings that must never appear (a test file adds Secret values, tokens of its own…). */
  readonly forbidden: string[] = [];
  sim!: KubeSim;
  private readonly closers: Array<() => Promise<void>> = [];
  private readonly stderrs: Array<() => string> = [];
  private checked = { seen: 0, stderr: new Map<() => string, number>() };

  /** An arena with a started kube-sim (two clusters, realistic seed). */
  static async open(): Promise<Arena> {
    const arena = new Arena();
    arena.sim = await startSim();
    return arena;
  }

  /** The environment every server gets: the canaries a leak would show. */
  get env(): Record<string, string> {
    return { CANARY_ENV: this.envCanary, CLOUDMCP_HTTP_TOKEN: this.httpToken };
  }

  /** The operator's kubeconfig for the sim (trusted), as a file. */
  kubeconfig(user: 'admin' | 'view' = 'admin'): string {
    return writeKubeconfig(this.sim, user);
  }

  /** A path a successful attack would create; asserted absent. */
  marker(name: string): string {
    return join(this.dir, `${name}-${randomBytes(4).toString('hex')}.ran`);
  }

  /** A fresh 0700 directory under the arena's. */
  privateDir(label: string): string {
    const dir = join(this.dir, `${label}-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { mode: 0o700 });
    return dir;
  }

  /** An executable script `name` with `text` in a fresh directory; returns its path. */
  fakeCliScript(name: string, text: string): string {
    return writePrivate(join(this.privateDir('bin'), name), text, 0o700);
  }

  /** A stand-in CLI (`istioctl`, `argocd`…) that appends its arguments to `marker` each time it runs. */
  fakeCli(name: string, marker: string): string {
    return this.fakeCliScript(name, `#!/bin/sh\necho "$*" >> '${marker}'\necho "fake ${name}: $*"\n`);
  }

  async stdio(args: string[] = [], opts: StartOptions = {}): Promise<StdioSession> {
    const started = await startServer({
      kubeconfig: opts.kubeconfig ?? this.kubeconfig(),
      ...opts,
      args: ['--cli-dirs', BIN_CACHE, ...args],
      env: { ...this.env, ...opts.env },
    });
    this.stderrs.push(started.stderr);
    this.closers.push(() => started.close());
    const transport = started.client.transport as StdioClientTransport;
    return { ...session(started), pid: transport.pid!, stderr: started.stderr };
  }

  /** An HTTP server (bound to 127.0.0.1, bearer token from the env canary). */
  async http(
    args: string[] = [],
    opts: StartOptions = {},
  ): Promise<HttpServer & { session(kubeconfig?: string): Promise<Session> }> {
    const server = await startHttpServer({
      kubeconfig: opts.kubeconfig ?? this.kubeconfig(),
      ...opts,
      args: ['--cli-dirs', BIN_CACHE, ...args],
      env: { ...this.env, ...opts.env },
    });
    this.stderrs.push(server.stderr);
    this.closers.push(() => server.close());
    const token = this.httpToken;
    const closers = this.closers;
    return {
      ...server,
      async session(kubeconfig?: string) {
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (kubeconfig !== undefined) headers['x-kubeconfig'] = kubeconfig;
        const started = await server.connect(headers);
        closers.push(() => started.close());
        return session(started);
      },
    };
  }

  /** Registers something to stop when the file is done (listeners, extra processes). */
  onClose(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  /** Strings that must appear nowhere: canaries, env canaries, the HTTP token, the sim's tokens. */
  secrets(): string[] {
    return [this.canary.token, this.envCanary, this.httpToken, ...simTokens(this.sim), ...this.forbidden];
  }

  /**
   * Everything seen since the last call (results, structured content, protocol errors, server stderr)
   * holds none of `secrets()` (plus `extra`).
   */
  expectNothingLeaked(extra: string[] = []): void {
    const fresh = [...seen.slice(this.checked.seen), ...extra];
    this.checked.seen = seen.length;
    for (const stderr of this.stderrs) {
      const text = stderr();
      fresh.push(text.slice(this.checked.stderr.get(stderr) ?? 0));
      this.checked.stderr.set(stderr, text.length);
    }
    const all = fresh.join('\n');
    for (const secret of this.secrets()) {
      expect(all.includes(secret), `leaked ${secret.slice(0, 12)}…`).toBe(false);
    }
  }

  async close(): Promise<void> {
    while (this.closers.length) await this.closers.pop()!();
    await this.sim.close();
  }
}

/** Every regular file under `dir` (recursively) whose content includes `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile() && readFileSync(full, 'latin1').includes(needle)) hits.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return hits;
}

/** Waits until `check()` is true, polling at 25 ms, failing after `ms`; for processes and files only. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A start-on-first-use value: a server whose flags fail today fails only the cases that use it. */
export function lazy<T>(start: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => {
    started ??= start();
    return started;
  };
}

/** The size of a file, 0 when absent: a marker that grew means something ran. */
export function sizeOf(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/** Whether a process exists and is not a zombie. */
/**
 * A check that the process at `pid` now is still running later: pids are reused on a busy machine, so a pid
 * alone may name another process by the time it is polled (or killed).
 */
export function stillRunning(pid: number): () => boolean {
  const start = startTimeOf(pid);
  return () => alive(pid) && startTimeOf(pid) === start;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
