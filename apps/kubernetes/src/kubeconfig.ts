import { type InClusterKubeconfig, type InClusterOptions, inClusterKubeconfig } from '@cloudmcp/kube';
import { ConfigError } from '@cloudmcp/toolkit';

/**
 * `--in-cluster`: the pod's service account (see `inClusterKubeconfig`). Not with `--kubeconfig`: one of
 * them names the server's credentials. `opts` points at another root or environment (tests).
 */
export function loadInClusterKubeconfig(
  kubeconfig: string | undefined,
  opts: InClusterOptions = {},
): InClusterKubeconfig {
  if (kubeconfig !== undefined) {
    throw new ConfigError(
      '--in-cluster (KUBERNETES_IN_CLUSTER) and --kubeconfig (KUBECONFIG) exclude each other: ' +
        "use the pod's service account or a kubeconfig, not both",
    );
  }
  try {
    return inClusterKubeconfig(opts);
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new ConfigError(`--in-cluster (KUBERNETES_IN_CLUSTER): ${error.message}`);
    }
    throw error;
  }
}
