import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { SimCluster } from 'kube-sim';
import type { OcmSim } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: objects are asserted field by field
export type Json = any;

/** A client-node KubeConfig from a kubeconfig document. */
export function kubeConfig(yaml: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}

/** client-node's clients for the hub, as a user of the hub's kubeconfig has them. */
export function hubClients(sim: OcmSim, user: 'admin' | 'view' | 'edit' = 'admin') {
  const kc = kubeConfig(sim.hubKubeconfig({ user }));
  return { kc, custom: kc.makeApiClient(CustomObjectsApi), core: kc.makeApiClient(CoreV1Api) };
}

/** A kubeconfig for a managed cluster with a bearer token (as the OCM server builds one from the MSA Secret). */
export function tokenKubeconfig(server: string, caPem: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'managed', server, caData: Buffer.from(caPem).toString('base64') }],
    users: [{ name: 'sa', token }],
    contexts: [{ name: 'managed', cluster: 'managed', user: 'sa' }],
    currentContext: 'managed',
  });
  return kc;
}

export const adminKubeconfig = (c: SimCluster) => tokenKubeconfig(c.url, c.caPem, c.tokens.admin);

/** A condition of an object's status, or of a ManifestWork's per-manifest entry (which holds them itself). */
export const condition = (obj: Json, type: string): Json =>
  (obj?.status?.conditions ?? obj?.conditions ?? []).find((c: Json) => c.type === type);

/** The HTTP status of a failed client-node call (ApiException.code), or 'ok'. */
export async function statusOf(p: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (typeof code === 'number') return code;
    throw e;
  }
}

/** client-node request options for a JSON merge patch (its patch calls default to JSON patch). */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
