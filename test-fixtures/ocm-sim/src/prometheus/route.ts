/**
 * OpenShift's exposure: the Route `openshift-monitoring/thanos-querier` (what the seed server reads; `view`
 * may read it, as on OpenShift) and an HTTPS server standing in for the router and the kube-rbac-proxy in front
 * of thanos-querier.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { issueServingCertificate, type ServiceBackend, type SimCluster } from 'kube-sim';
import type { ClusterPrometheus } from './index.js';
import { RbacProxy } from './rbac-proxy.js';

const NAMESPACE = 'openshift-monitoring';
const ROUTE_CRD = 'routes.route.openshift.io';
const MAX_BODY = 1024 * 1024;
const LABELS = {
  'app.kubernetes.io/component': 'query-layer',
  'app.kubernetes.io/instance': 'thanos-querier',
  'app.kubernetes.io/name': 'thanos-query',
  'app.kubernetes.io/part-of': 'openshift-monitoring',
};

/** route.openshift.io/v1 Route as a minimal structural CRD, with `oc get routes`' columns. */
function routeCrd() {
  const column = (name: string, jsonPath: string) => ({ name, type: 'string', jsonPath });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: ROUTE_CRD },
    spec: {
      group: 'route.openshift.io',
      scope: 'Namespaced',
      names: { plural: 'routes', singular: 'route', kind: 'Route', listKind: 'RouteList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            column('Host', '.status.ingress[0].host'),
            column('Admitted', '.status.ingress[0].conditions[?(@.type=="Admitted")].status'),
            column('Service', '.spec.to.name'),
            column('TLS', '.spec.tls.termination'),
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  };
}

/** OpenShift aggregates Route access into the bootstrap `view` and `edit` roles. */
function routeRoles() {
  const role = (to: string, rules: object[]) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      name: `system:openshift:aggregate-to-${to}`,
      labels: { [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' },
    },
    rules,
  });
  const routes = { apiGroups: ['route.openshift.io'] };
  return [
    role('view', [{ ...routes, resources: ['routes', 'routes/status'], verbs: ['get', 'list', 'watch'] }]),
    role('edit', [
      {
        ...routes,
        resources: ['routes'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      { ...routes, resources: ['routes/custom-host'], verbs: ['create'] },
    ]),
  ];
}

function ensureObjects(cluster: SimCluster, host: string): void {
  const { store } = cluster;
  if (!store.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, ROUTE_CRD))
    store.put(routeCrd());
  for (const role of routeRoles()) {
    if (!store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', undefined, role.metadata.name))
      store.put(role);
  }
  if (!store.get('v1', 'Namespace', undefined, NAMESPACE)) {
    store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  }
  if (!store.get('v1', 'Service', NAMESPACE, 'thanos-querier')) {
    store.put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'thanos-querier', namespace: NAMESPACE, labels: LABELS },
      spec: {
        selector: LABELS,
        ports: [
          { name: 'web', port: 9091, protocol: 'TCP', targetPort: 'web' },
          { name: 'tenancy', port: 9092, protocol: 'TCP', targetPort: 'tenancy' },
        ],
      },
    });
  }
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  store.put({
    apiVersion: 'route.openshift.io/v1',
    kind: 'Route',
    metadata: { name: 'thanos-querier', namespace: NAMESPACE, labels: LABELS },
    spec: {
      host,
      path: '/api',
      port: { targetPort: 'web' },
      tls: { termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Redirect' },
      to: { kind: 'Service', name: 'thanos-querier', weight: 100 },
      wildcardPolicy: 'None',
    },
    status: {
      ingress: [
        {
          host,
          routerName: 'default',
          routerCanonicalHostname: `router-default.apps.${cluster.name}.sim`,
          wildcardPolicy: 'None',
          conditions: [{ type: 'Admitted', status: 'True', lastTransitionTime: now }],
        },
      ],
    },
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.destroy();
        reject(new Error('request body too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The OpenShift router's page for a host/path no admitted route serves. */
const NOT_AVAILABLE =
  '<html><head><title>Application is not available</title></head><body><h1>Application is not available</h1>' +
  '<p>The application is currently not serving requests at this endpoint. It may not have been started or is still starting.</p></body></html>\n';

export async function exposeThroughRoute(
  cluster: SimCluster,
  api: ServiceBackend,
): Promise<ClusterPrometheus & { url: string }> {
  const bind = new URL(cluster.url).hostname.replace(/^\[|\]$/g, '');
  const sans = [
    ...new Set(['127.0.0.1', 'localhost', bind, `thanos-querier-${NAMESPACE}.apps.${cluster.name}.sim`]),
  ];
  const { certPem, keyPem } = issueServingCertificate(cluster.caPem, 'thanos-querier', sans);
  const rbac = new RbacProxy(cluster);

  let available = true;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!available) {
      req.socket.destroy();
      return;
    }
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'https://route');
    // the route's path is /api: the router sends nothing else to thanos-querier
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) {
      res.writeHead(503, {
        'Content-Type': 'text/html',
        'Cache-Control': 'private, max-age=0, no-cache, no-store',
      });
      res.end(NOT_AVAILABLE);
      return;
    }
    const { authorization: _token, ...headers } = req.headers;
    const answer =
      (await rbac.check(req.headers.authorization)) ??
      (await api({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.search.slice(1),
        headers,
        body,
      }));
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  };
  const server = createServer({ cert: certPem, key: keyPem }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, bind, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostPort = `${bind.includes(':') ? `[${bind}]` : bind}:${port}`;
  ensureObjects(cluster, hostPort);
  return {
    url: `https://${hostPort}`,
    setAvailable: (up) => {
      available = up;
      if (!up) server.closeAllConnections();
    },
    close: async () => {
      rbac.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
