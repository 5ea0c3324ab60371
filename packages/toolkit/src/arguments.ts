import * as z from 'zod';
import { invalidInputText, ToolError } from './errors.js';
import type { ZodShapeObject } from './tool.js';

// A call's arguments are untrusted: a model's typo, or anything an HTTP tenant sends. They are parsed here
// against the tool's strict input (strict-input.ts) rather than by the SDK, so every bad argument is
// reported the same way (an error result naming the field) whatever the SDK version does. Names from the
// request are echoed shortened, and only the first few problems are listed.

const MAX_PROBLEMS = 5;
const MAX_KEYS = 5;

type Def = { type: string } & Record<string, unknown>;
type Issue = z.core.$ZodIssue;

const defOf = (node: z.ZodType) => node._zod.def as unknown as Def;

const shorten = (name: string) => (name.length > 64 ? `${name.slice(0, 61)}...` : name);

/** `items[0].name`: where an issue points, as a model would write it. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => {
    if (typeof key === 'number') return `${name}[${key}]`;
    return name ? `${name}.${shorten(String(key))}` : shorten(String(key));
  }, '');
}

/** Through optional, nullable, default and pipes to the schema that does the checking. */
function unwrap(node: z.ZodType): z.ZodType {
  for (;;) {
    const def = defOf(node);
    const inner = def['innerType'] ?? (def.type === 'pipe' ? def['in'] : undefined);
    if (!(inner instanceof z.ZodType)) return node;
    node = inner;
  }
}

/** The field names of the object schema at `path`, when there is one (not through unions or tuples). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let node = unwrap(schema);
  for (const key of path) {
    const def = defOf(node);
    const shape = def['shape'] as Record<string, z.ZodType> | undefined;
    const next =
      def.type === 'object' && shape && Object.hasOwn(shape, key)
        ? shape[key as string]
        : def.type === 'array'
          ? def['element']
          : def.type === 'record'
            ? def['valueType']
            : undefined;
    if (!(next instanceof z.ZodType)) return undefined;
    node = unwrap(next);
  }
  const def = defOf(node);
  return def.type === 'object' ? Object.keys(def['shape'] as object) : undefined;
}

function unknownKeys(issue: Issue & { code: 'unrecognized_keys' }, toolName: string, schema: z.ZodType) {
  const nested = issue.path.length > 0;
  const [one, many] = nested ? ['a field', 'fields'] : ['an argument', 'arguments'];
  const owner = nested ? `\`${fieldName(issue.path)}\`` : toolName;
  const known = keysAt(schema, issue.path);
  const fields = issue.keys.slice(0, MAX_KEYS).map((key) => fieldName([...issue.path, key]));
  const more = issue.keys.length > MAX_KEYS ? ` (and ${issue.keys.length - MAX_KEYS} more)` : '';
  const problem = `not ${issue.keys.length > 1 ? many : one} of ${owner}`;
  const listed =
    known === undefined ? '' : known.length ? `; its ${many} are ${known.join(', ')}` : `; it has no ${many}`;
  return invalidInputText(fields, `${problem}${more}${listed}`);
}

function otherProblem(issue: Issue): string {
  return invalidInputText(
    fieldName(issue.path) || '(arguments)',
    issue.message.replace(/^Invalid input: /, ''),
  );
}

/**
 * Parses a call's arguments against the tool's strict input: the parsed input (defaults applied), or a
 * ToolError naming every bad field, unknown ones with the names the tool does take.
 */
export function parseArguments(
  toolName: string,
  schema: ZodShapeObject,
  args: unknown,
): Record<string, unknown> | ToolError {
  const result = schema.safeParse(args ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues;
  const sentences = issues
    .slice(0, MAX_PROBLEMS)
    .map((issue) =>
      issue.code === 'unrecognized_keys' ? unknownKeys(issue, toolName, schema) : otherProblem(issue),
    );
  if (issues.length > MAX_PROBLEMS) sentences.push(`${issues.length - MAX_PROBLEMS} more problems`);
  const hasUnknown = issues.some((issue) => issue.code === 'unrecognized_keys');
  return new ToolError(
    sentences.join('. '),
    hasUnknown ? { next: `Call ${toolName} again with only the names it takes (check the spelling).` } : {},
  );
}
