import {
  ANNOTATIONS,
  badInput,
  cursorOffset,
  defineTool,
  page,
  pageInput,
  pageOutput,
} from '@cloudmcp/toolkit';
import * as z from 'zod';
import {
  anyId,
  asList,
  asObject,
  type Ctx,
  changeTool,
  field,
  getTool,
  isObject,
  listTool,
  loose,
  nonEmptyText,
  num,
  type Obj,
  projectId,
  projectIdInput,
  send,
  text,
} from '../tool-common.js';

const registryId = nonEmptyText().describe('Registry id');
const artifactId = nonEmptyText().describe('Artifact id');
const tagRuleId = nonEmptyText().describe('Tag rule id');

export const registrySchema = loose(
  {
    id: anyId,
    name: text,
    project_id: anyId,
    public: z.boolean().nullish(),
    size_limit_gb: num,
    status: text,
    description: text,
    visibility: text,
    used_bytes: num,
    url: text,
    created_at: text,
  },
  'A Deka Registry (a Harbor project)',
);

export const registryList = defineTool({
  name: 'registry_list',
  title: 'List registries',
  description:
    'Container registries (Deka Registry) of a project, or of every project: visibility, size limit, usage, id.',
  toolset: 'registry',
  input: z.object({
    project_id: nonEmptyText().optional().describe('Project id; default: all'),
    ...pageInput({ defaultLimit: 100, maxLimit: 500 }),
  }),
  output: z.object(pageOutput(registrySchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'registries',
    columns: [
      { header: 'name', value: (r) => field(r, 'name') },
      { header: 'project', value: (r) => field(r, 'project_name', 'project_id') },
      { header: 'visibility', value: (r) => field(r, 'visibility') ?? (r['public'] ? 'public' : 'private') },
      { header: 'limit_gb', value: (r) => field(r, 'size_limit_gb', 'quota') },
      { header: 'used_mb', value: (r) => mb(r['used_bytes']) },
      { header: 'repos', value: (r) => field(r, 'repository_count') },
      { header: 'id', value: (r) => field(r, 'id', 'registry_id') },
    ],
  },
  async handler(input, ctx: Ctx) {
    const offset = cursorOffset(input.cursor);
    const project = input.project_id ?? ctx.deps.defaultProjectId;
    // Cloudeka pages registries (a hyphenated `project-id` and `page`): read every page, then page here.
    const items: Obj[] = [];
    for (let pageNo = 1; pageNo <= 100; pageNo++) {
      const answer = await send(ctx, {
        method: 'GET',
        route: '/core/dekaregistry/v2/registry',
        query: { 'project-id': project, page: pageNo },
      });
      const batch = asList(answer.data);
      items.push(...batch);
      const pagination = answer.extra?.['pagination'];
      const pages = isObject(pagination) ? Number(pagination['total_pages']) : Number.NaN;
      if (batch.length === 0 || !(pageNo < pages)) break;
    }
    return page(items.slice(offset, offset + input.limit), { offset, total: items.length }) as never;
  },
});

const mb = (bytes: unknown) => (typeof bytes === 'number' ? Math.round(bytes / 2 ** 20) : undefined);

export const registryGet = getTool({
  name: 'registry_get',
  title: 'Get a registry',
  description: 'One registry with its overview: repositories, artifacts, storage used.',
  toolset: 'registry',
  input: { registry_id: registryId },
  key: 'registry',
  schema: registrySchema,
  request: (input) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/registry/:registry_id',
    path: { registry_id: input.registry_id },
  }),
  extra: (input) => [
    {
      key: 'overview',
      request: {
        method: 'GET',
        route: '/core/dekaregistry/v2/registry/:registry_id/overview',
        path: { registry_id: input.registry_id },
      },
    },
  ],
});

const registryFields = {
  description: z.string().max(500).optional().describe('Description'),
  public: z.boolean().optional().describe('Pull without login'),
  size_limit_gb: z.number().int().positive().max(100_000).optional().describe('Size limit in GB'),
};

const definedOnly = (value: Obj) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

export const registryCreate = changeTool({
  name: 'registry_create',
  title: 'Create a registry',
  description: 'Creates a container registry in a project.',
  toolset: 'registry',
  kind: 'create',
  input: {
    project_id: projectIdInput,
    name: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9._]{0,253}[a-z0-9])?$/, 'lower-case letters, digits, ".", "_" and "-"')
      .describe('Registry name'),
    ...registryFields,
  },
  request: (input, ctx) => ({
    method: 'POST',
    route: '/core/dekaregistry/v2/registry',
    body: { registry_data: definedOnly({ ...input, project_id: projectId(ctx, input.project_id) }) },
  }),
  done: (input) => `Created registry ${input.name}.`,
  result: { key: 'registry', schema: registrySchema },
});

export const registryUpdate = changeTool({
  name: 'registry_update',
  title: 'Update a registry',
  description: 'Changes a registry’s description, visibility or size limit (only the fields given).',
  toolset: 'registry',
  kind: 'change',
  input: { registry_id: registryId, ...registryFields },
  request: ({ registry_id, ...changes }) => ({
    method: 'PUT',
    route: '/core/dekaregistry/v2/registry/:registry_id',
    path: { registry_id },
    body: { registry_data: definedOnly(changes) },
  }),
  done: (input) => `Updated registry ${input.registry_id}.`,
  result: { key: 'registry', schema: registrySchema },
});

export const registryLogList = listTool({
  name: 'registry_log_list',
  title: 'Registry activity',
  description: 'A registry’s activity, newest first: who pushed, pulled, deleted what.',
  toolset: 'registry',
  input: { registry_id: registryId },
  item: loose(
    { id: anyId, username: text, operation: text, resource: text, op_time: text },
    'A registry log entry',
  ),
  noun: 'log entries',
  columns: [
    { header: 'time', value: (l) => field(l, 'op_time', 'created_at', 'time') },
    { header: 'user', value: (l) => field(l, 'username', 'user') },
    { header: 'operation', value: (l) => field(l, 'operation', 'action') },
    { header: 'resource', value: (l) => field(l, 'resource'), maxWidth: 70 },
  ],
  request: (input) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/registry/:registry_id/logs',
    path: { registry_id: input.registry_id },
  }),
});

export const registryQuotaGet = getTool({
  name: 'registry_quota_get',
  title: 'Registry quota',
  description: 'A project’s registry storage quota: limit, allocated, used.',
  toolset: 'registry',
  input: { project_id: projectIdInput },
  key: 'quota',
  schema: loose(
    { project_id: anyId, limit_gb: num, allocated_gb: num, used_bytes: num, registry_count: num },
    'Registry quota of a project',
  ),
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/project/quota/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const registryCertificateGet = getTool({
  name: 'registry_certificate_get',
  title: 'Registry CA certificate',
  description: 'The registry endpoint’s CA certificate (PEM) for docker/containerd.',
  toolset: 'registry',
  input: {},
  key: 'certificate',
  schema: loose({ certificate: text, filename: text }, 'The registry CA certificate'),
  request: () => ({ method: 'GET', route: '/core/dekaregistry/v1/registry/downloadcrt' }),
});

// ---------------------------------------------------------------------------------------------------------
// Members

const memberRole = z
  .enum(['project_admin', 'maintainer', 'developer', 'guest'])
  .describe('project_admin, maintainer, developer (push and pull) or guest (pull)');

export const registryMemberList = listTool({
  name: 'registry_member_list',
  title: 'List registry members',
  description: 'Who may access a registry, with which role.',
  toolset: 'registry',
  input: { registry_id: registryId },
  item: loose({ id: anyId, user_id: anyId, name: text, email: text, role: text }, 'A registry member'),
  noun: 'members',
  columns: [
    { header: 'name', value: (m) => field(m, 'name', 'username', 'user.name') },
    { header: 'email', value: (m) => field(m, 'email', 'user.email') },
    { header: 'role', value: (m) => field(m, 'role', 'role_name') },
    { header: 'member_id', value: (m) => field(m, 'id', 'member_id') },
    { header: 'user_id', value: (m) => field(m, 'user_id') },
  ],
  request: (input) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/member/:registry_id',
    path: { registry_id: input.registry_id },
  }),
});

export const registryMemberAvailableList = listTool({
  name: 'registry_member_available_list',
  title: 'Users who can join a registry',
  description: 'Project members that can be added to its registries.',
  toolset: 'registry',
  input: { project_id: projectIdInput },
  item: loose({ user_id: anyId, name: text, email: text, role: text }, 'A project member'),
  noun: 'users',
  columns: [
    { header: 'name', value: (m) => field(m, 'name', 'username') },
    { header: 'email', value: (m) => field(m, 'email') },
    { header: 'role', value: (m) => field(m, 'role') },
    { header: 'user_id', value: (m) => field(m, 'user_id', 'id') },
  ],
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/project/member/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const registryMemberAdd = changeTool({
  name: 'registry_member_add',
  title: 'Add a registry member',
  description: 'Gives a project user access to a registry.',
  toolset: 'registry',
  kind: 'create',
  input: {
    registry_id: registryId,
    user_id: nonEmptyText().describe('User id'),
    role: memberRole.default('developer').describe('developer: push and pull; guest: pull'),
  },
  request: (input) => ({
    method: 'POST',
    route: '/core/dekaregistry/v2/member/:registry_id',
    path: { registry_id: input.registry_id },
    body: { user_id: input.user_id, role: input.role },
  }),
  done: (input) => `Added user ${input.user_id} to registry ${input.registry_id} as ${input.role}.`,
  result: { key: 'member', schema: loose({ id: anyId, user_id: anyId, role: text }, 'The new member') },
});

export const registryMemberDelete = changeTool({
  name: 'registry_member_delete',
  title: 'Remove a registry member',
  description: 'Removes a member’s access to a registry.',
  toolset: 'registry',
  kind: 'destroy',
  input: {
    registry_id: registryId,
    member_id: nonEmptyText().describe('member_id from `registry_member_list`'),
  },
  confirm: (input) => `Remove member ${input.member_id} from registry ${input.registry_id}`,
  request: (input) => ({
    method: 'DELETE',
    route: '/core/dekaregistry/v2/member/:registry_id/detail/:member_id',
    path: { registry_id: input.registry_id, member_id: input.member_id },
  }),
  done: (input) => `Removed member ${input.member_id} from registry ${input.registry_id}.`,
});

export const registryPasswordGet = defineTool({
  name: 'registry_password_get',
  title: 'Registry CLI login',
  description:
    'Checks your portal password and returns the `docker login` username (the CLI secret is redacted).',
  toolset: 'registry',
  input: z.object({
    password: nonEmptyText().describe('Your portal password'),
  }),
  output: z.looseObject({
    username: z.string().optional().describe('Username for docker login'),
    password: z.string().optional().describe('The CLI secret (always redacted)'),
  }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const answer = await send(ctx, {
      method: 'POST',
      route: '/core/dekaregistry/v2/user/password/show',
      body: { password_data: { password: input.password } },
      idempotent: true,
    });
    return asObject(answer.data) as never;
  },
});

// ---------------------------------------------------------------------------------------------------------
// Repositories and artifacts

export const registryRepositoryList = listTool({
  name: 'registry_repository_list',
  title: 'List repositories',
  description: 'Image repositories of a registry (or of all): artifacts, pulls, last update.',
  toolset: 'registry',
  input: {
    registry_id: registryId.optional().describe('Registry id; default: all'),
  },
  item: loose(
    { id: anyId, name: text, registry_name: text, pull_count: num, artifact_count: num, updated_at: text },
    'An image repository',
  ),
  noun: 'repositories',
  columns: [
    { header: 'name', value: (r) => field(r, 'name') },
    { header: 'registry', value: (r) => field(r, 'registry_name', 'registry_id') },
    { header: 'artifacts', value: (r) => field(r, 'artifact_count', 'artifacts') },
    { header: 'pulls', value: (r) => field(r, 'pull_count', 'pulls') },
    { header: 'updated', value: (r) => field(r, 'updated_at', 'update_time') },
    { header: 'id', value: (r) => field(r, 'id') },
  ],
  request: (input) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/repository',
    query: { registry_id: input.registry_id },
  }),
});

export const artifactSchema = loose(
  {
    id: anyId,
    digest: text,
    size: num,
    repository_name: text,
    tags: z.unknown().optional(),
    labels: z.unknown().optional(),
    scan_overview: z.unknown().optional(),
    pushed_at: text,
  },
  'An image artifact',
);

export const registryArtifactGet = getTool({
  name: 'registry_artifact_get',
  title: 'Get an artifact',
  description: 'One artifact (image): digest, size, tags, labels, vulnerability scan.',
  toolset: 'registry',
  input: { artifact_id: artifactId },
  key: 'artifact',
  schema: artifactSchema,
  request: (input) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/artifact/:artifact_id',
    path: { artifact_id: input.artifact_id },
  }),
});

export const registryArtifactScan = changeTool({
  name: 'registry_artifact_scan',
  title: 'Scan an artifact',
  description: 'Starts (or stops) a vulnerability scan of an artifact.',
  toolset: 'registry',
  kind: 'change',
  input: {
    artifact_id: artifactId,
    stop: z.boolean().default(false).describe('Stop the running scan'),
  },
  request: (input) => ({
    method: 'POST',
    route: input.stop
      ? '/core/dekaregistry/v2/artifact/:artifact_id/stop-scan'
      : '/core/dekaregistry/v2/artifact/:artifact_id/scan',
    path: { artifact_id: input.artifact_id },
  }),
  done: (input) =>
    input.stop
      ? `Stopped the scan of artifact ${input.artifact_id}.`
      : `Scanning artifact ${input.artifact_id}; follow it with registry_artifact_get.`,
  result: { key: 'artifact', schema: artifactSchema },
});

export const registryArtifactTagList = listTool({
  name: 'registry_artifact_tag_list',
  title: 'List artifact tags',
  description: 'Tags of an artifact: push time, immutable or not.',
  toolset: 'registry',
  input: { artifact_id: artifactId },
  item: loose({ name: text, pushed_at: text, immutable: z.boolean().nullish() }, 'A tag'),
  noun: 'tags',
  columns: [
    { header: 'tag', value: (t) => field(t, 'name', 'tag') },
    { header: 'pushed', value: (t) => field(t, 'pushed_at', 'push_time') },
    { header: 'immutable', value: (t) => field(t, 'immutable') },
  ],
  request: (input) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/artifact/:artifact_id/tag',
    path: { artifact_id: input.artifact_id },
  }),
});

const tagName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a Docker tag: letters, digits, "_", "." and "-"')
  .describe('Tag');

export const registryArtifactTagAdd = changeTool({
  name: 'registry_artifact_tag_add',
  title: 'Tag an artifact',
  description: 'Adds a tag to an artifact.',
  toolset: 'registry',
  kind: 'change',
  input: { artifact_id: artifactId, tag: tagName },
  request: (input) => ({
    method: 'POST',
    route: '/core/dekaregistry/v2/artifact/:artifact_id/tag/:tag',
    path: { artifact_id: input.artifact_id, tag: input.tag },
  }),
  done: (input) => `Tagged artifact ${input.artifact_id} as ${input.tag}.`,
});

export const registryArtifactTagDelete = changeTool({
  name: 'registry_artifact_tag_delete',
  title: 'Remove an artifact tag',
  description: 'Removes a tag from an artifact; pulls of it stop working.',
  toolset: 'registry',
  kind: 'destroy',
  input: { artifact_id: artifactId, tag: tagName },
  confirm: (input) => `Remove tag ${input.tag} from artifact ${input.artifact_id}`,
  request: (input) => ({
    method: 'DELETE',
    route: '/core/dekaregistry/v2/artifact/:artifact_id/tag/:tag',
    path: { artifact_id: input.artifact_id, tag: input.tag },
  }),
  done: (input) => `Removed tag ${input.tag} from artifact ${input.artifact_id}.`,
});

export const registryArtifactLabel = changeTool({
  name: 'registry_artifact_label',
  title: 'Label an artifact',
  description: 'Puts a registry label on an artifact, or takes it off.',
  toolset: 'registry',
  kind: 'change',
  input: {
    artifact_id: artifactId,
    label_id: nonEmptyText().describe('Label id'),
    remove: z.boolean().default(false).describe('Take it off'),
  },
  request: (input) => ({
    method: 'PATCH',
    route: input.remove
      ? '/core/dekaregistry/v2/artifact/:artifact_id/unassign-label/:label_id'
      : '/core/dekaregistry/v2/artifact/:artifact_id/assign-label/:label_id',
    path: { artifact_id: input.artifact_id, label_id: input.label_id },
  }),
  done: (input) =>
    input.remove
      ? `Removed label ${input.label_id} from artifact ${input.artifact_id}.`
      : `Labelled artifact ${input.artifact_id} with ${input.label_id}.`,
});

// ---------------------------------------------------------------------------------------------------------
// Labels (v1 routes that carry the organization, user and project in the path)

async function labelPath(ctx: Ctx, input: { project_id?: string | undefined; registry_id: string }) {
  const session = await ctx.deps.client.session();
  if (!session.organization_id || !session.user_id) {
    throw badInput(
      'registry_id',
      'the token exchange did not say your organization and user ids',
      'check `status`',
    );
  }
  return {
    organization_id: session.organization_id,
    user_id: session.user_id,
    project_id: projectId(ctx, input.project_id),
    registry_id: input.registry_id,
  };
}

const labelFields = {
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #RRGGBB')
    .optional()
    .describe('Colour'),
  description: z.string().max(500).optional().describe('Description'),
};

const labelSchema = loose({ id: anyId, name: text, color: text, description: text }, 'A registry label');

export const registryLabelList = defineTool({
  name: 'registry_label_list',
  title: 'List registry labels',
  description: 'Labels of a registry: name, colour, description, id.',
  toolset: 'registry',
  input: z.object({ registry_id: registryId, project_id: projectIdInput }),
  output: z.object({ items: z.array(labelSchema) }),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'labels',
    columns: [
      { header: 'name', value: (l) => field(l, 'name') },
      { header: 'color', value: (l) => field(l, 'color') },
      { header: 'description', value: (l) => field(l, 'description'), maxWidth: 50 },
      { header: 'id', value: (l) => field(l, 'id', 'label_id') },
    ],
  },
  async handler(input, ctx: Ctx) {
    const answer = await send(ctx, {
      method: 'GET',
      route: '/core/dekaregistry/v1/registry/lislabels/:organization_id/:user_id/:project_id/:registry_id',
      path: await labelPath(ctx, input),
    });
    return { items: asList(answer.data) } as never;
  },
});

export const registryLabelCreate = defineTool({
  name: 'registry_label_create',
  title: 'Create a registry label',
  description: 'Creates a label in a registry.',
  toolset: 'registry',
  input: z.object({
    registry_id: registryId,
    project_id: projectIdInput,
    name: nonEmptyText().max(128).describe('Label name'),
    ...labelFields,
  }),
  output: z.object({ done: z.string(), label: labelSchema.optional() }),
  annotations: ANNOTATIONS.create,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const { registry_id, project_id, ...fields } = input;
    const answer = await send(ctx, {
      method: 'POST',
      route: '/core/dekaregistry/v1/registry/createlabels/:organization_id/:user_id/:project_id/:registry_id',
      path: await labelPath(ctx, { registry_id, project_id }),
      body: { labels_data: definedOnly(fields) },
    });
    return { done: `Created label ${input.name}.`, label: asObject(answer.data) } as never;
  },
});

export const registryLabelUpdate = defineTool({
  name: 'registry_label_update',
  title: 'Update a registry label',
  description: 'Changes a registry label (only the fields given).',
  toolset: 'registry',
  input: z.object({
    registry_id: registryId,
    project_id: projectIdInput,
    label_id: nonEmptyText().describe('Label id'),
    name: nonEmptyText().max(128).optional().describe('New name'),
    ...labelFields,
  }),
  output: z.object({ done: z.string(), label: labelSchema.optional() }),
  annotations: ANNOTATIONS.change,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const { registry_id, project_id, label_id, ...fields } = input;
    const answer = await send(ctx, {
      method: 'PUT',
      route: '/core/dekaregistry/v1/registry/updatelabels/:organization_id/:user_id/:project_id/:registry_id',
      path: await labelPath(ctx, { registry_id, project_id }),
      body: { labels_data: { id: label_id, ...definedOnly(fields) } },
    });
    return { done: `Updated label ${label_id}.`, label: asObject(answer.data) } as never;
  },
});

export const registryLabelDelete = defineTool({
  name: 'registry_label_delete',
  title: 'Delete a registry label',
  description: 'Deletes a registry label from the registry and every artifact.',
  toolset: 'registry',
  input: z.object({
    registry_id: registryId,
    project_id: projectIdInput,
    label_id: nonEmptyText().describe('Label id'),
  }),
  output: z.object({ done: z.string() }),
  annotations: ANNOTATIONS.destroy,
  confirmMessage: (input) => `Delete label ${input.label_id} of registry ${input.registry_id}`,
  render: { kind: 'text', text: (out) => out.done },
  async handler(input, ctx: Ctx) {
    const path = await labelPath(ctx, input);
    await send(ctx, {
      method: 'DELETE',
      route:
        '/core/dekaregistry/v1/registry/deletelabels/:organization_id/:user_id/:project_id/:labels_id/:registry_id',
      path: { ...path, labels_id: input.label_id },
    });
    return { done: `Deleted label ${input.label_id}.` };
  },
});

// ---------------------------------------------------------------------------------------------------------
// Tag rules (immutable-tag rules)

const tagRuleSchema = loose(
  { id: anyId, tag: text, repository: text, disabled: z.boolean().nullish() },
  'An immutable-tag rule',
);

const tagRuleFields = {
  tag: nonEmptyText().describe('Tag pattern, e.g. v*'),
  repository: nonEmptyText().default('**').describe('Repository pattern (** = all)'),
};

export const registryTagList = listTool({
  name: 'registry_tag_list',
  title: 'List tag rules',
  description: 'Immutable-tag rules of a registry: tag and repository patterns, enabled or not.',
  toolset: 'registry',
  input: { registry_id: registryId },
  item: tagRuleSchema,
  noun: 'tag rules',
  columns: [
    { header: 'repository', value: (t) => field(t, 'repository', 'repo') },
    { header: 'tag', value: (t) => field(t, 'tag') },
    { header: 'disabled', value: (t) => field(t, 'disabled') },
    { header: 'id', value: (t) => field(t, 'id') },
  ],
  request: (input) => ({
    method: 'GET',
    route: '/core/dekaregistry/v2/tag/:registry_id',
    path: { registry_id: input.registry_id },
  }),
});

export const registryTagCreate = changeTool({
  name: 'registry_tag_create',
  title: 'Create a tag rule',
  description: 'Adds an immutable-tag rule: matching tags can no longer be overwritten.',
  toolset: 'registry',
  kind: 'create',
  input: { registry_id: registryId, ...tagRuleFields },
  request: ({ registry_id, ...fields }) => ({
    method: 'POST',
    route: '/core/dekaregistry/v2/tag/:registry_id',
    path: { registry_id },
    body: { tag_data: fields },
  }),
  done: (input) =>
    `Tags ${input.tag} in ${input.repository} of registry ${input.registry_id} are now immutable.`,
  result: { key: 'rule', schema: tagRuleSchema },
});

export const registryTagUpdate = changeTool({
  name: 'registry_tag_update',
  title: 'Update a tag rule',
  description: 'Changes the patterns of an immutable-tag rule.',
  toolset: 'registry',
  kind: 'change',
  input: {
    tag_id: tagRuleId,
    tag: nonEmptyText().optional().describe('Tag pattern, e.g. v*'),
    repository: nonEmptyText().optional().describe('Repository pattern (** = all)'),
  },
  request: ({ tag_id, ...fields }) => ({
    method: 'PUT',
    route: '/core/dekaregistry/v2/tag/detail/:tag_id',
    path: { tag_id },
    body: { tag_data: definedOnly(fields) },
  }),
  done: (input) => `Updated tag rule ${input.tag_id}.`,
  result: { key: 'rule', schema: tagRuleSchema },
});

export const registryTagDelete = changeTool({
  name: 'registry_tag_delete',
  title: 'Delete a tag rule',
  description: 'Deletes an immutable-tag rule.',
  toolset: 'registry',
  kind: 'destroy',
  input: { tag_id: tagRuleId },
  confirm: (input) => `Delete tag rule ${input.tag_id}`,
  request: (input) => ({
    method: 'DELETE',
    route: '/core/dekaregistry/v2/tag/detail/:tag_id',
    path: { tag_id: input.tag_id },
  }),
  done: (input) => `Deleted tag rule ${input.tag_id}.`,
});

export const registryTagEnable = changeTool({
  name: 'registry_tag_enable',
  title: 'Enable or disable a tag rule',
  description: 'Turns an immutable-tag rule on or off.',
  toolset: 'registry',
  kind: 'change',
  input: { tag_id: tagRuleId, enabled: z.boolean().default(true).describe('false: off') },
  request: (input) => ({
    method: 'POST',
    route: input.enabled
      ? '/core/dekaregistry/v2/tag/detail/:tag_id/enable'
      : '/core/dekaregistry/v2/tag/detail/:tag_id/disable',
    path: { tag_id: input.tag_id },
  }),
  done: (input) => `Tag rule ${input.tag_id} is ${input.enabled ? 'enabled' : 'disabled'}.`,
  result: { key: 'rule', schema: tagRuleSchema },
});

export const registryTools = [
  registryList,
  registryGet,
  registryCreate,
  registryUpdate,
  registryLogList,
  registryQuotaGet,
  registryCertificateGet,
  registryPasswordGet,
  registryMemberList,
  registryMemberAvailableList,
  registryMemberAdd,
  registryMemberDelete,
  registryRepositoryList,
  registryArtifactGet,
  registryArtifactScan,
  registryArtifactTagList,
  registryArtifactTagAdd,
  registryArtifactTagDelete,
  registryArtifactLabel,
  registryLabelList,
  registryLabelCreate,
  registryLabelUpdate,
  registryLabelDelete,
  registryTagList,
  registryTagCreate,
  registryTagUpdate,
  registryTagDelete,
  registryTagEnable,
];
