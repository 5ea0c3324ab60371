import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  createLogger,
  createToolServer,
  DEFAULT_POLICY,
  type Policy,
  type ServerSpec,
} from '../src/index.js';

export interface ConnectOptions {
  /** The client answers elicitation prompts so; omit: it cannot elicit. */
  elicit?: 'accept' | 'decline';
  maxTokens?: number;
}

/** A tool server on `deps` and an SDK client connected to it in memory; `asked` collects elicitation prompts. */
export async function connectServer<D>(
  spec: ServerSpec<D>,
  deps: D,
  policy: Partial<Policy> = {},
  opts: ConnectOptions = {},
) {
  const server = createToolServer(spec, {
    deps,
    policy: { ...DEFAULT_POLICY, ...policy },
    render: { maxTokens: opts.maxTokens ?? 20_000, allowSecrets: false },
    logger: createLogger({ name: 'test', level: 'info', write: () => {} }),
  });
  const client = new Client(
    { name: 't', version: '1' },
    { capabilities: opts.elicit ? { elicitation: {} } : {} },
  );
  const asked: string[] = [];
  if (opts.elicit) {
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params.message);
      return opts.elicit === 'accept'
        ? { action: 'accept', content: { confirm: true } }
        : { action: 'decline' };
    });
  }
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(a), client.connect(b)]);
  return { client, asked };
}
