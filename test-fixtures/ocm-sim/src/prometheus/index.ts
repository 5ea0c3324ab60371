/** A managed cluster's Prometheus HTTP API, exposed the way the cluster's platform exposes it. */
import type { SimCluster } from 'kube-sim';
import type { PrometheusExposure } from '../types.js';
import { prometheusApi } from './http-api.js';
import { exposeThroughRoute } from './route.js';
import { clusterSeries } from './series.js';
import { exposeThroughService } from './service.js';

export interface ClusterPrometheus {
  /** `https://HOST:PORT` of the Route (route exposure only). */
  url?: string;
  /**
   * false: the route's server resets every connection, as when the cluster is down (the service exposure needs
   * nothing: it goes down with the cluster's API server). true: back.
   */
  setAvailable(available: boolean): void;
  close(): Promise<void>;
}

export async function startClusterPrometheus(
  cluster: SimCluster,
  exposure: PrometheusExposure,
): Promise<ClusterPrometheus> {
  const api = prometheusApi(() => clusterSeries(cluster));
  switch (exposure) {
    case 'route':
      return exposeThroughRoute(cluster, api);
    case 'service':
      return exposeThroughService(cluster, api);
    case 'none':
      return { setAvailable: () => {}, close: async () => {} };
  }
}
