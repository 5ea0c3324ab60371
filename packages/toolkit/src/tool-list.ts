import type { McpServer, Tool } from '@modelcontextprotocol/server';
import { outputSchemaOf } from './output-schema.js';
import { portableInputSchema } from './portable-schema.js';
import type { AnyTool, ZodShapeObject } from './tool.js';

export interface ListedTool {
  tool: AnyTool;
  input: ZodShapeObject;
}

// The SDK converts every zod schema to JSON Schema on every tools/list (tens of milliseconds for a
// server of 30 tools), and a stateless HTTP server builds a new McpServer per request. Nothing listed can
// change while a process runs, so the list is converted once per tool selection (a selection changes only
// when a stdio client enables a toolset) and each output schema once. Input schemas are zod's conversion
// made portable (portable-schema.ts); output schemas are compact (output-schema.ts).
const cache = new WeakMap<readonly ListedTool[], Tool[]>();

function toolEntry({ tool, input }: ListedTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: portableInputSchema(input),
    outputSchema: outputSchemaOf(tool).json,
    annotations: { title: tool.title, ...tool.annotations },
  };
}

/**
 * Answers tools/list from a list computed once for each selection of tools (the selection changes only when
 * a stdio client enables a toolset). `afterList` runs once the
 * answer is on its way (the server's warm-up: a client lists the tools long before a model calls one).
 */
export function serveCachedToolList(
  server: McpServer,
  selection: () => readonly ListedTool[],
  afterList?: () => void,
): void {
  server.server.setRequestHandler('tools/list', () => {
    const listed = selection();
    let tools = cache.get(listed);
    if (!tools) {
      tools = listed.map(toolEntry);
      cache.set(listed, tools);
    }
    if (afterList) setImmediate(afterList);
    return { tools };
  });
}
