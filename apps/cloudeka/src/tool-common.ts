import type { Column } from '@cloudmcp/format';
import { pruneEmpty, renderYaml } from '@cloudmcp/format';
import {
  ANNOTATIONS,
  type AnyTool,
  badInput,
  cursorOffset,
  defineTool,
  nonEmptyText,
  page,
  pageInput,
  pageOutput,
  type ToolAnnotations,
  type ToolContext,
} from '@cloudmcp/toolkit';
import * as z from 'zod';
import type { ApiAnswer, ApiRequest } from './client/client.js';
import type { CloudekaDeps } from './deps.js';

/** The context every Cloudeka tool handler receives. */
export type Ctx = ToolContext<CloudekaDeps>;

export type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------
// Inputs shared by many tools, described once and tersely: every tools/list pays for each word. The server
// instructions say that project_id defaults to CLDKCTL_DEFAULT_PROJECT_ID.

// for this server's tool files: an id that may not be empty, checked but not advertised (toolkit)
export { nonEmptyText };

export const projectIdInput = nonEmptyText().optional().describe('Project id');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A namespace goes into request paths: checked as a DNS label (not advertised; a model knows the form). */
export const namespaceInput = z
  .string()
  .max(63)
  .refine((value) => DNS_LABEL.test(value), 'a Kubernetes namespace name (lower case, digits, dashes)')
  .describe('Namespace');

/** The id of one object: `idInput('Registry id')`. */
export const idInput = (what: string) => nonEmptyText().describe(what);

/** `project_id` from the input, else CLDKCTL_DEFAULT_PROJECT_ID, else an error naming both. */
export function projectId(ctx: Ctx, value: string | undefined): string {
  const id = value ?? ctx.deps.defaultProjectId;
  if (!id) {
    throw badInput(
      'project_id',
      'required: pass `project_id` or set CLDKCTL_DEFAULT_PROJECT_ID',
      'list projects with `project_list`',
    );
  }
  return id;
}

/** Sends one request with the call's signal. */
export function send(ctx: Ctx, req: ApiRequest): Promise<ApiAnswer> {
  return ctx.deps.client.request({ ...req, signal: ctx.signal });
}

// ---------------------------------------------------------------------------------------------------------
// Tolerant reading of `data`

const LIST_KEYS = ['items', 'list', 'data', 'rows', 'results', 'records', 'content'];

/** The items of a list answer: `data` itself, or the array under `items`, `list`, `data` … Strings become `{name}`. */
export function asList(data: unknown, key?: string): Obj[] {
  let list: unknown[] | undefined;
  if (Array.isArray(data)) list = data;
  else if (isObject(data)) {
    if (key && Array.isArray(data[key])) list = data[key] as unknown[];
    for (const k of LIST_KEYS) {
      if (list) break;
      if (Array.isArray(data[k])) list = data[k] as unknown[];
      else if (isObject(data[k])) {
        const inner = data[k] as Obj;
        const found = LIST_KEYS.find((ik) => Array.isArray(inner[ik]));
        if (found) list = inner[found] as unknown[];
      }
    }
    list ??= Object.values(data).find(Array.isArray) as unknown[] | undefined;
  }
  return (list ?? []).map((item) =>
    isObject(item) ? item : { name: typeof item === 'string' ? item : JSON.stringify(item) },
  );
}

/** The object of a detail answer: `data` itself, or the only item of a one-item list. */
export function asObject(data: unknown): Obj {
  if (isObject(data)) return data;
  if (Array.isArray(data) && data.length === 1 && isObject(data[0])) return data[0];
  if (data === undefined || data === null) return {};
  return { value: data };
}

/** The first of `names` that the row has (Cloudeka spells fields differently across services). */
export function field(row: Obj, ...names: string[]): unknown {
  for (const name of names) {
    const value = name.includes('.')
      ? name.split('.').reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), row)
      : row[name];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Loose output schemas: the fields tools rely on are named, everything else passes through.

export const anyId = z.union([z.string(), z.number()]).nullish();
export const text = z.string().nullish();
export const num = z.number().nullish();

/** A loose object schema with the given known fields (all optional). */
export function loose(fields: Record<string, z.ZodType>, description: string) {
  return z.looseObject(fields).describe(description);
}

// ---------------------------------------------------------------------------------------------------------
// Tool factories: most Cloudeka tools are one request, shaped as a list, an object or a change.

type Shape = z.ZodRawShape;
type In<S extends Shape> = z.output<z.ZodObject<S>>;

interface Base<S extends Shape> {
  name: string;
  title: string;
  description: string;
  toolset: string;
  input: S;
}

export interface ListSpec<S extends Shape> extends Base<S> {
  item: z.ZodType<Obj>;
  noun: string;
  columns: Column<Obj>[];
  narrowHint?: string;
  /** The request; may send several and merge (return the items). */
  request: (input: In<S>, ctx: Ctx) => ApiRequest;
  /** Key of the items when `data` is an object holding several arrays. */
  itemsKey?: string;
  /** Filters or reshapes the items before paging. */
  filter?: (items: Obj[], input: In<S>) => Obj[];
  maxLimit?: number;
}

/** A read-only list: one request, items read tolerantly, paged here with `limit`/`cursor`, a table. */
export function listTool<S extends Shape>(spec: ListSpec<S>): AnyTool<CloudekaDeps> {
  const max = spec.maxLimit ?? 500;
  const input = z.object({ ...spec.input, ...pageInput({ defaultLimit: 100, maxLimit: max }) });
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: spec.toolset,
    input,
    output: z.object(pageOutput(spec.item)),
    annotations: ANNOTATIONS.read,
    render: {
      kind: 'list',
      noun: spec.noun,
      columns: spec.columns,
      ...(spec.narrowHint ? { narrowHint: spec.narrowHint } : {}),
    },
    async handler(args, ctx: Ctx) {
      const input = args as In<S> & { limit: number; cursor?: string };
      const offset = cursorOffset(input.cursor);
      const answer = await send(ctx, spec.request(input, ctx));
      let items = asList(answer.data, spec.itemsKey);
      if (spec.filter) items = spec.filter(items, input);
      return page(items.slice(offset, offset + input.limit), { offset, total: items.length }) as never;
    },
  }) as unknown as AnyTool<CloudekaDeps>;
}

export interface GetSpec<S extends Shape> extends Base<S> {
  /** Key of the object in the output: `project`, `vm`. */
  key: string;
  schema: z.ZodType<Obj>;
  request: (input: In<S>, ctx: Ctx) => ApiRequest;
  /** Several requests whose objects are merged (e.g. a registry and its overview). */
  extra?: (input: In<S>, ctx: Ctx) => Array<{ key: string; request: ApiRequest }>;
}

/** A read-only detail: one request (plus optional extras), YAML of the object. */
export function getTool<S extends Shape>(spec: GetSpec<S>): AnyTool<CloudekaDeps> {
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: spec.toolset,
    input: z.object(spec.input),
    // Extra answers (e.g. a registry's overview) sit next to the main object under their own keys.
    output: z.looseObject({ [spec.key]: spec.schema }),
    annotations: ANNOTATIONS.read,
    render: { kind: 'object', select: (out: Obj) => (spec.extra ? out : out[spec.key]) },
    async handler(args, ctx: Ctx) {
      const input = args as In<S>;
      const more = spec.extra?.(input, ctx) ?? [];
      const [main, ...rest] = await Promise.all([
        send(ctx, spec.request(input, ctx)),
        ...more.map((m) => send(ctx, m.request)),
      ]);
      const out: Obj = { [spec.key]: asObject(main!.data) };
      for (const [i, m] of more.entries()) out[m.key] = rest[i]!.data;
      return out as never;
    },
  }) as unknown as AnyTool<CloudekaDeps>;
}

export type ChangeKind = 'create' | 'change' | 'destroy';

export interface ChangeSpec<S extends Shape> extends Base<S> {
  kind: ChangeKind;
  /** Overrides the annotations of `kind` (e.g. a non-idempotent change). */
  annotations?: Partial<ToolAnnotations>;
  request: (input: In<S>, ctx: Ctx) => ApiRequest;
  /** One sentence: what was done ("VM 1234 is turning off"). */
  done: (input: In<S>, ctx: Ctx) => string;
  /** For destructive tools: one line naming what will be changed. */
  confirm?: (input: In<S>) => string;
  /** Key and schema of what the answer's `data` is (the created or changed object). */
  result?: { key: string; schema: z.ZodType<Obj> };
}

const ANNOTATION_OF: Record<ChangeKind, ToolAnnotations> = {
  create: ANNOTATIONS.create,
  change: ANNOTATIONS.change,
  destroy: ANNOTATIONS.destroy,
};

/** A change (create, update, action, delete): one request; a sentence plus YAML of what Cloudeka answered. */
export function changeTool<S extends Shape>(spec: ChangeSpec<S>): AnyTool<CloudekaDeps> {
  const key = spec.result?.key ?? 'result';
  const resultSchema = spec.result?.schema ?? z.unknown();
  const output = z.object({
    done: z.string().describe('What was done'),
    message: z.string().optional().describe('Cloudeka’s own message'),
    [key]: resultSchema.optional().describe('What Cloudeka answered with (the created or changed object)'),
  });
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    toolset: spec.toolset,
    input: z.object(spec.input),
    output,
    annotations: { ...ANNOTATION_OF[spec.kind], ...spec.annotations },
    render: { kind: 'text', text: (out: Obj) => changeText(out, key) },
    ...(spec.confirm ? { confirmMessage: (input: Obj) => spec.confirm!(input as In<S>) } : {}),
    async handler(args, ctx: Ctx) {
      const input = args as In<S>;
      const answer = await send(ctx, spec.request(input, ctx));
      const data = answer.data;
      const result = spec.result ? (data === undefined ? undefined : asObject(data)) : data;
      return {
        done: spec.done(input, ctx),
        ...(answer.message ? { message: answer.message } : {}),
        ...(result !== undefined && result !== null ? { [key]: result } : {}),
      } as never;
    },
  }) as unknown as AnyTool<CloudekaDeps>;
}

/** Cloudeka's message when it says more than "Success". */
export function noteworthy(message: unknown): string | undefined {
  if (typeof message !== 'string' || !message.trim()) return undefined;
  return /^(ok|success(ful(ly)?)?\.?)$/i.test(message.trim()) ? undefined : message;
}

/** `done` (and Cloudeka's message when it says more than "Success"), then YAML of the answer. */
export function changeText(out: Obj, key: string): string {
  const message = noteworthy(out['message']);
  const lines = [String(out['done'])];
  if (message) lines.push(`Cloudeka: ${message}`);
  const result = pruneEmpty(out[key]);
  if (result !== undefined && !(isObject(result) && Object.keys(result).length === 0)) {
    lines.push(renderYaml(result).trimEnd());
  }
  return lines.join('\n');
}
