import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { Cluster } from './cluster.js';
import { seedCluster } from './seed.js';
import type { KubeconfigOptions, KubeSim, KubeSimOptions, SimCluster, UserRole } from './types.js';

function checkOptions(o: KubeSimOptions): void {
  if (o.clusters !== undefined && !(Number.isInteger(o.clusters) && o.clusters >= 1 && o.clusters <= 200)) {
    throw new Error('clusters must be an integer between 1 and 200');
  }
  if (o.names !== undefined) {
    if (!Array.isArray(o.names) || o.names.length < 1 || o.names.length > 200) {
      throw new Error('names must list between 1 and 200 cluster names');
    }
    for (const n of o.names) {
      // a DNS-1123 label: it becomes node names, kubeconfig names and certificate subjects
      if (typeof n !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n)) {
        throw new Error(`cluster name must be a DNS-1123 label, got "${String(n)}"`);
      }
    }
    if (new Set(o.names).size !== o.names.length) throw new Error('cluster names must be unique');
    if (o.clusters !== undefined && o.clusters !== o.names.length) {
      throw new Error(`clusters (${o.clusters}) and names (${o.names.length}) disagree`);
    }
  }
  if (o.seed !== undefined && o.seed !== 'realistic' && o.seed !== 'empty') {
    throw new Error(`seed must be "realistic" or "empty", got ${String(o.seed)}`);
  }
  if (o.pods !== undefined && !(Number.isInteger(o.pods) && o.pods >= 0 && o.pods <= 100_000)) {
    throw new Error('pods must be an integer between 0 and 100000');
  }
}

const ROLES: Record<UserRole, string> = {
  admin: 'admin',
  view: 'view',
  edit: 'edit',
  teamAdmin: 'team-a-admin',
};

/** A kubeconfig with one context per cluster (named after the cluster), current-context = the first. */
export function buildKubeconfig(clusters: SimCluster[], opts: KubeconfigOptions = {}): string {
  const role: UserRole = opts.user ?? 'admin';
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: clusters.map((c) => ({
      name: c.name,
      cluster: { server: c.url, 'certificate-authority-data': Buffer.from(c.caPem).toString('base64') },
    })),
    users: clusters.map((c) => ({ name: `${c.name}-${ROLES[role]}`, user: { token: c.tokens[role] } })),
    contexts: clusters.map((c) => ({
      name: c.name,
      context: { cluster: c.name, user: `${c.name}-${ROLES[role]}` },
    })),
    'current-context': clusters[0]?.name ?? '',
  };
  return stringify(doc);
}

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  checkOptions(options);
  const names = options.names ?? Array.from({ length: options.clusters ?? 1 }, (_, i) => `sim-${i + 1}`);
  const host = options.host ?? '127.0.0.1';
  const clusters: Cluster[] = [];
  try {
    for (const [i, name] of names.entries()) {
      const c = new Cluster({
        name,
        index: i + 1,
        host,
        port: options.basePort ? options.basePort + i : 0,
        podStartMs: options.podStartMs ?? 150,
      });
      clusters.push(c);
      seedCluster(c, options.seed ?? 'realistic', options.pods ?? 0);
      await c.listen();
    }
    await Promise.all(clusters.map((c) => c.controllers.settle(30_000)));
  } catch (e) {
    await Promise.all(clusters.map((c) => c.close()));
    throw e;
  }
  const sims = clusters.map((c) => c.asSimCluster());
  return {
    clusters: sims,
    kubeconfig: (opts) => buildKubeconfig(sims, opts),
    writeKubeconfig: (path, opts) => {
      writeFileSync(path, buildKubeconfig(sims, opts), { mode: 0o600 });
    },
    close: async () => {
      await Promise.all(clusters.map((c) => c.close()));
    },
  };
}
