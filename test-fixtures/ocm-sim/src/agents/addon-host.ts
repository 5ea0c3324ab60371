/**
 * The sim's stand-in for the kubelet running add-on agent pods on one managed cluster: when an add-on's agent
 * Deployment (deployed by the add-on manager's ManifestWork) has an available replica, the agent starts in
 * process with its own credentials — a token for its ServiceAccount there, and one for its hub identity (real
 * agents get that through a CSR the hub approves) — and it stops when the Deployment is gone.
 */
import type { ApiClient, K8sObject } from '../api-client.js';
import { Controller } from '../controller.js';
import { agentIdentity } from '../install.js';
import { AGENT_IDENTITY_NAMESPACE, paths } from '../ocm.js';
import { mintToken } from '../rbac.js';
import { ADDON_NAME_LABEL, addonAgentName } from './addon-manifests.js';
import type { Agent, Klusterlet } from './klusterlet.js';

/** Add-on agents' tokens last a year, as the agents' own. */
const AGENT_TOKEN_SECONDS = 365 * 24 * 3600;

export interface AddonAgentCredentials {
  addon: string;
  namespace: string;
  hubToken: string;
  managedToken: string;
}

export class AddonHost implements Agent {
  readonly controllers: Controller[];
  private readonly controller: Controller;
  private readonly running = new Map<string, Agent>();

  /** `kubelet` and `hubAdmin` are the sim's own; `startAgent` builds an agent with the credentials given. */
  constructor(
    private readonly cluster: string,
    private readonly klusterlet: Klusterlet,
    private readonly kubelet: ApiClient,
    private readonly hubAdmin: ApiClient,
    private readonly startAgent: (c: AddonAgentCredentials) => Agent & { rotate?(): Promise<void> },
  ) {
    const deployments = `/apis/apps/v1/deployments?labelSelector=${encodeURIComponent(ADDON_NAME_LABEL)}`;
    this.controller = new Controller(`addon-host/${cluster}`, [kubelet, hubAdmin], () =>
      this.reconcile(),
    ).watch(kubelet, deployments);
    this.controllers = [this.controller];
  }

  start = () => this.controller.start();
  pause = () => this.controller.pause();
  resume = () => this.controller.resume();

  stop(): void {
    this.controller.stop();
    this.running.clear();
  }

  /** The running agent of an add-on, if any. */
  agent(addon: string): (Agent & { rotate?(): Promise<void> }) | undefined {
    return this.running.get(addon);
  }

  private async reconcile(): Promise<void> {
    const deployments = await this.kubelet.list('/apis/apps/v1/deployments', ADDON_NAME_LABEL);
    const ready = new Map<string, K8sObject>();
    for (const d of deployments) {
      if ((d.status?.availableReplicas ?? 0) >= 1 && !d.metadata.deletionTimestamp) {
        ready.set(d.metadata.labels[ADDON_NAME_LABEL], d);
      }
    }
    for (const [addon, agent] of this.running) {
      if (ready.has(addon)) continue;
      this.running.delete(addon);
      this.klusterlet.remove(agent);
    }
    for (const [addon, d] of ready) {
      if (this.running.has(addon)) continue;
      const namespace = d.metadata.namespace as string;
      const token = await this.kubelet.create(
        paths.serviceAccounts(namespace, addonAgentName(addon), 'token'),
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: AGENT_TOKEN_SECONDS },
        },
      );
      const identity = agentIdentity(this.cluster, `addon-${addon}`);
      const hubToken = await mintToken(
        this.hubAdmin,
        AGENT_IDENTITY_NAMESPACE,
        identity,
        AGENT_TOKEN_SECONDS,
      );
      const agent = this.startAgent({ addon, namespace, hubToken, managedToken: token.status.token });
      this.running.set(addon, agent);
      this.klusterlet.run(agent);
    }
  }
}
