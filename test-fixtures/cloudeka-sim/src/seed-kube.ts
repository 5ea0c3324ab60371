import { builtinKind, CRD_KIND, crdKind } from './kinds.js';
import { materialize } from './kube-objects.js';
import type { KubeObject, KubeStore } from './kube-store.js';
import type { Project, State } from './state.js';
import { at } from './time.js';
import type { SimIds } from './types.js';

type Manifest = Record<string, unknown>;

function put(
  store: KubeStore,
  resource: string,
  manifest: Manifest,
  namespace: string,
  created: string,
): KubeObject {
  const obj = materialize(builtinKind(resource), manifest, store, namespace);
  stamp(obj, created);
  return store.put(resource, obj);
}

/** Seeded objects carry seed times, not the time the simulator started. */
function stamp(obj: KubeObject, created: string): void {
  obj.metadata.creationTimestamp = created;
  const json = JSON.stringify(obj.status ?? {});
  obj.status = JSON.parse(json.replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z"/g, JSON.stringify(created)));
}

const container = (name: string, image: string, port?: number) => ({
  name,
  image,
  ...(port ? { ports: [{ containerPort: port, protocol: 'TCP' }] } : {}),
  resources: { requests: { cpu: '250m', memory: '512Mi' } },
});

function workload(
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet',
  name: string,
  image: string,
  replicas: number,
  port?: number,
) {
  return {
    kind,
    metadata: { name, labels: { app: name } },
    spec: {
      ...(kind === 'DaemonSet' ? {} : { replicas }),
      ...(kind === 'StatefulSet' ? { serviceName: `${name}-headless` } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container(name, image, port)] } },
    },
  };
}

/** Pods owned by a workload, named the way its controller names them. */
function podsOf(store: KubeStore, owner: KubeObject, count: number, created: string): KubeObject[] {
  const name = owner.metadata.name;
  const ns = owner.metadata.namespace!;
  const template = (owner.spec as { template: { spec: Manifest } }).template;
  const rs = owner.kind === 'Deployment' ? `${name}-${store.suffix(9)}` : undefined;
  const pods: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const podName = owner.kind === 'StatefulSet' ? `${name}-${i}` : `${rs ?? name}-${store.suffix(5)}`;
    const pod = put(
      store,
      'pods',
      {
        metadata: {
          name: podName,
          labels: { app: name },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: rs ? 'ReplicaSet' : owner.kind,
              name: rs ?? name,
              uid: rs ? store.uid() : owner.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: structuredClone(template.spec),
      },
      ns,
      created,
    );
    pods.push(pod);
  }
  return pods;
}

function crashLoop(pod: KubeObject, restarts: number): void {
  const status = pod.status as {
    phase: string;
    conditions: Array<{ type: string; status: string }>;
    containerStatuses: Array<Record<string, unknown>>;
  };
  for (const c of status.conditions)
    if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = 'False';
  for (const c of status.containerStatuses) {
    c.ready = false;
    c.started = false;
    c.restartCount = restarts;
    c.state = {
      waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${c.name}` },
    };
    c.lastState = {
      terminated: { exitCode: 1, reason: 'Error', startedAt: at(160, 2), finishedAt: at(160, 2) },
    };
  }
}

/** Every project's vcluster: namespaces, and (realistic) workloads, one of them crash-looping. */
export function seedKube(state: State, projects: Project[], realistic: boolean, ids: SimIds): void {
  const extra: Record<string, string[]> = realistic
    ? { 'ml-platform': ['ml-training', 'monitoring'], 'web-services': ['web'] }
    : {};
  for (const p of projects) {
    const store = state.kubeOf(p.id);
    for (const ns of [...BASE_NS, ...(extra[p.name] ?? [])]) {
      put(
        store,
        'namespaces',
        { metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } } },
        '',
        p.created_at,
      );
    }
  }
  if (!realistic) return;
  const [ml, web] = projects;

  const s = state.kubeOf(ml!.id);
  const created = at(40);
  const api = put(
    s,
    'deployments',
    workload('Deployment', 'inference-api', 'registry.cloudeka.id/ml-models/inference-api:2.0.1', 2, 8080),
    'default',
    created,
  );
  const [, broken] = podsOf(s, api, 2, created);
  crashLoop(broken!, 7);
  const apiStatus = api.status as Record<string, number>;
  apiStatus.readyReplicas = 1;
  apiStatus.availableReplicas = 1;
  apiStatus.unavailableReplicas = 1;
  ids.crashLoopPod = { project_id: ml!.id, namespace: 'default', name: broken!.metadata.name };
  put(
    s,
    'services',
    {
      metadata: { name: 'inference-api' },
      spec: { selector: { app: 'inference-api' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    'default',
    created,
  );
  put(
    s,
    'configmaps',
    {
      metadata: { name: 'inference-config' },
      data: { MODEL_NAME: 'llama-3-8b-instruct', MAX_BATCH_SIZE: '16' },
    },
    'default',
    created,
  );
  put(
    s,
    'secrets',
    {
      metadata: { name: 'model-registry-credentials' },
      type: 'Opaque',
      stringData: { username: 'robot$ml-models+puller', password: 'fake-registry-password-ml' },
    },
    'default',
    created,
  );
  put(
    s,
    'datavolumes',
    {
      metadata: { name: 'gpu-worker-01-rootdisk' },
      spec: {
        source: { registry: { url: 'docker://registry.cloudeka.id/os/ubuntu-22-04-lts' } },
        storage: { resources: { requests: { storage: '200Gi' } }, storageClassName: 'ceph-ssd' },
      },
    },
    'default',
    created,
  );

  const trainer = put(
    s,
    'statefulsets',
    workload('StatefulSet', 'trainer', 'registry.cloudeka.id/ml-models/trainer:1.4.0', 1, 29500),
    'ml-training',
    at(45),
  );
  podsOf(s, trainer, 1, at(45));
  put(
    s,
    'services',
    {
      metadata: { name: 'trainer-headless' },
      spec: { clusterIP: 'None', selector: { app: 'trainer' }, ports: [{ name: 'rendezvous', port: 29500 }] },
    },
    'ml-training',
    at(45),
  );
  const pvc = put(
    s,
    'persistentvolumeclaims',
    {
      metadata: { name: 'data-trainer-0', labels: { app: 'trainer' } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '100Gi' } },
        storageClassName: 'ceph-ssd',
      },
    },
    'ml-training',
    at(45),
  );
  const pvcSpec = pvc.spec as { volumeName: string };
  put(
    s,
    'persistentvolumes',
    {
      metadata: { name: pvcSpec.volumeName },
      spec: {
        capacity: { storage: '100Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'ceph-ssd',
        claimRef: {
          kind: 'PersistentVolumeClaim',
          namespace: 'ml-training',
          name: 'data-trainer-0',
          uid: pvc.metadata.uid,
        },
        csi: { driver: 'rbd.csi.ceph.com', volumeHandle: `0001-0009-rook-ceph-${pvc.metadata.uid}` },
      },
    },
    '',
    at(45),
  );
  put(
    s,
    'daemonsets',
    workload('DaemonSet', 'node-exporter', 'quay.io/prometheus/node-exporter:v1.8.1', 0, 9100),
    'monitoring',
    at(41),
  );
  put(
    s,
    'configmaps',
    {
      metadata: { name: 'prometheus-config' },
      data: { 'prometheus.yml': 'scrape_configs:\n- job_name: node\n' },
    },
    'monitoring',
    at(41),
  );

  const crd = materialize(
    CRD_KIND,
    {
      metadata: { name: 'inferenceservices.serving.kserve.io' },
      spec: {
        group: 'serving.kserve.io',
        scope: 'Namespaced',
        names: {
          plural: 'inferenceservices',
          singular: 'inferenceservice',
          kind: 'InferenceService',
          shortNames: ['isvc'],
        },
        versions: [
          { name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    },
    s,
    undefined,
  );
  stamp(crd, at(38));
  s.put(CRD_KIND.resource, crd);
  const isvc = materialize(
    crdKind(crd),
    {
      metadata: { name: 'llama-3-8b' },
      spec: {
        predictor: {
          model: {
            modelFormat: { name: 'huggingface' },
            storageUri: 'hf://meta-llama/Meta-Llama-3-8B-Instruct',
          },
        },
      },
      status: {
        url: 'http://llama-3-8b.default.example.com',
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    },
    s,
    'default',
  );
  stamp(isvc, at(50));
  s.put('inferenceservices', isvc);

  const w = state.kubeOf(web!.id);
  const frontend = put(
    w,
    'deployments',
    workload('Deployment', 'frontend', 'registry.cloudeka.id/web-images/frontend:v3.2.0', 3, 3000),
    'web',
    at(20),
  );
  podsOf(w, frontend, 3, at(20));
  put(
    w,
    'services',
    {
      metadata: { name: 'frontend' },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'frontend' },
        ports: [{ name: 'http', port: 80, targetPort: 3000 }],
      },
    },
    'web',
    at(20),
  );
  put(
    w,
    'configmaps',
    { metadata: { name: 'frontend-config' }, data: { API_URL: 'https://api.nusantaradata.example' } },
    'web',
    at(20),
  );
  put(
    w,
    'secrets',
    {
      metadata: { name: 'frontend-tls' },
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': 'fake-certificate', 'tls.key': 'fake-private-key' },
    },
    'web',
    at(20),
  );
}

const BASE_NS = ['default', 'kube-system'];
