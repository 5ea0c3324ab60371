import type { Column } from '@cloudmcp/format';
import type { z } from 'zod';
import type { Caller } from './caller.js';
import type { Logger } from './logger.js';

/** The four MCP tool annotations. All four are required so policy never has to guess. */
export interface ToolAnnotations {
  /** Reads only; allowed in `--read-only`. */
  readOnlyHint: boolean;
  /** May destroy or overwrite something; asks for confirmation and is dropped by `--disable-destructive`. */
  destructiveHint: boolean;
  /** Calling twice with the same input has no further effect. */
  idempotentHint: boolean;
  /** Talks to a world outside the server (every cloud tool does). */
  openWorldHint: boolean;
}

export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/** What a handler gets besides its parsed input. */
export interface ToolContext<D = unknown> {
  /** Aborted when the client cancels the call or the transport closes. */
  signal: AbortSignal;
  /** Sends a progress notification when the client asked for them; a no-op otherwise. */
  progress(update: ProgressUpdate): Promise<void>;
  log: Logger;
  /** The server's dependencies: its upstream client, config and so on. */
  deps: D;
  /** The name of the tool being called (for errors and logs). */
  toolName: string;
  /**
   * How the call arrived: `stdio` (a process serving one client) or `http` (one process, many users). State
   * a user chooses may live in the process only over stdio; over HTTP it travels with each request.
   */
  transport: Transport;
  /**
   * Over HTTP, who is calling as the transport authenticated them (a non-secret id, how, their scopes);
   * undefined on stdio, where the process serves the one user who started it.
   */
  caller?: Caller;
  /**
   * Applies the server's destructive policy to a step the handler found in its input (a generic tool's
   * deleting command): resolves when it may go ahead (the user agreed, or `--confirm never`); throws a
   * ToolError saying nothing changed when the user declines or the server refuses such steps. Only for
   * tools defined with `asksToConfirm`. Call it before changing anything.
   */
  confirmDestructive(what: string): Promise<void>;
}

export type Transport = 'stdio' | 'http';

/** How the toolkit turns a handler's output into the text a model reads. */
export type ToolRender<O> =
  | {
      kind: 'list';
      /** Columns a person would look at; `structuredContent` still carries every field. */
      columns: Column<ListItem<O>>[];
      /** Plural noun for footers: "VMs", "zones". */
      noun: string;
      /** How to narrow a listing that the token budget cuts, e.g. "filter by zone_id or state". */
      narrowHint?: string;
      /** Lines printed after the table: what the rows do not say (clusters that could not be asked…). */
      notes?: (output: O) => string[];
    }
  /** YAML (or --output) of the whole output, or of what `select` picks from it. */
  | { kind: 'object'; select?: (output: O) => unknown }
  /** Free text, for results that read best as a sentence. */
  | { kind: 'text'; text: (output: O) => string };

type ListItem<O> = O extends { items: Array<infer T> } ? T : never;

export type ZodShapeObject = z.ZodObject<z.ZodRawShape>;

export interface ToolDefinition<I extends ZodShapeObject, O extends ZodShapeObject, D> {
  /** snake_case `<noun>_<verb>`, unique in its server, at most 64 characters. */
  name: string;
  title: string;
  /** Written for a model: what it returns, when to use it, what to call next. */
  description: string;
  /** Group used by `--toolsets`. */
  toolset: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  render: ToolRender<z.output<O>>;
  /** For destructive tools: one line naming what will be changed, shown when asking for confirmation. */
  confirmMessage?: (input: z.output<I>) => string;
  /**
   * For a tool whose handler may find a destructive step in its input (a `kubectl` tool given `delete`):
   * the handler calls `ctx.confirmDestructive()` for that step, and the tool gets the `confirm` argument for
   * clients that cannot show a prompt. Such a tool may honestly carry `destructiveHint` (clients trust it)
   * without being confirmed on every call.
   */
  asksToConfirm?: boolean;
  /**
   * Offered over stdio only: the tool changes state this process keeps for its one client (Cloudeka's
   * `switch_environment`), which over HTTP would be every user's.
   */
  stdioOnly?: boolean;
  handler(input: z.output<I>, ctx: ToolContext<D>): Promise<z.input<O>>;
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds tools of every input and output type.
export type AnyTool<D = any> = ToolDefinition<ZodShapeObject, ZodShapeObject, D>;

const NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * Declares a tool once. Checks at definition time what a reviewer would otherwise have to: the name's
 * shape and length, a description, and that a destructive tool is not also marked read-only.
 */
export function defineTool<I extends ZodShapeObject, O extends ZodShapeObject, D = unknown>(
  def: ToolDefinition<I, O, D>,
): ToolDefinition<I, O, D> {
  if (!NAME.test(def.name) || def.name.length > 64) {
    throw new Error(`tool name "${def.name}" must be snake_case <noun>_<verb> of at most 64 characters`);
  }
  if (!def.description.trim() || !def.title.trim()) {
    throw new Error(`tool ${def.name} needs a title and a description`);
  }
  if (def.annotations.readOnlyHint && def.annotations.destructiveHint) {
    throw new Error(`tool ${def.name} cannot be both read-only and destructive`);
  }
  if ((def.annotations.destructiveHint || def.asksToConfirm) && 'confirm' in def.input.shape) {
    throw new Error(
      `tool ${def.name}: "confirm" is the confirmation argument of a confirming tool; rename the field`,
    );
  }
  for (const [field, schema] of Object.entries(def.input.shape)) {
    if (!(schema as z.ZodType).description) {
      throw new Error(
        `tool ${def.name}: input field "${field}" needs .describe() (zod 4: call it last, after .optional()/.default())`,
      );
    }
  }
  return def;
}

/**
 * The four annotation sets cloud tools need, so every server marks the same kind of tool the same way.
 * All are open-world (they talk to a cloud).
 */
export const ANNOTATIONS = {
  /** Reads only; kept in `--read-only`. */
  read: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  /** Creates something new on each call (a VM, a volume, an IP). */
  create: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  /** Changes something; a second identical call changes nothing more (start, attach, update). */
  change: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  /** Deletes, releases or overwrites; asks for confirmation. A second identical call changes nothing more. */
  destroy: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
} as const satisfies Record<string, ToolAnnotations>;
