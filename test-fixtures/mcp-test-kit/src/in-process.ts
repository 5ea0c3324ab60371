import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  type CreateMcpHandlerOptions,
  createMcpHandler,
  type McpHttpHandler,
  type McpServerFactory,
} from '@modelcontextprotocol/server';
import { type ClientSetup, type Connected, connectClient } from './client.js';

export interface InProcessOptions extends ClientSetup {
  /** Options of the SDK's handler, e.g. `maxRequestBodySize` (default 4 MiB, as over HTTP). */
  handler?: CreateMcpHandlerOptions;
}

export interface InProcess extends Connected {
  /** The handler serving the factory; closed with the client. */
  handler: McpHttpHandler;
}

/**
 * Serves a server factory through the SDK's own HTTP entry (`createMcpHandler`, both eras) and connects
 * the SDK client to it in this process: the client's fetch calls the handler, no socket is opened.
 * The legacy era is served statelessly there, so a server cannot push requests (elicitation) to it;
 * the modern era asks inside the call (`input_required`), which `elicit` answers.
 */
export async function connectInProcess(
  factory: McpServerFactory,
  setup: InProcessOptions = {},
): Promise<InProcess> {
  const handler = createMcpHandler(factory, setup.handler);
  const transport = new StreamableHTTPClientTransport(new URL('http://in-process.test/mcp'), {
    fetch: (url, init) => handler.fetch(new Request(url, init)),
  });
  try {
    const connected = await connectClient(transport, setup);
    return {
      ...connected,
      handler,
      async close() {
        await connected.close();
        await handler.close();
      },
    };
  } catch (error) {
    await handler.close();
    throw error;
  }
}
