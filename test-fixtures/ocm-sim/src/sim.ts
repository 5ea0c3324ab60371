/** startOcmSim: a hub and its managed clusters on kube-sim, installed as OCM's operators would, agents running. */
import { writeFileSync } from 'node:fs';
import { buildKubeconfig, type SimCluster, startKubeSim } from 'kube-sim';
import { AddonHost } from './agents/addon-host.js';
import { Klusterlet } from './agents/klusterlet.js';
import { LeaseOnlyAgent, LeaseRenewer } from './agents/lease.js';
import { ManagedServiceAccountAgent } from './agents/managed-serviceaccount.js';
import { RegistrationAgent } from './agents/registration.js';
import { hubHash, WorkAgent } from './agents/work.js';
import { readCrds } from './crds.js';
import { addonController } from './hub/addons.js';
import { clusterSetController } from './hub/clusterset.js';
import { leaseController } from './hub/lease.js';
import { placementController } from './hub/placement.js';
import { registrationController } from './hub/registration.js';
import { enableAddons, type HubControllerIdentity, installHub, installKlusterlet } from './install.js';
import { MSA_ADDON } from './ocm.js';
import { settings as checkSettings, type ManagedClusterSpec, type SimSettings } from './options.js';
import { type ClusterPrometheus, startClusterPrometheus } from './prometheus/index.js';
import { Runtime } from './runtime.js';
import type { OcmSim, OcmSimOptions, SimManagedCluster } from './types.js';

export async function startOcmSim(options: OcmSimOptions = {}): Promise<OcmSim> {
  const s = checkSettings(options);
  const crds = readCrds();
  const rt = new Runtime();
  try {
    const hubSim = await startKubeSim({ names: ['hub'], seed: s.hubSeed, host: s.host });
    rt.addSim(hubSim);
    const hub = hubSim.clusters[0]!;
    let managedClusters: SimCluster[] = [];
    if (s.managed.length > 0) {
      const managedSim = await startKubeSim({
        names: s.managed.map((m) => m.name),
        seed: s.managedSeed,
        host: s.host,
      });
      rt.addSim(managedSim);
      managedClusters = managedSim.clusters;
    }

    const hubAdmin = rt.client(hub, hub.tokens.admin, 'ocm-sim-installer');
    rt.setHubAdmin(hubAdmin);
    const hubTokens = await installHub(hubAdmin, crds.hub, s);
    const hubController = (sa: HubControllerIdentity) => rt.client(hub, hubTokens[sa], `ocm-hub/${sa}`);
    rt.hubControllers.push(
      registrationController(hubController('registration-controller-sa')),
      leaseController(hubController('registration-controller-sa'), s.leaseDurationSeconds * 1000),
      addonController(hubController('addon-manager-controller-sa')),
      clusterSetController(hubController('registration-controller-sa')),
      placementController(hubController('placement-controller-sa')),
    );
    for (const c of rt.hubControllers) c.start();

    const managed: SimManagedCluster[] = [];
    const hosts = new Map<string, AddonHost>();
    const prometheuses = new Map<string, ClusterPrometheus>();
    for (const [i, spec] of s.managed.entries()) {
      const cluster = managedClusters[i]!;
      hosts.set(spec.name, await joinCluster(rt, hub, cluster, spec, crds.managed, s));
      const prometheus = await startClusterPrometheus(cluster, spec.prometheus);
      rt.onClose(() => prometheus.close());
      prometheuses.set(spec.name, prometheus);
      managed.push({
        name: spec.name,
        cluster,
        prometheus: spec.prometheus,
        ...(prometheus.url ? { prometheusUrl: prometheus.url } : {}),
      });
    }
    // every cluster joins and gets its add-ons before startOcmSim resolves: more clusters take longer
    const startupMs = 30_000 + 2_000 * s.managed.length;
    await rt.settle(startupMs);
    for (const spec of s.managed.filter((m) => m.accepted)) await enableAddons(hubAdmin, spec);
    await rt.settle(startupMs);

    const find = (name: string) => {
      const m = managed.find((x) => x.name === name);
      const k = rt.klusterlets.get(name);
      if (!m || !k) throw new Error(`ocm-sim: no managed cluster "${name}"`);
      return { m, k };
    };
    const kubeconfig = (user: 'admin' | 'view' | 'edit' = 'admin') => buildKubeconfig([hub], { user });
    return {
      hub,
      managed,
      hubKubeconfig: (opts) => kubeconfig(opts?.user),
      writeHubKubeconfig: (path, opts) => writeFileSync(path, kubeconfig(opts?.user), { mode: 0o600 }),
      settle: (timeoutMs) => rt.settle(timeoutMs),
      setAvailable: async (name, available) => {
        const { m, k } = find(name);
        if (available) {
          m.cluster.clearFaults();
          k.setAvailable(true);
        } else {
          m.cluster.addFault({ kind: 'reset', times: Number.POSITIVE_INFINITY });
          m.cluster.dropConnections();
          k.setAvailable(false);
        }
        prometheuses.get(name)?.setAvailable(available);
        rt.expectAvailable(name, available ? 'True' : 'Unknown');
      },
      rotateTokens: async (name) => {
        find(name);
        const agent = hosts.get(name)?.agent(MSA_ADDON);
        if (!agent?.rotate) throw new Error(`ocm-sim: the ${MSA_ADDON} add-on does not run on "${name}"`);
        await agent.rotate();
      },
      close: () => rt.close(),
    };
  } catch (e) {
    await rt.close();
    throw e;
  }
}

/** Installs the klusterlet on a managed cluster and starts its agents, each with its own credentials. */
async function joinCluster(
  rt: Runtime,
  hub: SimCluster,
  cluster: SimCluster,
  spec: ManagedClusterSpec,
  crds: Parameters<typeof installKlusterlet>[2],
  s: SimSettings,
): Promise<AddonHost> {
  const managedAdmin = rt.client(cluster, cluster.tokens.admin, 'ocm-sim-installer');
  const tokens = await installKlusterlet(
    rt.client(hub, hub.tokens.admin, 'ocm-sim-installer'),
    managedAdmin,
    crds,
    spec,
    cluster,
    s,
  );
  const klusterlet = new Klusterlet(spec.name);
  rt.klusterlets.set(spec.name, klusterlet);
  const ua = (agent: string) => `${agent}/${spec.name}`;
  klusterlet.run(
    new RegistrationAgent(
      spec.name,
      {
        hub: rt.client(hub, tokens.hub.registration, ua('registration-agent')),
        managed: rt.client(cluster, tokens.managed.registration, ua('registration-agent')),
      },
      rt.client(hub, tokens.hub.registration, ua('registration-agent-lease')),
      s.leaseDurationSeconds,
    ),
  );
  klusterlet.run(
    new WorkAgent(
      spec.name,
      {
        hub: rt.client(hub, tokens.hub.work, ua('work-agent')),
        managed: rt.client(cluster, tokens.managed.work, ua('work-agent')),
      },
      hubHash(hub.url),
    ),
  );
  const host = new AddonHost(
    spec.name,
    klusterlet,
    rt.client(cluster, cluster.tokens.admin, ua('kubelet')),
    rt.client(hub, hub.tokens.admin, ua('addon-registration')),
    (c) => {
      const agent = ua(`${c.addon}-addon-agent`);
      const lease = new LeaseRenewer(
        rt.client(cluster, c.managedToken, `${agent}-lease`),
        c.namespace,
        c.addon,
        s.leaseDurationSeconds,
        true,
      );
      if (c.addon !== MSA_ADDON) return new LeaseOnlyAgent(lease);
      const id = {
        hub: rt.client(hub, c.hubToken, agent),
        managed: rt.client(cluster, c.managedToken, agent),
      };
      return new ManagedServiceAccountAgent(spec.name, id, c.namespace, lease, s.defaultTokenValiditySeconds);
    },
  );
  klusterlet.run(host);
  return host;
}
