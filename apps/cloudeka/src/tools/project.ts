import { ANNOTATIONS, defineTool, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { CloudekaError } from '../client/errors.js';
import {
  anyId,
  asObject,
  type Ctx,
  changeTool,
  field,
  getTool,
  listTool,
  loose,
  nonEmptyText,
  noteworthy,
  num,
  projectId,
  projectIdInput,
  send,
  text,
} from '../tool-common.js';

export const projectSchema = loose(
  {
    id: anyId,
    project_id: anyId,
    name: text,
    project_name: text,
    description: text,
    status: text,
    organization_id: anyId,
    payment_type: text,
    created_at: text,
  },
  'A Cloudeka project',
);

export const projectList = listTool({
  name: 'project_list',
  title: 'List projects',
  description: 'Projects of your organization: name, status, payment type, id.',
  toolset: 'project',
  input: {
    name: z.string().optional().describe('Name contains'),
  },
  item: projectSchema,
  noun: 'projects',
  narrowHint: 'filter by name',
  columns: [
    { header: 'name', value: (p) => field(p, 'name', 'project_name') },
    { header: 'status', value: (p) => field(p, 'status', 'state') },
    { header: 'payment', value: (p) => field(p, 'payment_type', 'billing_type', 'type') },
    { header: 'cluster', value: (p) => field(p, 'vcluster.status') },
    { header: 'description', value: (p) => field(p, 'description'), maxWidth: 40 },
    { header: 'id', value: (p) => field(p, 'id', 'project_id') },
  ],
  request: () => ({ method: 'GET', route: '/core/user/organization/projects/byOrg' }),
  filter: (items, input) =>
    input.name
      ? items.filter((p) =>
          String(field(p, 'name', 'project_name') ?? '')
            .toLowerCase()
            .includes(input.name!.toLowerCase()),
        )
      : items,
});

export const projectGet = getTool({
  name: 'project_get',
  title: 'Get a project',
  description: 'One project in full: description, status, payment type, organization, quotas.',
  toolset: 'project',
  input: { project_id: projectIdInput },
  key: 'project',
  schema: projectSchema,
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/user/project/detail/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const projectUpdate = changeTool({
  name: 'project_update',
  title: 'Update a project',
  description: 'Changes a project’s description.',
  toolset: 'project',
  kind: 'change',
  input: {
    project_id: projectIdInput,
    description: z.string().max(1000).describe('New description'),
  },
  request: (input, ctx) => ({
    method: 'PUT',
    route: '/core/user/projects/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
    body: { description: input.description },
  }),
  done: (input, ctx) => `Updated the description of project ${projectId(ctx, input.project_id)}.`,
  result: { key: 'project', schema: projectSchema },
});

export const projectDelete = defineTool({
  name: 'project_delete',
  title: 'Delete a project',
  description: 'Deletes a project and everything in it, if Cloudeka says it can (else says why).',
  toolset: 'project',
  input: z.object({
    project_id: nonEmptyText().describe('Project id (never defaulted)'),
    check_only: z.boolean().default(false).describe('Only check whether it can be'),
  }),
  output: z.object({
    project_id: z.string(),
    deleted: z.boolean(),
    check: z.unknown().optional().describe('What the pre-delete check answered'),
    message: z.string().optional(),
  }),
  annotations: ANNOTATIONS.destroy,
  confirmMessage: (input) =>
    input.check_only
      ? `Check whether project ${input.project_id} can be deleted`
      : `Delete project ${input.project_id} and everything in it`,
  render: {
    kind: 'text',
    text: (out) =>
      out.deleted
        ? `Deleted project ${out.project_id}.${noteworthy(out.message) ? ` Cloudeka: ${out.message}` : ''}`
        : `Project ${out.project_id} can be deleted (check passed); nothing was deleted.`,
  },
  async handler(input, ctx: Ctx) {
    const path = { project_id: input.project_id };
    let check: unknown;
    try {
      check = (await send(ctx, { method: 'DELETE', route: '/core/user/checking/projects/:project_id', path }))
        .data;
    } catch (error) {
      if (
        error instanceof CloudekaError &&
        error.status < 500 &&
        error.status !== 401 &&
        error.status !== 404
      ) {
        throw new ToolError(`Project ${input.project_id} cannot be deleted now; nothing was deleted.`, {
          code: error.status,
          upstreamMessage: error.upstreamMessage,
          next: 'Remove what the message names (VMs, notebooks, clusters …) first, then try again.',
        });
      }
      throw error;
    }
    const verdict = asObject(check);
    if (verdict['can_delete'] === false || verdict['deletable'] === false) {
      const reason = typeof verdict['message'] === 'string' ? verdict['message'] : JSON.stringify(verdict);
      throw new ToolError(`Project ${input.project_id} cannot be deleted now; nothing was deleted.`, {
        upstreamMessage: reason,
        next: 'Remove what it names first, then try again.',
      });
    }
    if (input.check_only) {
      return { project_id: input.project_id, deleted: false, ...(check === undefined ? {} : { check }) };
    }
    const answer = await send(ctx, { method: 'DELETE', route: '/core/user/projects/:project_id', path });
    return {
      project_id: input.project_id,
      deleted: true,
      ...(check === undefined ? {} : { check }),
      ...(answer.message ? { message: answer.message } : {}),
    };
  },
});

export const quotaSchema = loose(
  { gpu_type: text, quota: num, used: num, available: num, flavor_id: anyId, flavor_name: text },
  'GPU quota of a project, per GPU type',
);

export const projectQuotaGet = listTool({
  name: 'project_quota_get',
  title: 'Project GPU quota',
  description: 'A project’s GPU quota per GPU type: quota, used, available.',
  toolset: 'project',
  input: {
    project_id: projectIdInput,
    billing: z
      .enum(['postpaid', 'prepaid'])
      .default('postpaid')
      .describe('postpaid: Deka GPU quota; prepaid: GPU flavors bought'),
  },
  item: quotaSchema,
  noun: 'GPU types',
  columns: [
    { header: 'gpu', value: (q) => field(q, 'gpu_type', 'gpu', 'name') },
    { header: 'flavor', value: (q) => field(q, 'flavor_name') },
    { header: 'quota', value: (q) => field(q, 'quota', 'limit') },
    { header: 'used', value: (q) => field(q, 'used') },
    { header: 'available', value: (q) => field(q, 'available') },
  ],
  request: (input, ctx) => ({
    method: 'GET',
    route:
      input.billing === 'prepaid'
        ? '/mid/billing/projectflavorgpu/project/:project_id'
        : '/mid/billing/projectdekagpu/quota/:project_id',
    path: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const projectTools = [projectList, projectGet, projectUpdate, projectDelete, projectQuotaGet];
