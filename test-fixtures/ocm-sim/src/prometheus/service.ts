/**
 * The plain Kubernetes exposure: Prometheus runs as `monitoring/prometheus` behind the Service `prometheus`
 * (port `web`, 9090), reached through the API server's service proxy, which authorizes `get services/proxy`.
 */
import { registerServiceProxy, type ServiceBackend, type SimCluster } from 'kube-sim';
import type { ClusterPrometheus } from './index.js';

const NAMESPACE = 'monitoring';
const LABELS = { app: 'prometheus' };

/** What kube-sim's realistic seed already runs; added to clusters that do not. */
function ensureObjects(cluster: SimCluster): void {
  const { store } = cluster;
  if (!store.get('v1', 'Namespace', undefined, NAMESPACE)) {
    store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  }
  if (!store.get('apps/v1', 'Deployment', NAMESPACE, 'prometheus')) {
    store.put({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'prometheus', namespace: NAMESPACE, labels: LABELS },
      spec: {
        replicas: 1,
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            containers: [
              {
                name: 'prometheus',
                image: 'quay.io/prometheus/prometheus:v3.5.0',
                args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.retention.time=15d'],
                ports: [{ name: 'web', containerPort: 9090 }],
                resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
              },
            ],
          },
        },
      },
    });
  }
  if (!store.get('v1', 'Service', NAMESPACE, 'prometheus')) {
    store.put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'prometheus', namespace: NAMESPACE, labels: LABELS },
      spec: { selector: LABELS, ports: [{ name: 'web', port: 9090, protocol: 'TCP', targetPort: 'web' }] },
    });
  }
}

export async function exposeThroughService(
  cluster: SimCluster,
  api: ServiceBackend,
): Promise<ClusterPrometheus> {
  ensureObjects(cluster);
  // the pod runs and the Service gets its endpoint before anyone asks
  await cluster.settle();
  const unregister = registerServiceProxy(cluster, NAMESPACE, 'prometheus', 'web', api);
  return {
    setAvailable: () => {},
    close: async () => {
      unregister();
    },
  };
}
