import { type KubeconfigDocument, rebuildKubeconfig, UntrustedKubeconfigError } from '@cloudmcp/kube';
import { ToolError } from '@cloudmcp/toolkit';
import { CONNECT_STEPS } from './steps.js';

/**
 * Step 6: the managed cluster's kubeconfig, in memory only. Its server URL comes from the ManagedCluster
 * and its CA from the token Secret, both written on the hub by agents: they are passed through the
 * allowlist builder like any kubeconfig from outside (https was checked in step 1), so a hostile value can
 * add no proxy, file reference, exec plugin or insecure flag. The user is empty: the token comes from the
 * hub at each request (the connection's credential source), never from this document.
 */
export function managedKubeconfig(cluster: string, server: string, caPem: string): KubeconfigDocument {
  const user = `${cluster}-service-account`;
  try {
    return rebuildKubeconfig({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: cluster,
          cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
        },
      ],
      users: [{ name: user, user: {} }],
      contexts: [{ name: cluster, context: { cluster, user } }],
      'current-context': cluster,
    });
  } catch (error) {
    if (!(error instanceof UntrustedKubeconfigError)) throw error;
    const step = CONNECT_STEPS.indexOf('kubeconfig') + 1;
    throw new ToolError(
      `connect_cluster ${cluster}: step ${step}/${CONNECT_STEPS.length} (kubeconfig) failed: what the hub ` +
        `holds for this cluster cannot make a kubeconfig: ${error.message}.`,
      {
        next: "Check the ManagedCluster's spec.managedClusterClientConfigs[0].url and the ca.crt of its token Secret.",
      },
    );
  }
}
