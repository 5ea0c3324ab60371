import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, InMemoryTransport } from '@modelcontextprotocol/server';
import {
  createLogger,
  createToolServer,
  DEFAULT_POLICY,
  type Policy,
  type ServerSpec,
  type StateSeal,
} from '../src/index.js';

/**
 * How the client reaches the server:
 * - `session`: a 2025-era connection that carries server→client requests, like stdio (in memory);
 * - `legacy-http`: a 2025-era client over stateless HTTP (a fresh server per request, nothing pushed);
 * - `modern`: protocol revision 2026-07-28 over HTTP (per request, multi round-trip input).
 */
export type Via = 'session' | 'legacy-http' | 'modern';
export const VIAS: readonly Via[] = ['session', 'legacy-http', 'modern'];

export interface ConnectOptions {
  /** The client answers elicitation prompts so; omit: it cannot elicit. */
  elicit?: 'accept' | 'decline';
  maxTokens?: number;
  via?: Via;
  seal?: StateSeal;
}

/** A tool server on `deps` and an SDK v2 client connected to it in process; `asked` collects elicitation prompts. */
export async function connectServer<D>(
  spec: ServerSpec<D>,
  deps: D,
  policy: Partial<Policy> = {},
  opts: ConnectOptions = {},
) {
  const factory = createToolServer(spec, {
    deps,
    policy: { ...DEFAULT_POLICY, ...policy },
    render: { maxTokens: opts.maxTokens ?? 20_000, allowSecrets: false },
    logger: createLogger({ name: 'test', level: 'info', write: () => {} }),
    ...(opts.seal ? { seal: opts.seal } : {}),
  });
  const via = opts.via ?? 'modern';
  const client = new Client(
    { name: 't', version: '1' },
    {
      capabilities: opts.elicit ? { elicitation: {} } : {},
      ...(via === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
    },
  );
  const asked: string[] = [];
  if (opts.elicit) {
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(req.params.message);
      return opts.elicit === 'accept'
        ? { action: 'accept', content: { confirm: true } }
        : { action: 'decline' };
    });
  }
  if (via === 'session') {
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([factory().connect(a), client.connect(b)]);
  } else {
    const handler = createMcpHandler(factory);
    const fetch = (url: string | URL, init?: RequestInit) => handler.fetch(new Request(url, init));
    await client.connect(new StreamableHTTPClientTransport(new URL('http://test.local/mcp'), { fetch }));
  }
  return { client, asked, factory };
}
