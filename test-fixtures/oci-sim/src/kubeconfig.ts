import { shortId } from './seed.js';

/**
 * The kubeconfig CreateKubeconfig answers (tokenVersion 2.0.0), in the shape and key order of
 * examples/CreateKubeconfig.response.yaml: names derived from the OCID's last 11 characters, and a user that
 * runs `oci ce cluster generate-token` for every token.
 */
export function kubeconfigYaml(opts: {
  clusterId: string;
  region: string;
  server: string;
  caPem: string;
}): string {
  const short = shortId(opts.clusterId);
  const ca = Buffer.from(opts.caPem).toString('base64');
  return `---
apiVersion: v1
kind: ""
clusters:
- name: cluster-${short}
  cluster:
    server: ${opts.server}
    certificate-authority-data: ${ca}
users:
- name: user-${short}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - ce
      - cluster
      - generate-token
      - --cluster-id
      - ${opts.clusterId}
      - --region
      - ${opts.region}
      command: oci
      env: []
contexts:
- name: context-${short}
  context:
    cluster: cluster-${short}
    user: user-${short}
current-context: context-${short}
`;
}
