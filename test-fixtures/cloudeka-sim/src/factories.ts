import type { Prng } from 'sim-kit';
import type { Notebook, Vm } from './state.js';

/** The KubeVirt VirtualMachine a VM stands for (what the YAML routes read and write). */
export function vmManifest(
  vm: Pick<Vm, 'name' | 'namespace' | 'status' | 'cpu' | 'memory_gb' | 'storage_gb' | 'image_name'>,
) {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: vm.name, namespace: vm.namespace, labels: { 'kubevirt.io/vm': vm.name } },
    spec: {
      running: vm.status !== 'off',
      template: {
        metadata: { labels: { 'kubevirt.io/vm': vm.name } },
        spec: {
          domain: {
            cpu: { cores: vm.cpu },
            memory: { guest: `${vm.memory_gb}Gi` },
            devices: { disks: [{ name: 'rootdisk', disk: { bus: 'virtio' } }] },
          },
          volumes: [{ name: 'rootdisk', dataVolume: { name: `${vm.name}-rootdisk` } }],
        },
      },
      dataVolumeTemplates: [
        {
          metadata: { name: `${vm.name}-rootdisk` },
          spec: {
            storage: { resources: { requests: { storage: `${vm.storage_gb}Gi` } } },
            source: {
              registry: {
                url: `docker://registry.cloudeka.id/os/${vm.image_name.toLowerCase().replace(/\W+/g, '-')}`,
              },
            },
          },
        },
      ],
    },
  };
}

/** The Kubeflow-style Notebook resource behind a Deka Notebook, as YAML text. */
export function notebookYaml(
  nb: Pick<Notebook, 'name' | 'namespace' | 'image' | 'cpu' | 'memory' | 'storage' | 'gpu' | 'status'>,
): string {
  return [
    'apiVersion: kubeflow.org/v1',
    'kind: Notebook',
    'metadata:',
    `  name: ${nb.name}`,
    `  namespace: ${nb.namespace}`,
    ...(nb.status === 'stopped' ? ['  annotations:', '    kubeflow-resource-stopped: "true"'] : []),
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `      - name: ${nb.name}`,
    `        image: ${nb.image}`,
    '        resources:',
    '          limits:',
    `            cpu: "${nb.cpu}"`,
    `            memory: ${nb.memory}`,
    ...(nb.gpu ? [`            nvidia.com/gpu: "${nb.gpu}"`] : []),
    '      volumes:',
    `      - name: ${nb.name}-workspace`,
    '        persistentVolumeClaim:',
    `          claimName: ${nb.name}-workspace  # ${nb.storage}`,
    '',
  ].join('\n');
}

/** A fake credential shaped like a Kubernetes service-account JWT (RS256); it signs nothing. */
export function fakeServiceAccountToken(rng: Prng, subject: string): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return [
    part({ alg: 'RS256', kid: rng.bytes(16).toString('base64url') }),
    part({
      iss: 'kubernetes/serviceaccount',
      sub: subject,
      'kubernetes.io/serviceaccount/namespace': 'kube-system',
    }),
    rng.bytes(256).toString('base64url'),
  ].join('.');
}

/** A PEM block of random bytes standing in for a CA certificate. */
export function fakeCertificate(rng: Prng, subject: string): string {
  const body = Buffer.concat([Buffer.from(`fake certificate for ${subject};`), rng.bytes(420)])
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
