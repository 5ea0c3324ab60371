import { ToolError } from '@cloudmcp/toolkit';
import { KubeApiError } from '../errors.js';
import type { Pod } from '../pods.js';

// Logs (like exec and port-forward) are the one read the API server does not answer itself: it proxies it to
// the kubelet of the pod's node on TCP 10250. When that hop fails the API server answers 5xx with the Go
// dial error as its message — `Get "https://10.0.10.5:10250/containerLogs/…": dial tcp 10.0.10.5:10250: i/o
// timeout`, `error dialing backend: …`, a konnectivity `proxy error … while dialing …:10250`, a TLS handshake
// timeout — while the pod itself may be fine. Said plainly, with the node and where to look.

const KUBELET_HOP =
  /:10250\b|dial tcp|error dialing backend|proxy error|no route to host|connection refused|i\/o timeout|TLS handshake timeout|remote error: tls/i;

/** The error to show when reading a pod's logs failed on the way to its kubelet; undefined for any other. */
export function kubeletUnreachable(error: unknown, pod: Pod): ToolError | undefined {
  if (!(error instanceof KubeApiError) || error.code < 500 || !KUBELET_HOP.test(error.message))
    return undefined;
  const node = pod.spec?.nodeName ?? 'unknown';
  const hostIP = (pod.status as { hostIP?: string } | undefined)?.hostIP;
  return new ToolError(
    `The API server could not reach the kubelet on node ${node} (${hostIP ?? node}:10250) to read the logs ` +
      `of pod ${pod.metadata?.namespace}/${pod.metadata?.name}.`,
    {
      code: `${error.code} ${error.reason}`,
      upstreamMessage: error.message,
      next:
        'The pod may well be running (`pod_get`); logs, exec and port-forward go from the control plane to ' +
        `the kubelet on TCP 10250 of its node. Check that ${node} is Ready (\`node_list\`) and that the API ` +
        'server can reach TCP 10250 on the worker nodes: on OKE, an ingress rule for TCP 10250 from the ' +
        "Kubernetes API endpoint's subnet in the workers' security list or network security group.",
    },
  );
}
