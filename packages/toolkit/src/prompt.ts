import type { z } from 'zod';

/** A prompt template a client can offer its user (e.g. "troubleshoot a workload"). */
export interface PromptDefinition<A extends z.ZodRawShape = z.ZodRawShape> {
  /** snake_case, unique in its server. */
  name: string;
  title: string;
  /** What the prompt is for, shown to the user choosing it. */
  description: string;
  /** Prompt arguments: strings only (MCP prompt arguments are strings), each `.describe()`d. */
  args: A;
  /** The message the assistant receives: an instruction naming the tools to use, in order. */
  text(args: z.output<z.ZodObject<A>>): string;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds prompts of every argument shape.
export type AnyPrompt = PromptDefinition<any>;

const NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Declares a prompt once; checks the name and that every argument is described. */
export function definePrompt<A extends z.ZodRawShape>(def: PromptDefinition<A>): PromptDefinition<A> {
  if (!NAME.test(def.name)) throw new Error(`prompt name "${def.name}" must be snake_case`);
  for (const [field, schema] of Object.entries(def.args)) {
    if (!(schema as z.ZodType).description)
      throw new Error(`prompt ${def.name}: argument "${field}" needs .describe()`);
  }
  return def;
}
