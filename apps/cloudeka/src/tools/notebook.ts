import { loadedYaml } from '@cloudmcp/format';
import * as z from 'zod';
import {
  anyId,
  changeTool,
  field,
  listTool,
  loose,
  namespaceInput,
  nonEmptyText,
  type Obj,
  projectId,
  projectIdInput,
  text,
} from '../tool-common.js';

export const notebookSchema = loose(
  {
    id: anyId,
    name: text,
    namespace: text,
    project_id: anyId,
    image: text,
    cpu: z.union([z.string(), z.number()]).nullish(),
    memory: z.union([z.string(), z.number()]).nullish(),
    storage: z.union([z.string(), z.number()]).nullish(),
    gpu: z.union([z.string(), z.number()]).nullish(),
    status: text,
    url: text,
  },
  'A Deka Notebook (Jupyter)',
);

const notebookName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'lower-case letters, digits and dashes (a DNS label)')
  .describe('Notebook name');

/** Every notebook call names the notebook by project, namespace and name. */
const ref = { project_id: projectIdInput, namespace: namespaceInput, name: notebookName };

const refBody = (
  input: { project_id?: string | undefined; namespace: string; name: string },
  project: string,
) => ({
  project_id: project,
  namespace: input.namespace,
  name: input.name,
});

export const notebookList = listTool({
  name: 'notebook_list',
  title: 'List notebooks',
  description: 'Deka Notebooks (Jupyter) of a project: name, namespace, status, image, CPU, memory, GPU.',
  toolset: 'notebook',
  input: { project_id: projectIdInput },
  item: notebookSchema,
  noun: 'notebooks',
  columns: [
    { header: 'name', value: (n) => field(n, 'name') },
    { header: 'namespace', value: (n) => field(n, 'namespace') },
    { header: 'status', value: (n) => field(n, 'status') },
    { header: 'image', value: (n) => field(n, 'image'), maxWidth: 40 },
    { header: 'cpu', value: (n) => field(n, 'cpu') },
    { header: 'memory', value: (n) => field(n, 'memory') },
    { header: 'gpu', value: (n) => field(n, 'gpu') },
  ],
  request: (input, ctx) => ({
    method: 'GET',
    route: '/core/deka-notebook',
    query: { project_id: projectId(ctx, input.project_id) },
  }),
});

export const notebookImageList = listTool({
  name: 'notebook_image_list',
  title: 'List notebook images',
  description: 'Images notebooks can run (PyTorch, TensorFlow …), GPU or not.',
  toolset: 'notebook',
  input: {},
  item: loose(
    { id: anyId, name: text, image: text, gpu: z.boolean().nullish(), description: text },
    'An image',
  ),
  noun: 'images',
  columns: [
    { header: 'name', value: (i) => field(i, 'name') },
    { header: 'image', value: (i) => field(i, 'image'), maxWidth: 60 },
    { header: 'gpu', value: (i) => field(i, 'gpu') },
    { header: 'description', value: (i) => field(i, 'description'), maxWidth: 40 },
  ],
  request: () => ({ method: 'GET', route: '/core/deka-notebook/images' }),
});

const quantity = (what: string, example: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, `a Kubernetes quantity such as ${example}`)
    .describe(`${what}, e.g. ${example}`);

export const notebookCreate = changeTool({
  name: 'notebook_create',
  title: 'Create a notebook',
  description: 'Creates and starts a Deka Notebook (Jupyter).',
  toolset: 'notebook',
  kind: 'create',
  input: {
    ...ref,
    image: nonEmptyText().describe('Image, from `notebook_image_list`'),
    cpu: quantity('CPU cores', '2'),
    memory: quantity('Memory', '8Gi'),
    storage: quantity('Workspace size', '20Gi'),
    gpu: z.string().regex(/^\d+$/, 'a whole number of GPUs').optional().describe('Number of GPUs, e.g. 1'),
  },
  request: (input, ctx) => {
    const { project_id, gpu, ...rest } = input;
    return {
      method: 'POST',
      route: '/core/deka-notebook',
      body: { ...rest, project_id: projectId(ctx, project_id), ...(gpu ? { gpu } : {}) },
    };
  },
  done: (input) => `Created notebook ${input.name} in ${input.namespace}.`,
  result: { key: 'notebook', schema: notebookSchema },
});

export const notebookUpdate = changeTool({
  name: 'notebook_update',
  title: 'Update a notebook',
  description: 'Replaces a notebook’s Kubeflow Notebook manifest: image, resources, volumes.',
  toolset: 'notebook',
  kind: 'change',
  input: {
    ...ref,
    yaml: z
      .union([nonEmptyText(), z.record(z.string(), z.unknown())])
      .describe('Manifest: YAML text or object'),
  },
  request: (input, ctx) => {
    const yaml = typeof input.yaml === 'string' ? input.yaml : loadedYaml().stringify(input.yaml);
    return {
      method: 'PUT',
      route: '/core/deka-notebook/yaml',
      body: { ...refBody(input, projectId(ctx, input.project_id)), yaml },
    };
  },
  done: (input) => `Updated notebook ${input.name}.`,
  result: { key: 'notebook', schema: notebookSchema },
});

function notebookAction(name: string, title: string, route: string, description: string, verb: string) {
  return changeTool({
    name,
    title,
    description,
    toolset: 'notebook',
    kind: 'change',
    input: ref,
    request: (input, ctx) => ({
      method: 'POST',
      route,
      body: refBody(input, projectId(ctx, input.project_id)),
    }),
    done: (input) => `Notebook ${input.name} ${verb}.`,
    result: { key: 'notebook', schema: notebookSchema },
  });
}

export const notebookStart = notebookAction(
  'notebook_start',
  'Start a notebook',
  '/core/deka-notebook/start',
  'Starts a stopped notebook.',
  'is starting',
);

export const notebookStop = notebookAction(
  'notebook_stop',
  'Stop a notebook',
  '/core/deka-notebook/stop',
  'Stops a notebook (and its CPU and GPU costs); its workspace is kept.',
  'is stopping',
);

export const notebookDelete = changeTool({
  name: 'notebook_delete',
  title: 'Delete a notebook',
  description: 'Deletes a notebook and its workspace volume.',
  toolset: 'notebook',
  kind: 'destroy',
  input: ref,
  confirm: (input: Obj) => `Delete notebook ${input['name']} in ${input['namespace']} and its workspace`,
  request: (input, ctx) => ({
    method: 'POST',
    route: '/core/deka-notebook/delete',
    body: refBody(input, projectId(ctx, input.project_id)),
  }),
  done: (input) => `Deleted notebook ${input.name}.`,
});

export const notebookTools = [
  notebookList,
  notebookImageList,
  notebookCreate,
  notebookUpdate,
  notebookStart,
  notebookStop,
  notebookDelete,
];
