/**
 * Everything the sim runs — kube-sim clusters, API clients, hub controllers, each cluster's klusterlet — and
 * settle(): rounds in which every kube-sim cluster settles and every controller runs one more pass reading
 * the API afresh, until a whole round changes nothing and the hub shows what setAvailable() asked for.
 */
import type { KubeSim, SimCluster } from 'kube-sim';
import type { Klusterlet } from './agents/klusterlet.js';
import { ApiClient } from './api-client.js';
import type { Controller } from './controller.js';
import { findCondition, paths } from './ocm.js';

/** settle() looks again this often while it waits on time (a lease expiring, a deletion). */
const SETTLE_POLL_MS = 100;

export class Runtime {
  readonly sims: KubeSim[] = [];
  readonly clusters: SimCluster[] = [];
  readonly hubControllers: Controller[] = [];
  readonly klusterlets = new Map<string, Klusterlet>();
  private readonly clients: ApiClient[] = [];
  /** Cluster name → the ManagedClusterConditionAvailable status setAvailable() expects the hub to show. */
  private readonly expected = new Map<string, string>();
  private hubAdmin: ApiClient | undefined;
  private readonly closers: (() => Promise<void>)[] = [];

  addSim(sim: KubeSim): void {
    this.sims.push(sim);
    this.clusters.push(...sim.clusters);
  }

  client(cluster: SimCluster, token: string, userAgent: string): ApiClient {
    const c = new ApiClient(cluster, token, userAgent);
    this.clients.push(c);
    return c;
  }

  /** Something else to stop on close (before the clusters go). */
  onClose(fn: () => Promise<void>): void {
    this.closers.push(fn);
  }

  setHubAdmin(client: ApiClient): void {
    this.hubAdmin = client;
  }

  expectAvailable(cluster: string, status: 'True' | 'Unknown'): void {
    this.expected.set(cluster, status);
  }

  private controllers(): Controller[] {
    return [...this.hubControllers, ...[...this.klusterlets.values()].flatMap((k) => k.controllers())];
  }

  private async unmetExpectations(): Promise<string[]> {
    const unmet: string[] = [];
    for (const [cluster, status] of this.expected) {
      const mc = await this.hubAdmin!.find(paths.managedClusters(cluster));
      const now = findCondition(mc, 'ManagedClusterConditionAvailable')?.status;
      if (now === status) this.expected.delete(cluster);
      else unmet.push(`${cluster} Available=${now ?? 'none'} (waiting for ${status})`);
    }
    return unmet;
  }

  async settle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = Math.max(deadline - Date.now(), 1);
      await Promise.all(this.clusters.map((c) => c.settle(left)));
      const controllers = this.controllers();
      const results = await Promise.all(controllers.map((c) => c.sync()));
      const busy = controllers.filter((_, i) => results[i] !== 'idle');
      const unmet = busy.length === 0 ? await this.unmetExpectations() : [];
      if (busy.length === 0 && unmet.length === 0) return;
      if (Date.now() >= deadline) {
        const why = [
          ...busy.map(
            (c) => `${c.name}${c.lastError ? ` (${(c.lastError as Error).message})` : ' not done'}`,
          ),
          ...unmet,
        ];
        throw new Error(`ocm-sim: not settled after ${timeoutMs} ms: ${why.join('; ')}`);
      }
      // nothing changed, but something waits on time: look again shortly
      if (!results.includes('changed')) await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    }
  }

  async close(): Promise<void> {
    for (const c of this.hubControllers) c.stop();
    for (const k of this.klusterlets.values()) k.stop();
    for (const c of this.clients) c.close();
    await Promise.all(this.closers.map((fn) => fn()));
    await Promise.all(this.sims.map((s) => s.close()));
  }
}
