import {
  type KubeconfigDocument,
  parseStrictYaml,
  rebuildKubeconfig,
  UntrustedKubeconfigError,
} from '@cloudmcp/kube';
import { ToolError } from '@cloudmcp/toolkit';

type Mapping = Record<string, unknown>;

/**
 * The kubeconfig OCI answers for a cluster (CreateKubeconfig), made fit for an in-process client. Its user
 * is an exec plugin running `oci ce cluster generate-token --cluster-id <ocid>`: it is checked to name this
 * cluster and then dropped — the server makes that token itself (cluster-token.ts). What remains is rebuilt
 * from the allowlist (server URL and CA data only), like any kubeconfig that comes from outside.
 */
export function okeKubeconfig(text: string, clusterId: string): KubeconfigDocument {
  try {
    const parsed = parseStrictYaml(text) as Mapping;
    const users = Array.isArray(parsed['users']) ? (parsed['users'] as Mapping[]) : [];
    for (const entry of users) {
      const exec = (entry?.['user'] as Mapping | undefined)?.['exec'] as Mapping | undefined;
      const args = Array.isArray(exec?.['args']) ? (exec['args'] as unknown[]) : [];
      const named = args[args.indexOf('--cluster-id') + 1];
      if (exec && named !== clusterId) {
        throw new UntrustedKubeconfigError(`its user is for another cluster than ${clusterId}`);
      }
    }
    return rebuildKubeconfig({
      ...parsed,
      kind: 'Config',
      users: users.map((entry) => ({ name: entry?.['name'], user: {} })),
    });
  } catch (error) {
    if (!(error instanceof UntrustedKubeconfigError)) throw error;
    throw new ToolError(
      `OCI answered CreateKubeconfig for ${clusterId} with a kubeconfig that cannot be used: ${error.message}.`,
      {
        next: 'Try again; if an OCI endpoint override (--oci-endpoint) is set, check that it points at the OCI API.',
      },
    );
  }
}
