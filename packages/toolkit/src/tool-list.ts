import type { McpServer, Tool } from '@modelcontextprotocol/server';
import { toJSONSchema } from 'zod';
import type { AnyTool, ZodShapeObject } from './tool.js';

export interface ListedTool {
  tool: AnyTool;
  input: ZodShapeObject;
}

// The SDK converts every zod schema to JSON Schema on every tools/list (tens of milliseconds for a
// server of 30 tools), and the output schema of a tool again on its first call, and a stateless HTTP server
// builds a new McpServer per request. Neither can change while a process runs, so the list is converted
// once per tool selection and each output schema once. The conversion is the SDK's own (zod's
// toJSONSchema, JSON Schema 2020-12, input/output io) less `$schema`; a test compares both.
const cache = new WeakMap<readonly ListedTool[], Tool[]>();
const outputs = new WeakMap<ZodShapeObject, Tool['inputSchema']>();

/** JSON Schema of a zod object as the SDK makes it, less the `$schema` URL every client ignores. */
function jsonSchema(schema: ZodShapeObject, io: 'input' | 'output') {
  const { $schema: _, ...rest } = toJSONSchema(schema, { target: 'draft-2020-12', io });
  return rest as Tool['inputSchema'];
}

/**
 * A tool's output schema as tools/list advertises it, converted once per process. The server hands it to
 * the SDK too, which checks and shapes each call's result against the schema the client was given.
 */
export function outputSchemaJson(tool: AnyTool): Tool['inputSchema'] {
  let json = outputs.get(tool.output);
  if (!json) {
    json = jsonSchema(tool.output, 'output');
    outputs.set(tool.output, json);
  }
  return json;
}

function toolEntry({ tool, input }: ListedTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(input, 'input'),
    outputSchema: outputSchemaJson(tool),
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
