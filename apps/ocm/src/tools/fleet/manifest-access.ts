/**
 * What a ManifestWork's manifests would do to access on the managed cluster. The work agent applies them
 * with its own, cluster-admin-like role there, so a work can grant anything: RBAC objects change who may do
 * what, and OCM's own objects (a ManifestWork in a ManifestWork, on a cluster that is itself a hub) act on
 * other clusters. manifestwork_apply refuses a binding to this server's own service account (its access is
 * connect_cluster's, bounded by the operator's --allowed-roles) and asks the user before any other grant.
 */
import type { KubeObject } from '@cloudmcp/kube';
import { groupOf } from './common.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);
const OCM_GROUP = /(^|\.)open-cluster-management\.io$/;

export interface AccessGrants {
  /** Bindings whose subjects include this server's own service account, as `Kind name binds Role r`. */
  toSelf: string[];
  /** Every other manifest that grants or changes access, or steers OCM, in the manifests' order. */
  grants: string[];
}

interface Subject {
  kind?: unknown;
  name?: unknown;
  namespace?: unknown;
}

const text = (value: unknown): string => (typeof value === 'string' && value !== '' ? value : '?');

function nameOf(manifest: KubeObject): string {
  const { namespace, name } = manifest.metadata ?? {};
  return `${namespace ? `${namespace}/` : ''}${text(name)}`;
}

/**
 * Whether a subject is this server's service account on the managed cluster: a ServiceAccount of its name
 * (in any namespace: the add-on picks it), or the user name Kubernetes gives one.
 */
function isSelf(subject: Subject, serviceAccount: string): boolean {
  if (subject.kind === 'ServiceAccount') return subject.name === serviceAccount;
  if (subject.kind !== 'User' || typeof subject.name !== 'string') return false;
  const parts = subject.name.split(':');
  return (
    parts.length === 4 &&
    parts[0] === 'system' &&
    parts[1] === 'serviceaccount' &&
    parts[3] === serviceAccount
  );
}

function subjectText(subject: Subject): string {
  const namespace = typeof subject.namespace === 'string' && subject.namespace ? `${subject.namespace}/` : '';
  return `${text(subject.kind)} ${namespace}${text(subject.name)}`;
}

export function accessGrants(manifests: KubeObject[], serviceAccount: string): AccessGrants {
  const found: AccessGrants = { toSelf: [], grants: [] };
  for (const manifest of manifests) {
    const group = groupOf(manifest.apiVersion);
    const what = `${manifest.kind} ${nameOf(manifest)}`;
    if (OCM_GROUP.test(group)) {
      found.grants.push(`${what} (an OCM object: it acts on other clusters)`);
      continue;
    }
    if (group !== RBAC_GROUP) continue;
    if (!BINDINGS.has(String(manifest.kind))) {
      found.grants.push(what);
      continue;
    }
    const roleRef = (manifest['roleRef'] ?? {}) as { kind?: unknown; name?: unknown };
    const binds = `${what} binds ${typeof roleRef.kind === 'string' ? roleRef.kind : 'ClusterRole'} ${text(roleRef.name)}`;
    const subjects = (Array.isArray(manifest['subjects']) ? manifest['subjects'] : []).filter(
      (s): s is Subject => typeof s === 'object' && s !== null,
    );
    if (subjects.some((s) => isSelf(s, serviceAccount))) {
      found.toSelf.push(binds);
      continue;
    }
    found.grants.push(subjects.length ? `${binds} to ${subjects.map(subjectText).join(', ')}` : binds);
  }
  return found;
}
