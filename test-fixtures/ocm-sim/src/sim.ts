/** startOcmSim: a hub and its managed clusters on kube-sim, installed as OCM's operators would. */
import { writeFileSync } from 'node:fs';
import { buildKubeconfig, type KubeSim, type SimCluster, startKubeSim } from 'kube-sim';
import { readClusterFacts } from './agents/cluster-facts.js';
import { ApiClient } from './api-client.js';
import { readCrds } from './crds.js';
import { enableAddons, installHub, installKlusterlet } from './install.js';
import { paths, setConditions } from './ocm.js';
import { settings as checkSettings } from './options.js';
import type { OcmSim, OcmSimOptions, SimManagedCluster } from './types.js';

const adminClient = (c: SimCluster) => new ApiClient(c, c.tokens.admin, 'ocm-sim-installer');

export async function startOcmSim(options: OcmSimOptions = {}): Promise<OcmSim> {
  const s = checkSettings(options);
  const crds = readCrds();
  const sims: KubeSim[] = [];
  const clients: ApiClient[] = [];
  const close = async () => {
    for (const c of clients) c.close();
    await Promise.all(sims.map((k) => k.close()));
  };
  try {
    const hubSim = await startKubeSim({ names: ['hub'], seed: s.hubSeed, host: s.host });
    sims.push(hubSim);
    const hub = hubSim.clusters[0]!;
    let managedClusters: SimCluster[] = [];
    if (s.managed.length > 0) {
      const managedSim = await startKubeSim({
        names: s.managed.map((m) => m.name),
        seed: s.managedSeed,
        host: s.host,
      });
      sims.push(managedSim);
      managedClusters = managedSim.clusters;
    }
    const hubAdmin = adminClient(hub);
    clients.push(hubAdmin);
    await installHub(hubAdmin, crds.hub, s, []);
    const managed: SimManagedCluster[] = [];
    for (const [i, spec] of s.managed.entries()) {
      const cluster = managedClusters[i]!;
      const managedAdmin = adminClient(cluster);
      clients.push(managedAdmin);
      await installKlusterlet(hubAdmin, managedAdmin, crds.managed, spec, cluster, s);
      if (spec.accepted) {
        await writeStaticStatus(hubAdmin, managedAdmin, spec.name);
        await enableAddons(hubAdmin, spec);
      }
      managed.push({ name: spec.name, cluster, prometheus: spec.prometheus });
    }

    const settle = async (timeoutMs = 30_000) => {
      await Promise.all([hub, ...managedClusters].map((c) => c.settle(timeoutMs)));
    };
    const find = (name: string) => {
      const m = managed.find((x) => x.name === name);
      if (!m) throw new Error(`ocm-sim: no managed cluster "${name}"`);
      return m;
    };
    return {
      hub,
      managed,
      hubKubeconfig: (opts) => buildKubeconfig([hub], { user: opts?.user ?? 'admin' }),
      writeHubKubeconfig: (path, opts) => {
        writeFileSync(path, buildKubeconfig([hub], { user: opts?.user ?? 'admin' }), { mode: 0o600 });
      },
      settle,
      setAvailable: async (name, available) => {
        const m = find(name);
        if (available) m.cluster.clearFaults();
        else m.cluster.addFault({ kind: 'reset', times: Number.POSITIVE_INFINITY });
      },
      rotateTokens: async (name) => {
        find(name);
      },
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Until the agents run: the status a joined, available cluster reports. */
async function writeStaticStatus(hubAdmin: ApiClient, managedAdmin: ApiClient, name: string): Promise<void> {
  await hubAdmin.create(paths.namespaces(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const mc = await hubAdmin.get(paths.managedClusters(name));
  const facts = await readClusterFacts(managedAdmin);
  mc.status = {
    ...facts,
    conditions: setConditions(mc.status?.conditions, [
      {
        type: 'HubAcceptedManagedCluster',
        status: 'True',
        reason: 'HubClusterAdminAccepted',
        message: 'Accepted by hub cluster admin',
      },
      {
        type: 'ManagedClusterJoined',
        status: 'True',
        reason: 'ManagedClusterJoined',
        message: 'Managed cluster joined',
      },
      {
        type: 'ManagedClusterConditionAvailable',
        status: 'True',
        reason: 'ManagedClusterAvailable',
        message: 'Managed cluster is available',
      },
      {
        type: 'ManagedClusterConditionClockSynced',
        status: 'True',
        reason: 'ManagedClusterClockSynced',
        message: 'The clock of the managed cluster is synced with the hub.',
      },
    ]),
  };
  await hubAdmin.replace(paths.managedClusters(name, 'status'), mc);
}
