/**
 * Lease renewal: the registration agent's cluster lease on the hub, and each add-on agent's health lease
 * (addon-framework's lease updater: a Lease named after the add-on in its install namespace on the managed
 * cluster, which the registration agent reads). One PUT per period, from the last object written.
 */
import type { ApiClient, K8sObject } from '../api-client.js';
import { isNotFound } from '../api-client.js';
import { COORDINATION_V1, microTime, paths } from '../ocm.js';
import type { Agent } from './klusterlet.js';

export class LeaseRenewer {
  private timer: NodeJS.Timeout | undefined;
  private last: K8sObject | undefined;

  /**
   * `client` carries the holder's identity and serves nothing else, so its steady writes count for no
   * controller. `create`: make the lease when missing (an add-on's); else wait for someone to (the hub's).
   */
  constructor(
    private readonly client: ApiClient,
    private readonly namespace: string,
    private readonly name: string,
    private readonly periodSeconds: number,
    private readonly create: boolean,
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
    const path = paths.leases(this.namespace, this.name);
    try {
      this.last ??= await this.client.get(path);
      this.last = await this.client.replace(path, {
        ...this.last,
        spec: { ...this.last.spec, renewTime: microTime() },
      });
    } catch (e) {
      this.last = undefined; // conflict or gone: read it afresh next time
      if (!isNotFound(e) || !this.create) return;
      await this.client
        .create(paths.leases(this.namespace), {
          apiVersion: COORDINATION_V1,
          kind: 'Lease',
          metadata: { name: this.name, namespace: this.namespace },
          spec: { leaseDurationSeconds: this.periodSeconds, renewTime: microTime() },
        })
        .catch(() => undefined);
    }
  }
}

/** An add-on whose agent the sim does not model beyond being alive: it only renews its lease. */
export class LeaseOnlyAgent implements Agent {
  readonly controllers = [];

  constructor(private readonly lease: LeaseRenewer) {}

  start = () => this.lease.start();
  pause = () => this.lease.stop();
  resume = () => this.lease.start();
  stop = () => this.lease.stop();
}
