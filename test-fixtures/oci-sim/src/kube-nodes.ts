/** Keeps each cluster's kube-sim Node objects in step with its OKE node pools. */
import { healthyNodeConditions, type SimCluster } from 'kube-sim';
import type { NodePool, OkeCluster, OkeNode } from './state.js';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are free-form JSON
type Obj = Record<string, any>;

const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';

/** The worker Nodes a fresh kube-sim cluster seeded (name and InternalIP), which the first pool adopts. */
export function seededWorkers(kube: SimCluster): Array<{ name: string; ip: string }> {
  return kube.store
    .list('v1', 'Node')
    .filter((n) => n.metadata?.labels?.[CONTROL_PLANE] === undefined)
    .map((n) => ({
      name: n.metadata.name as string,
      ip: ((n.status?.addresses ?? []) as Obj[]).find((a) => a.type === 'InternalIP')?.address as string,
    }));
}

/** The labels OKE puts on a worker node (CONSTRUCTED from nodes seen in OKE clusters). */
function okeLabels(c: OkeCluster, p: NodePool, n: OkeNode): Record<string, string> {
  const zone = n.availabilityDomain.split(':')[1] ?? n.availabilityDomain;
  const labels: Record<string, string> = {
    displayName: n.name,
    hostname: n.name,
    internal_addr: n.privateIp,
    'node.info/kubeletVersion': c.kubernetesVersion.replace(/\.\d+$/, ''),
    'node.kubernetes.io/instance-type': p.nodeShape,
    'oci.oraclecloud.com/fault-domain': n.faultDomain,
    'oke.oraclecloud.com/node.info.private_subnet': 'false',
    'oke.oraclecloud.com/node.info.private_worker': 'true',
    'topology.kubernetes.io/region': regionOf(c),
    'topology.kubernetes.io/zone': zone,
    'failure-domain.beta.kubernetes.io/zone': zone,
  };
  for (const { key, value } of p.initialNodeLabels) labels[key] = value;
  return labels;
}

/** `ocid1.cluster.oc1.<key>.…`: the region key the cluster OCID carries. */
function regionOf(c: OkeCluster): string {
  return c.id.split('.')[3] ?? '';
}

/** Gives a seeded kube-sim worker its OKE identity: providerID and OKE labels. */
export function adoptKubeNode(c: OkeCluster, p: NodePool, n: OkeNode): void {
  const obj = c.kube.store.get('v1', 'Node', undefined, n.kubeName);
  if (!obj) return;
  obj.metadata.labels = { ...obj.metadata.labels, ...okeLabels(c, p, n) };
  obj.spec = { ...obj.spec, providerID: `oci://${n.id}` };
  c.kube.store.put(obj);
}

/** The Node a newly launched instance registers as: named by its private IP, Ready. */
export function addKubeNode(c: OkeCluster, p: NodePool, n: OkeNode): void {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const vcpus = String(p.ocpus * (p.nodeShape.includes('A1') ? 1 : 2));
  const memory = `${p.memoryInGBs * 1024 * 1024}Ki`;
  const lastOctet = Number(n.privateIp.split('.')[3] ?? 0);
  const podCidr = `10.244.${(lastOctet % 16) * 16}.0/20`;
  const arch = p.nodeShape.includes('A1') ? 'arm64' : 'amd64';
  const capacity = { cpu: vcpus, 'ephemeral-storage': '37206272Ki', memory, pods: String(p.maxPodsPerNode) };
  c.kube.store.put({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.kubeName,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': n.kubeName,
        'kubernetes.io/os': 'linux',
        ...okeLabels(c, p, n),
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: { podCIDR: podCidr, podCIDRs: [podCidr], providerID: `oci://${n.id}` },
    status: {
      capacity,
      allocatable: capacity,
      conditions: healthyNodeConditions(now, now),
      addresses: [
        { type: 'InternalIP', address: n.privateIp },
        { type: 'Hostname', address: n.kubeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        kernelVersion: '5.15.0-310.184.5.2.el8uek.x86_64',
        osImage: 'Oracle Linux Server 8.10',
        containerRuntimeVersion: 'cri-o://1.35.0',
        kubeletVersion: c.kubernetesVersion,
        kubeProxyVersion: c.kubernetesVersion,
        operatingSystem: 'linux',
        architecture: arch,
      },
      images: [],
    },
  });
}

/** A terminated instance: its pods go (as a drain would evict them) and its Node object is deleted. */
export function removeKubeNode(c: OkeCluster, n: OkeNode): void {
  for (const pod of c.kube.store.list('v1', 'Pod')) {
    if (pod.spec?.nodeName === n.kubeName)
      c.kube.store.delete('v1', 'Pod', pod.metadata.namespace, pod.metadata.name);
  }
  c.kube.store.delete('v1', 'Node', undefined, n.kubeName);
}
