import {
  type CallToolRequestOptions,
  type CallToolResult,
  Client,
  type ClientOptions,
  LOG_LEVEL_META_KEY,
  type LoggingLevel,
  type LoggingMessageNotificationParams,
  type Transport,
} from '@modelcontextprotocol/client';
import { defaultEra, type Era, eraOf, MODERN_REVISION } from './era.js';

/** How a test client connects and what it can do, in every transport. */
export interface ClientSetup {
  /** The protocol era to connect on (default: `defaultEra()`); `modern` pins 2026-07-28. */
  era?: Era;
  /** Answer elicitation requests (see `ElicitAnswer`). Omit: the client cannot elicit. */
  elicit?: ElicitAnswer;
  /** Ask for log notifications from this level up and collect them in `logs`. Omit: none asked for. */
  logLevel?: LoggingLevel;
  /** The client's name (default `e2e`). */
  clientName?: string;
  /** List the tools after connecting, as real hosts do (default true). */
  listTools?: boolean;
}

/**
 * How the test client answers a confirmation: accept (`confirm: true`), decline, or `malformed`: accept with
 * content that does not fit the form (`confirm: "yes"`), which the server must refuse.
 */
export type ElicitAnswer = 'accept' | 'decline' | 'malformed';

/** A connected test client. */
export interface Connected {
  client: Client;
  /** The era the connection landed on. */
  era: Era;
  /** Every log notification the server sent (asked for with `logLevel`). */
  logs: LoggingMessageNotificationParams[];
  close: () => Promise<void>;
}

/**
 * The SDK client, asking for log notifications on every tool call when given a level: the 2026-07-28
 * revision has no `logging/setLevel`, the level travels in each request's `_meta`, and a request without
 * it gets no logs at all.
 */
class TestClient extends Client {
  private readonly logLevel: LoggingLevel | undefined;

  constructor(setup: ClientSetup) {
    const era = setup.era ?? defaultEra();
    const options: ClientOptions = {
      capabilities: setup.elicit ? { elicitation: {} } : {},
      ...(era === 'modern' ? { versionNegotiation: { mode: { pin: MODERN_REVISION } } } : {}),
    };
    super({ name: setup.clientName ?? 'e2e', version: '1.0.0' }, options);
    this.logLevel = setup.logLevel;
  }

  override callTool(
    params: Parameters<Client['callTool']>[0],
    options?: CallToolRequestOptions,
  ): Promise<CallToolResult> {
    if (this.logLevel === undefined || this.getProtocolEra() !== 'modern')
      return super.callTool(params, options);
    return super.callTool(
      { ...params, _meta: { ...params._meta, [LOG_LEVEL_META_KEY]: this.logLevel } },
      options,
    );
  }
}

/**
 * Connects a client set up as asked over `transport`: on `modern` it pins 2026-07-28 (a server that does
 * not offer it fails the connect), elicitation is answered in both eras (pushed on legacy, fulfilled inside
 * the call on modern), and asked-for logs are collected.
 */
export async function connectClient(transport: Transport, setup: ClientSetup = {}): Promise<Connected> {
  const client = new TestClient(setup);
  if (setup.elicit) {
    const answer = setup.elicit;
    client.setRequestHandler('elicitation/create', async () =>
      answer === 'decline'
        ? { action: 'decline' }
        : { action: 'accept', content: { confirm: answer === 'accept' ? true : 'yes' } },
    );
  }
  const logs: LoggingMessageNotificationParams[] = [];
  if (setup.logLevel) client.setNotificationHandler('notifications/message', (n) => void logs.push(n.params));
  try {
    await client.connect(transport);
    const era = eraOf(client);
    if (setup.logLevel && era === 'legacy') await client.setLoggingLevel(setup.logLevel);
    // As real hosts do: after this the SDK client validates every result against the tool's output schema.
    if (setup.listTools ?? true) await client.listTools();
    return { client, era, logs, close: () => client.close() };
  } catch (error) {
    await client.close().catch(() => {}); // a spawned server must not outlive a failed connect
    throw error;
  }
}
