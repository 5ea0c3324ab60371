/**
 * An add-on agent's health lease (addon-framework's lease updater): a Lease named after the add-on in its
 * install namespace on the managed cluster, renewed every lease duration; the registration agent reads it.
 */
import type { ApiClient } from '../api-client.js';
import { isNotFound } from '../api-client.js';
import { COORDINATION_V1, microTime, paths } from '../ocm.js';
import type { Agent } from './klusterlet.js';

export class AddonLease {
  private timer: NodeJS.Timeout | undefined;

  /** `client` carries the agent's managed identity; it is used for nothing else, so its writes count nowhere. */
  constructor(
    private readonly client: ApiClient,
    private readonly namespace: string,
    private readonly addon: string,
    private readonly periodSeconds: number,
  ) {}

  start(): void {
    this.stop();
    void this.renew();
    this.timer = setInterval(() => void this.renew(), this.periodSeconds * 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renew(): Promise<void> {
    const path = paths.leases(this.namespace, this.addon);
    try {
      const lease = await this.client.get(path);
      await this.client.replace(path, { ...lease, spec: { ...lease.spec, renewTime: microTime() } });
    } catch (e) {
      if (!isNotFound(e)) return; // the next tick tries again
      await this.client
        .create(paths.leases(this.namespace), {
          apiVersion: COORDINATION_V1,
          kind: 'Lease',
          metadata: { name: this.addon, namespace: this.namespace },
          spec: { leaseDurationSeconds: this.periodSeconds, renewTime: microTime() },
        })
        .catch(() => undefined);
    }
  }
}

/** An add-on whose agent the sim does not model beyond being alive: it only renews its lease. */
export class LeaseOnlyAgent implements Agent {
  readonly controllers = [];

  constructor(private readonly lease: AddonLease) {}

  start = () => this.lease.start();
  pause = () => this.lease.stop();
  resume = () => this.lease.start();
  stop = () => this.lease.stop();
}
