import { loadedYaml } from '@cloudmcp/format';
import * as z from 'zod';
import {
  anyId,
  changeTool,
  field,
  listTool,
  loose,
  namespaceInput,
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
  .describe('Notebook name (see `notebook_list`)');

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
  description:
    'Lists the Deka Notebooks (Jupyter) of a project: name, namespace, status, image, CPU, memory, GPU. ' +
    'Start or stop one with `notebook_start` / `notebook_stop`.',
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
  description: 'Lists the images notebooks can run (PyTorch, TensorFlow …), with whether they use a GPU.',
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
  description:
    'Creates a Deka Notebook (Jupyter) in a namespace of the project from an image (`notebook_image_list`) ' +
    'with CPU, memory, storage and optionally GPUs. It starts running; stop it with `notebook_stop`.',
  toolset: 'notebook',
  kind: 'create',
  input: {
    ...ref,
    image: z.string().min(1).describe('Image (the image column of `notebook_image_list`)'),
    cpu: quantity('CPU cores', '2'),
    memory: quantity('Memory', '8Gi'),
    storage: quantity('Workspace volume size', '20Gi'),
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
  description:
    'Replaces the YAML (Kubeflow Notebook manifest) of a notebook: image, resources, volumes. Pass it as ' +
    'YAML text or as an object.',
  toolset: 'notebook',
  kind: 'change',
  input: {
    ...ref,
    yaml: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .describe('The notebook manifest as YAML text (or an object, sent as YAML)'),
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
  'Starts a stopped notebook (its workspace volume is kept).',
  'is starting',
);

export const notebookStop = notebookAction(
  'notebook_stop',
  'Stop a notebook',
  '/core/deka-notebook/stop',
  'Stops a running notebook to stop paying for its CPU and GPUs; the workspace volume is kept.',
  'is stopping',
);

export const notebookDelete = changeTool({
  name: 'notebook_delete',
  title: 'Delete a notebook',
  description: 'Deletes a notebook and its workspace volume (asks the user to confirm).',
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
