import { ANNOTATIONS, cursorOffset, page, pageOutput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, type KubeObject, TYPES } from '../client.js';
import { KubeApiError, kubeToolError } from '../errors.js';
import { nonEmpty, pageIn, withPage } from './common.js';
import { kubeTool } from './define.js';

// the verb's form is checked by zod (a refinement: the examples say it, the schema need not)
const verbIn = nonEmpty()
  .refine((verb) => /^[a-z*]+$/.test(verb), 'a lower-case verb such as get, list, create, delete or *')
  .describe('e.g. get, list, create, delete, `*`');
const resourceIn = nonEmpty().describe('e.g. `pods`, `deployments.apps`, `pods/exec`, `*`');

interface Attributes {
  verb: string;
  resource: string;
  group: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Resolves `deploy`, `pods/log`, `*` into the resource attributes an access review takes. */
async function attributes(
  client: KubeClient,
  input: { verb: string; resource: string; namespace?: string | undefined; name?: string | undefined },
  signal: AbortSignal,
): Promise<{ attrs: Attributes; namespaced: boolean }> {
  const [typeName, subresource] = input.resource.split('/', 2) as [string, string | undefined];
  let resource = typeName;
  let group = '';
  let namespaced = true;
  if (typeName !== '*') {
    const type = await client.resolve(typeName, { field: 'resource', signal });
    resource = type.resource;
    group = type.group;
    namespaced = type.namespaced;
  } else group = '*';
  return {
    attrs: {
      verb: input.verb,
      resource,
      group,
      ...(subresource ? { subresource } : {}),
      ...(input.namespace && namespaced ? { namespace: input.namespace } : {}),
      ...(input.name ? { name: input.name } : {}),
    },
    namespaced,
  };
}

function describeAttrs(a: Attributes): string {
  const what = `${a.resource}${a.group && a.group !== '*' ? `.${a.group}` : ''}${a.subresource ? `/${a.subresource}` : ''}`;
  return `${a.verb} ${what}${a.name ? ` "${a.name}"` : ''}${a.namespace ? ` in namespace ${a.namespace}` : ' in all namespaces'}`;
}

interface ReviewStatus {
  allowed?: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

export const canI = kubeTool({
  name: 'can_i',
  title: 'Check your access',
  description: "Whether this server's credentials may do something (`kubectl auth can-i`).",
  toolset: 'access',
  input: z.object({
    verb: verbIn,
    resource: resourceIn,
    namespace: nonEmpty().optional().describe('Omit for cluster-wide'),
    name: nonEmpty().optional().describe('One object'),
  }),
  output: z.object({
    allowed: z.boolean(),
    question: z.string(),
    reason: z.string().optional(),
    evaluation_error: z.string().optional(),
  }),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'text',
    text: (o) =>
      `${o.allowed ? 'yes' : 'no'} — you ${o.allowed ? 'may' : 'may not'} ${o.question}` +
      `${o.reason ? ` (${o.reason})` : ''}.` +
      `${o.evaluation_error ? ` Evaluation error: ${o.evaluation_error}.` : ''}`,
  },
  async handler(input, { client, signal }) {
    const { attrs } = await attributes(client, input, signal);
    const review = await client.create<{ status?: ReviewStatus }>(
      TYPES.selfSubjectAccessReviews,
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: attrs },
      },
      { signal },
    );
    const status = review.status ?? {};
    return {
      allowed: status.allowed === true,
      question: describeAttrs(attrs),
      ...(status.reason ? { reason: status.reason } : {}),
      ...(status.evaluationError ? { evaluation_error: status.evaluationError } : {}),
    };
  },
});

interface Binding extends KubeObject {
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string; apiGroup?: string }>;
}

const subjectRow = z.object({
  kind: z.string().describe('User, Group or ServiceAccount'),
  name: z.string(),
  namespace: z.string().optional().describe('ServiceAccounts: their namespace'),
  bindings: z.array(z.string()).describe('Bindings naming this subject (kind/namespace/name → role)'),
});

export const whoCan = kubeTool({
  name: 'who_can',
  title: 'Who can do something',
  description:
    'Who may do something, with the bindings granting it (`kubectl who-can`). Needs cluster-admin.',
  toolset: 'access',
  input: z.object({
    verb: verbIn,
    resource: resourceIn,
    namespace: nonEmpty().optional().describe('Omit for cluster-wide'),
    name: nonEmpty().optional().describe('One object'),
    ...pageIn({ defaultLimit: 100, maxLimit: 500 }),
  }),
  output: z.object({ question: z.string(), checked: z.number().int(), ...pageOutput(subjectRow) }),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'subjects allowed',
    columns: [
      { header: 'kind', value: (s) => s.kind },
      { header: 'name', value: (s) => s.name },
      { header: 'namespace', value: (s) => s.namespace, collapseWhenUniform: true },
      { header: 'bindings', value: (s) => s.bindings, maxWidth: 100 },
    ],
  },
  async handler(input, { client, signal }) {
    const { attrs } = await attributes(client, input, signal);
    let bindings: Binding[];
    try {
      const [cluster, namespaced] = await Promise.all([
        client.listAll<Binding>(TYPES.clusterRoleBindings, { signal, max: 5000 }),
        attrs.namespace
          ? client.listAll<Binding>(TYPES.roleBindings, { namespace: attrs.namespace, signal, max: 5000 })
          : Promise.resolve({ items: [] as Binding[], truncated: false }),
      ]);
      bindings = [
        ...cluster.items.map((b) => ({ ...b, kind: 'ClusterRoleBinding' })),
        ...namespaced.items.map((b) => ({ ...b, kind: 'RoleBinding' })),
      ];
    } catch (error) {
      throw forbiddenHint(error);
    }
    const subjects = new Map<string, z.input<typeof subjectRow>>();
    for (const b of bindings) {
      const label =
        `${b.kind}/${b.metadata?.namespace ? `${b.metadata.namespace}/` : ''}${b.metadata?.name ?? ''}` +
        ` → ${b.roleRef?.kind ?? 'Role'}/${b.roleRef?.name ?? '?'}`;
      for (const s of b.subjects ?? []) {
        const namespace = s.kind === 'ServiceAccount' ? (s.namespace ?? b.metadata?.namespace) : undefined;
        const key = `${s.kind}/${namespace ?? ''}/${s.name}`;
        const entry = subjects.get(key) ?? {
          kind: s.kind,
          name: s.name,
          ...(namespace ? { namespace } : {}),
          bindings: [],
        };
        entry.bindings.push(label);
        subjects.set(key, entry);
      }
    }
    const candidates = [...subjects.values()].slice(0, 500);
    const allowed: Array<z.input<typeof subjectRow>> = [];
    let index = 0;
    const worker = async () => {
      while (index < candidates.length) {
        const subject = candidates[index++]!;
        const spec: Record<string, unknown> = { resourceAttributes: attrs };
        if (subject.kind === 'User') spec['user'] = subject.name;
        else if (subject.kind === 'Group') spec['groups'] = [subject.name];
        else if (subject.kind === 'ServiceAccount') {
          spec['user'] = `system:serviceaccount:${subject.namespace}:${subject.name}`;
          spec['groups'] = ['system:serviceaccounts', `system:serviceaccounts:${subject.namespace}`];
        } else continue;
        let review: { status?: ReviewStatus };
        try {
          review = await client.create(
            TYPES.subjectAccessReviews,
            {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SubjectAccessReview',
              spec,
            },
            { signal },
          );
        } catch (error) {
          throw forbiddenHint(error);
        }
        if (review.status?.allowed) allowed.push(subject);
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, candidates.length) }, worker));
    allowed.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
    const offset = cursorOffset(input.cursor);
    return withPage(
      { question: describeAttrs(attrs), checked: candidates.length },
      page(allowed.slice(offset, offset + input.limit), { offset, total: allowed.length }),
    );
  },
});

function forbiddenHint(error: unknown): unknown {
  if (error instanceof KubeApiError && error.code === 403) {
    const mapped = kubeToolError(error) as ToolError;
    return new ToolError(mapped.message, {
      ...mapped.details,
      next:
        'who_can needs permission to list RoleBindings and ClusterRoleBindings and to create ' +
        'SubjectAccessReviews (usually cluster-admin). Use can_i to check your own access instead.',
    });
  }
  return error;
}

export const accessTools = [canI, whoCan];
