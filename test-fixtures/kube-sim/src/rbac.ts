/** RBAC authorization (Roles, ClusterRoles, bindings, aggregation) and the bootstrap policy. */
import type { JsonObject } from './patch.js';
import { matchLabels, selectorRequirements } from './selectors.js';
import type { Store } from './store.js';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface Attributes {
  user: UserInfo;
  verb: string;
  /** resource requests */
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** non-resource requests */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
}

const RBAC = 'rbac.authorization.k8s.io';
export const CLUSTERROLES = `${RBAC}/clusterroles`;
export const CLUSTERROLEBINDINGS = `${RBAC}/clusterrolebindings`;
export const ROLES = `${RBAC}/roles`;
export const ROLEBINDINGS = `${RBAC}/rolebindings`;

interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

function ruleAllows(r: Rule, a: Attributes): boolean {
  const verbs = r.verbs ?? [];
  if (!verbs.includes('*') && !verbs.includes(a.verb)) return false;
  if (!a.resourceRequest) {
    const urls = r.nonResourceURLs ?? [];
    return urls.some(
      (u) => u === '*' || u === a.path || (u.endsWith('*') && (a.path ?? '').startsWith(u.slice(0, -1))),
    );
  }
  if ((r.nonResourceURLs ?? []).length > 0 && (r.resources ?? []).length === 0) return false;
  const groups = r.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(a.apiGroup ?? '')) return false;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : (a.resource ?? '');
  const resources = r.resources ?? [];
  const resOk = resources.some(
    (x) =>
      x === '*' ||
      x === res ||
      (a.subresource ? x === `*/${a.subresource}` : false) ||
      (x.startsWith('*/') && x === `*/${a.subresource}`),
  );
  if (!resOk) return false;
  const names = r.resourceNames ?? [];
  return names.length === 0 || (a.name !== undefined && a.name !== '' && names.includes(a.name));
}

function subjectMatches(s: JsonObject, user: UserInfo, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === user.username;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return user.username === `system:serviceaccount:${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(s: JsonObject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `ServiceAccount "${s.namespace || bindingNamespace}/${s.name}"`;
  return `${s.kind} "${s.name}"`;
}

export class Authorizer {
  constructor(private readonly store: Store) {}

  /** Effective rules of a ClusterRole, aggregating labelled ClusterRoles when it has an aggregationRule. */
  clusterRoleRules(name: string, seen = new Set<string>()): Rule[] {
    const role = this.store.peekAll(CLUSTERROLES).find((r) => r.metadata?.name === name);
    if (!role) return [];
    return this.rulesOf(role, seen);
  }

  private rulesOf(role: JsonObject, seen: Set<string>): Rule[] {
    const own = (role.rules ?? []) as Rule[];
    const agg = role.aggregationRule?.clusterRoleSelectors as JsonObject[] | undefined;
    if (!agg || agg.length === 0) return own;
    if (seen.has(role.metadata.name)) return own;
    seen.add(role.metadata.name);
    const out: Rule[] = [];
    for (const other of this.store.peekAll(CLUSTERROLES)) {
      if (other.metadata.name === role.metadata.name) continue;
      if (agg.some((sel) => matchLabels(selectorRequirements(sel), other.metadata.labels))) {
        out.push(...this.rulesOf(other, seen));
      }
    }
    return out.length > 0 ? out : own;
  }

  private roleRules(namespace: string, name: string): Rule[] {
    const role = this.store.get(ROLES, namespace, name);
    return (role?.rules ?? []) as Rule[];
  }

  authorize(a: Attributes): Decision {
    for (const b of this.store.peekAll(CLUSTERROLEBINDINGS)) {
      const subject = ((b.subjects ?? []) as JsonObject[]).find((s) => subjectMatches(s, a.user, ''));
      if (!subject || b.roleRef?.kind !== 'ClusterRole') continue;
      if (this.clusterRoleRules(b.roleRef.name).some((r) => ruleAllows(r, a))) {
        return {
          allowed: true,
          reason: `RBAC: allowed by ClusterRoleBinding "${b.metadata.name}" of ClusterRole "${b.roleRef.name}" to ${describeSubject(subject, '')}`,
        };
      }
    }
    if (a.resourceRequest && a.namespace) {
      for (const b of this.store.peekAll(ROLEBINDINGS, a.namespace)) {
        const subject = ((b.subjects ?? []) as JsonObject[]).find((s) =>
          subjectMatches(s, a.user, a.namespace!),
        );
        if (!subject) continue;
        const rules =
          b.roleRef?.kind === 'ClusterRole'
            ? this.clusterRoleRules(b.roleRef.name)
            : this.roleRules(a.namespace, b.roleRef?.name);
        if (rules.some((r) => ruleAllows(r, a))) {
          return {
            allowed: true,
            reason: `RBAC: allowed by RoleBinding "${b.metadata.name}/${a.namespace}" of ${b.roleRef.kind} "${b.roleRef.name}" to ${describeSubject(subject, a.namespace)}`,
          };
        }
      }
    }
    return { allowed: false, reason: '' };
  }

  /** The rules that apply to a user in a namespace (SelfSubjectRulesReview). */
  rulesFor(user: UserInfo, namespace: string): Rule[] {
    const out: Rule[] = [];
    for (const b of this.store.peekAll(CLUSTERROLEBINDINGS)) {
      if (!((b.subjects ?? []) as JsonObject[]).some((s) => subjectMatches(s, user, ''))) continue;
      if (b.roleRef?.kind === 'ClusterRole') out.push(...this.clusterRoleRules(b.roleRef.name));
    }
    if (namespace) {
      for (const b of this.store.peekAll(ROLEBINDINGS, namespace)) {
        if (!((b.subjects ?? []) as JsonObject[]).some((s) => subjectMatches(s, user, namespace))) continue;
        out.push(
          ...(b.roleRef?.kind === 'ClusterRole'
            ? this.clusterRoleRules(b.roleRef.name)
            : this.roleRules(namespace, b.roleRef?.name)),
        );
      }
    }
    return out;
  }
}

// ---- bootstrap policy (kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy) ------------------------------

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const RW = [...READ, ...WRITE];

const rule = (verbs: string[], apiGroups: string[], resources: string[]): Rule => ({
  verbs,
  apiGroups,
  resources,
});

const AGG_VIEW: Rule[] = [
  rule(
    READ,
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
    ],
  ),
  rule(
    READ,
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
  ),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(
    READ,
    ['apps'],
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
  ),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(
    READ,
    ['extensions'],
    [
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'ingresses',
      'ingresses/status',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'replicationcontrollers/scale',
    ],
  ),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
  rule(READ, ['metrics.k8s.io'], ['pods', 'nodes']),
];

const AGG_EDIT: Rule[] = [
  rule(
    READ,
    [''],
    ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
  ),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule(
    WRITE,
    [''],
    [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
  ),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(
    WRITE,
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
  ),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(
    WRITE,
    ['extensions'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'ingresses',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicationcontrollers/scale',
    ],
  ),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule(RW, ['coordination.k8s.io'], ['leases']),
];

const AGG_ADMIN: Rule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule(RW, [RBAC], ['rolebindings', 'roles']),
];

const bootstrapLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function clusterRole(
  name: string,
  rules: Rule[],
  labels: Record<string, string> = {},
  aggregateFrom?: string,
): JsonObject {
  const o: JsonObject = {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: {
      name,
      labels: { ...bootstrapLabels, ...labels },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    rules,
  };
  if (aggregateFrom) {
    o.aggregationRule = {
      clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/${aggregateFrom}`]: 'true' } }],
    };
  }
  return o;
}

function clusterRoleBinding(name: string, role: string, subjects: JsonObject[]): JsonObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: {
      name,
      labels: { ...bootstrapLabels },
      annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
    },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
    subjects,
  };
}

const group = (name: string) => ({ apiGroup: RBAC, kind: 'Group', name });

/** ClusterRoles and ClusterRoleBindings every cluster starts with. */
export function bootstrapPolicy(): { roles: JsonObject[]; bindings: JsonObject[] } {
  const agg = (n: string) => ({ [`rbac.authorization.k8s.io/${n}`]: 'true' });
  const roles = [
    clusterRole('cluster-admin', [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ]),
    clusterRole('admin', [...AGG_ADMIN, ...AGG_EDIT, ...AGG_VIEW], {}, 'aggregate-to-admin'),
    clusterRole('edit', [...AGG_EDIT, ...AGG_VIEW], agg('aggregate-to-admin'), 'aggregate-to-edit'),
    clusterRole('view', AGG_VIEW, agg('aggregate-to-edit'), 'aggregate-to-view'),
    clusterRole('system:aggregate-to-admin', AGG_ADMIN, agg('aggregate-to-admin')),
    clusterRole('system:aggregate-to-edit', AGG_EDIT, agg('aggregate-to-edit')),
    clusterRole('system:aggregate-to-view', AGG_VIEW, agg('aggregate-to-view')),
    clusterRole('system:discovery', [
      {
        verbs: ['get'],
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
      },
    ]),
    clusterRole('system:public-info-viewer', [
      { verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] },
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
    ]),
  ];
  const bindings = [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      group('system:authenticated'),
      group('system:unauthenticated'),
    ]),
  ];
  return { roles, bindings };
}
