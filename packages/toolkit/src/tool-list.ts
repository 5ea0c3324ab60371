import type { McpServer, Tool } from '@modelcontextprotocol/server';
import { toJSONSchema } from 'zod';
import type { AnyTool, ZodShapeObject } from './tool.js';

export interface ListedTool {
  tool: AnyTool;
  input: ZodShapeObject;
}

// The SDK converts every zod schema to JSON Schema on every tools/list (tens of milliseconds for a
// server of 30 tools), and a stateless HTTP server builds a new McpServer per request. The list cannot
// change while a process runs, so it is converted once per tool selection. The conversion is the SDK's
// own (zod's toJSONSchema, JSON Schema 2020-12, input/output io) less `$schema`; a test compares both.
const cache = new WeakMap<readonly ListedTool[], Tool[]>();

/** JSON Schema of a zod object as the SDK makes it, less the `$schema` URL every client ignores. */
function jsonSchema(schema: ZodShapeObject, io: 'input' | 'output') {
  const { $schema: _, ...rest } = toJSONSchema(schema, { target: 'draft-2020-12', io });
  return rest as Tool['inputSchema'];
}

function toolEntry({ tool, input }: ListedTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(input, 'input'),
    outputSchema: jsonSchema(tool.output, 'output'),
    annotations: { title: tool.title, ...tool.annotations },
  };
}

/**
 * Answers tools/list from a list computed once for this exact selection of tools. `afterList` runs once the
 * answer is on its way (the server's warm-up: a client lists the tools long before a model calls one).
 */
export function serveCachedToolList(
  server: McpServer,
  listed: readonly ListedTool[],
  afterList?: () => void,
): void {
  server.server.setRequestHandler('tools/list', () => {
    let tools = cache.get(listed);
    if (!tools) {
      tools = listed.map(toolEntry);
      cache.set(listed, tools);
    }
    if (afterList) setImmediate(afterList);
    return { tools };
  });
}
