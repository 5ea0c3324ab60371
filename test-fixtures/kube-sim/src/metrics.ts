/** metrics.k8s.io/v1beta1 NodeMetrics and PodMetrics computed from the running pods (as metrics-server reports). */
import { createHash } from 'node:crypto';
import type { JsonObject } from './patch.js';

function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32LE(0) / 0x100000000;
}

/** Parses a CPU quantity to nanocores ("250m", "1", "0.5"). */
export function cpuNano(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const s = String(q);
  if (s.endsWith('m')) return Number(s.slice(0, -1)) * 1e6;
  if (s.endsWith('n')) return Number(s.slice(0, -1));
  return Number(s) * 1e9;
}

const MEM_UNITS: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

export function memBytes(q: string | number | undefined): number {
  if (q === undefined) return 0;
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(String(q));
  if (!m) return 0;
  return Number(m[1]) * (MEM_UNITS[m[2]!] ?? 1);
}

export function containerUsage(pod: JsonObject, c: JsonObject): { cpu: number; mem: number } {
  const key = `${pod.metadata.namespace}/${pod.metadata.name}/${c.name}`;
  const limCpu = cpuNano(c.resources?.limits?.cpu ?? c.resources?.requests?.cpu) || 200e6;
  const limMem = memBytes(c.resources?.limits?.memory ?? c.resources?.requests?.memory) || 256 * 1024 ** 2;
  const u = unit(key);
  return {
    cpu: Math.floor(limCpu * (0.05 + 0.6 * u)),
    mem: Math.floor(limMem * (0.2 + 0.6 * unit(`${key}/mem`))),
  };
}

const isRunning = (p: JsonObject) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp;

export function podMetrics(pod: JsonObject, now: Date): JsonObject {
  return {
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      labels: pod.metadata.labels ?? {},
    },
    timestamp: new Date(now.getTime() - 7000).toISOString().replace(/\.\d+Z$/, 'Z'),
    window: '15.011s',
    containers: ((pod.spec?.containers ?? []) as JsonObject[]).map((c) => {
      const u = containerUsage(pod, c);
      return { name: c.name, usage: { cpu: `${u.cpu}n`, memory: `${Math.floor(u.mem / 1024)}Ki` } };
    }),
  };
}

/** A node's usage: a base for the system daemons plus its running pods' containers (nanocores, bytes). */
export function nodeUsage(node: JsonObject, pods: JsonObject[]): { cpu: number; mem: number } {
  let cpu = 80e6 + unit(node.metadata.name) * 120e6;
  let mem = 600 * 1024 ** 2 + unit(`${node.metadata.name}/m`) * 400 * 1024 ** 2;
  for (const p of pods) {
    if (p.spec?.nodeName !== node.metadata.name || !isRunning(p)) continue;
    for (const c of (p.spec?.containers ?? []) as JsonObject[]) {
      const u = containerUsage(p, c);
      cpu += u.cpu;
      mem += u.mem;
    }
  }
  return { cpu, mem };
}

export function nodeMetrics(node: JsonObject, pods: JsonObject[], now: Date): JsonObject {
  const { cpu, mem } = nodeUsage(node, pods);
  return {
    metadata: {
      name: node.metadata.name,
      creationTimestamp: now.toISOString().replace(/\.\d+Z$/, 'Z'),
      labels: node.metadata.labels ?? {},
    },
    timestamp: new Date(now.getTime() - 9000).toISOString().replace(/\.\d+Z$/, 'Z'),
    window: '20.05s',
    usage: { cpu: `${Math.floor(cpu)}n`, memory: `${Math.floor(mem / 1024)}Ki` },
  };
}

export { isRunning };
