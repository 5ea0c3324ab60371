/** Container logs: deterministic generated lines per container, explicit logs for seeded pods, log options. */
import { createHash } from 'node:crypto';
import { badRequest } from './errors.js';
import type { JsonObject } from './patch.js';

export interface LogLine {
  ts: number;
  text: string;
}

interface ContainerLogs {
  current: LogLine[];
  previous?: LogLine[];
}

function seeded(key: string): () => number {
  let h = createHash('sha256').update(key).digest().readUInt32LE(0);
  return () => {
    h = (h * 1664525 + 1013904223) >>> 0;
    return h / 0x100000000;
  };
}

function pick<T>(r: () => number, xs: T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

/** Lines an app of this image would plausibly print, spread between `start` and `end`. */
function generate(
  image: string,
  key: string,
  start: number,
  count: number,
  end = start + count * 2100,
): LogLine[] {
  const lines = generateTexts(image, key, start, count);
  const lo = Math.max(start, end - count * 2500);
  const step = Math.max(1, (end - lo) / Math.max(1, lines.length));
  return lines.map((l, i) => ({ ts: Math.floor(lo + step * i), text: l.text }));
}

function generateTexts(image: string, key: string, start: number, count: number): LogLine[] {
  const r = seeded(key);
  const lines: LogLine[] = [];
  const img = image.toLowerCase();
  const ips = ['10.244.1.17', '10.244.2.9', '10.244.0.33', '172.17.0.1'];
  const paths = ['/', '/healthz', '/api/v1/items', '/api/v1/orders?page=2', '/static/app.js', '/metrics'];
  let t = start;
  const push = (text: string) => {
    t += Math.floor(200 + r() * 4000);
    lines.push({ ts: t, text });
  };
  if (img.includes('nginx')) {
    push('/docker-entrypoint.sh: Configuration complete; ready for start up');
    push(`${new Date(t).toISOString()} [notice] 1#1: nginx/1.27.0`);
    push(`${new Date(t).toISOString()} [notice] 1#1: start worker processes`);
    for (let i = 3; i < count; i++) {
      const d = new Date(t);
      const stamp = `${String(d.getUTCDate()).padStart(2, '0')}/${d.toUTCString().slice(8, 11)}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`;
      const code = r() < 0.93 ? 200 : pick(r, [301, 404, 500]);
      push(
        `${pick(r, ips)} - - [${stamp}] "GET ${pick(r, paths)} HTTP/1.1" ${code} ${Math.floor(r() * 5000)} "-" "kube-probe/1.35"`,
      );
    }
    return lines;
  }
  if (img.includes('redis')) {
    push('1:C 01 Jan 2025 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
    push('1:M 01 Jan 2025 00:00:00.001 * Ready to accept connections tcp');
    for (let i = 2; i < count; i++) push(`1:M * ${Math.floor(r() * 100)} changes in 300 seconds. Saving...`);
    return lines;
  }
  if (img.includes('postgres')) {
    push('LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-gnu');
    push('LOG:  listening on IPv4 address "0.0.0.0", port 5432');
    push('LOG:  database system is ready to accept connections');
    for (let i = 3; i < count; i++) push(`LOG:  checkpoint complete: wrote ${Math.floor(r() * 300)} buffers`);
    return lines;
  }
  const comps = ['http', 'db', 'cache', 'worker'];
  push(JSON.stringify({ level: 'info', msg: 'starting', version: '1.4.2' }));
  push(JSON.stringify({ level: 'info', msg: 'listening', addr: ':8080' }));
  for (let i = 2; i < count; i++) {
    const level = r() < 0.9 ? 'info' : r() < 0.7 ? 'warn' : 'error';
    const msg = level === 'info' ? 'request served' : level === 'warn' ? 'slow request' : 'upstream timeout';
    push(JSON.stringify({ level, component: pick(r, comps), msg, duration_ms: Math.floor(r() * 900) }));
  }
  return lines;
}

export interface LogOptions {
  container?: string | null;
  previous?: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  sinceTime?: string | null;
  timestamps?: boolean;
}

export class LogStore {
  private explicit = new Map<string, ContainerLogs>();

  set(
    ns: string,
    pod: string,
    container: string,
    current: string[],
    previous?: string[],
    start = Date.now() - 3600_000,
  ): void {
    const mk = (xs: string[], base: number) => xs.map((text, i) => ({ ts: base + i * 1500, text }));
    const entry: ContainerLogs = { current: mk(current, start) };
    if (previous) entry.previous = mk(previous, start - previous.length * 1500 - 60_000);
    this.explicit.set(`${ns}/${pod}/${container}`, entry);
  }

  append(ns: string, pod: string, container: string, lines: string[], now = Date.now()): void {
    const k = `${ns}/${pod}/${container}`;
    const e = this.explicit.get(k) ?? { current: [] };
    for (const text of lines) e.current.push({ ts: now, text });
    this.explicit.set(k, e);
  }

  forget(ns: string, pod: string): void {
    for (const k of [...this.explicit.keys()]) if (k.startsWith(`${ns}/${pod}/`)) this.explicit.delete(k);
  }

  /** The log text, with the kubelet's errors for containers that have none. */
  read(pod: JsonObject, opts: LogOptions, now = Date.now()): string {
    const ns = pod.metadata.namespace as string;
    const name = pod.metadata.name as string;
    const containers = ((pod.spec?.containers ?? []) as JsonObject[]).map((c) => c.name as string);
    const inits = ((pod.spec?.initContainers ?? []) as JsonObject[]).map((c) => c.name as string);
    let container = opts.container ?? '';
    if (!container) {
      if (containers.length === 1 && inits.length === 0) container = containers[0]!;
      else if (containers.length === 1) container = containers[0]!;
      else {
        const initPart = inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : '';
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`,
        );
      }
    }
    if (!containers.includes(container) && !inits.includes(container)) {
      throw badRequest(`container ${container} is not valid for pod ${name}`);
    }
    const statuses = [
      ...((pod.status?.containerStatuses ?? []) as JsonObject[]),
      ...((pod.status?.initContainerStatuses ?? []) as JsonObject[]),
    ];
    const st = statuses.find((s) => s.name === container);
    const spec = [
      ...((pod.spec?.containers ?? []) as JsonObject[]),
      ...((pod.spec?.initContainers ?? []) as JsonObject[]),
    ].find((c) => c.name === container);
    const explicit = this.explicit.get(`${ns}/${name}/${container}`);
    let lines: LogLine[];
    if (opts.previous) {
      if (!explicit?.previous && !(st?.restartCount > 0)) {
        throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
      }
      lines =
        explicit?.previous ??
        generate(
          spec?.image ?? '',
          `${ns}/${name}/${container}/prev`,
          Date.parse(pod.metadata.creationTimestamp),
          40,
        );
    } else {
      const waiting = st?.state?.waiting?.reason as string | undefined;
      if (!st || (waiting && !(st.restartCount > 0) && !explicit)) {
        const why = waiting ?? (pod.spec?.nodeName ? 'ContainerCreating' : 'PodInitializing');
        throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${why}`);
      }
      if (explicit) lines = explicit.current;
      else {
        const started = Date.parse(
          st.state?.running?.startedAt ?? pod.status?.startTime ?? pod.metadata.creationTimestamp,
        );
        const count = 20 + Math.floor(seeded(`${ns}/${name}`)() * 60);
        const finished = st.state?.terminated?.finishedAt
          ? Date.parse(st.state.terminated.finishedAt)
          : now - 1500;
        lines = generate(
          spec?.image ?? '',
          `${ns}/${name}/${container}`,
          started,
          count,
          Math.max(started, finished),
        );
      }
    }
    let out = lines;
    if (opts.sinceSeconds !== undefined) out = out.filter((l) => l.ts >= now - opts.sinceSeconds! * 1000);
    if (opts.sinceTime) {
      const since = Date.parse(opts.sinceTime);
      if (!Number.isNaN(since)) out = out.filter((l) => l.ts >= since);
    }
    if (opts.tailLines !== undefined) out = opts.tailLines <= 0 ? [] : out.slice(-opts.tailLines);
    let text = out
      .map((l) =>
        opts.timestamps ? `${new Date(l.ts).toISOString().replace('Z', '000000Z')} ${l.text}` : l.text,
      )
      .join('\n');
    if (out.length) text += '\n';
    if (opts.limitBytes !== undefined) text = Buffer.from(text).subarray(0, opts.limitBytes).toString('utf8');
    return text;
  }
}
