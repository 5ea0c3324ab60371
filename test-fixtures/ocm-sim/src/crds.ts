/**
 * The real OCM CRDs (`shared/upstream/ocm/crds/` beside the repository), created through the API as the
 * cluster-manager and klusterlet operators do.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { ApiClient, K8sObject } from './api-client.js';
import { resourcePath } from './api-client.js';

const UPSTREAM = join('shared', 'upstream', 'ocm', 'crds');

/** The first `shared/upstream/ocm/crds` found walking up from this module (src/ or dist/ of the package). */
export function crdDirectory(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, UPSTREAM);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(
        `ocm-sim: no ${UPSTREAM} in any directory above ${from} (the shared/ tree beside the repository)`,
      );
    }
  }
}

/** Where each CRD lives: the klusterlet installs ClusterClaim and AppliedManifestWork on managed clusters. */
const MANAGED_CRDS = new Set([
  'clusterclaims.cluster.open-cluster-management.io',
  'appliedmanifestworks.work.open-cluster-management.io',
]);

export interface OcmCrds {
  hub: K8sObject[];
  managed: K8sObject[];
}

/**
 * Reads every CRD once. The add-on CRDs exist twice upstream (v1alpha1 only, and v1alpha1 + v1beta1): the
 * newer file, serving both versions, wins.
 */
export function readCrds(dir = crdDirectory()): OcmCrds {
  const byName = new Map<string, K8sObject>();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort(
      (a, b) => Number(a.startsWith('v1alpha1+')) - Number(b.startsWith('v1alpha1+')) || a.localeCompare(b),
    );
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
      const crd = doc.toJS() as K8sObject | null;
      if (crd?.kind === 'CustomResourceDefinition') byName.set(crd.metadata.name, crd);
    }
  }
  const all = [...byName.values()];
  return {
    hub: all.filter((c) => !MANAGED_CRDS.has(c.metadata.name)),
    managed: all.filter((c) => MANAGED_CRDS.has(c.metadata.name)),
  };
}

const CRD_PATH = resourcePath('apiextensions.k8s.io/v1', 'customresourcedefinitions');

/** Creates the CRDs and waits until each is Established (kube-sim establishes them on create). */
export async function installCrds(client: ApiClient, crds: K8sObject[]): Promise<void> {
  for (const crd of crds) {
    const { status: _status, ...body } = crd;
    await client.create(CRD_PATH, body);
  }
  for (const crd of crds) {
    const stored = await client.get(`${CRD_PATH}/${crd.metadata.name}`);
    const established = (stored.status?.conditions ?? []).some(
      (c: K8sObject) => c.type === 'Established' && c.status === 'True',
    );
    if (!established) throw new Error(`ocm-sim: CRD ${crd.metadata.name} is not Established`);
  }
}
