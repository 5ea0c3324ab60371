import { type OidcIssuer, startOidcIssuer } from 'sim-kit';
import { z } from 'zod';
import {
  ANNOTATIONS,
  createLogger,
  defineTool,
  type HttpHandle,
  type HttpServeOptions,
  type OAuthSettings,
  oauthSettingsFrom,
} from '../src/index.js';
import { echo, serveTools, TOKEN } from './http-kit.js';

// What the OAuth tests share: the local issuer (sim-kit) with a reading and a writing client, a server of
// a reading, a writing and a destructive tool that says who called, its log lines, and the requests of both
// protocol eras with a bearer token.

export const AUDIENCE = 'https://mcp.example.com/mcp';
export const METADATA_URL = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';

export const CLIENTS = {
  reader: { secret: 'reader-secret-0123', scopes: ['mcp:read'], subject: 'bob' },
  writer: {
    secret: 'writer-secret-0123',
    scopes: ['mcp:read', 'mcp:write'],
    subject: 'alice',
    groups: ['ops'],
  },
};

export const created: string[] = [];
export const deleted: string[] = [];

const callerOutput = z.object({
  method: z.string(),
  subject: z.string().optional(),
  scopes: z.array(z.string()),
  clientId: z.string().optional(),
  groups: z.array(z.string()).optional(),
  missingWriteScope: z.string().optional(),
});

export const whoami = defineTool({
  name: 'whoami_get',
  title: 'Who am I',
  description: 'Says who the transport authenticated, and logs a line.',
  toolset: 'things',
  input: z.object({}),
  output: callerOutput,
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(_input, ctx) {
    ctx.log.info('looked at the caller');
    const caller = ctx.caller;
    if (!caller) return { method: 'stdio', scopes: [] };
    return {
      method: caller.method,
      scopes: [...caller.scopes],
      ...(caller.subject ? { subject: caller.subject } : {}),
      ...(caller.clientId ? { clientId: caller.clientId } : {}),
      ...(caller.groups ? { groups: [...caller.groups] } : {}),
      ...(caller.missingWriteScope ? { missingWriteScope: caller.missingWriteScope } : {}),
    };
  },
});

export const thingCreate = defineTool({
  name: 'thing_create',
  title: 'Create a thing',
  description: 'Creates a thing.',
  toolset: 'things',
  input: z.object({ name: z.string().describe('Its name') }),
  output: z.object({ created: z.string() }),
  annotations: ANNOTATIONS.create,
  render: { kind: 'text', text: (o) => `created ${o.created}` },
  async handler(input) {
    created.push(input.name);
    return { created: input.name };
  },
});

export const thingDelete = defineTool({
  name: 'thing_delete',
  title: 'Delete a thing',
  description: 'Deletes a thing.',
  toolset: 'things',
  input: z.object({ name: z.string().describe('Its name') }),
  output: z.object({ deleted: z.string() }),
  annotations: ANNOTATIONS.destroy,
  confirmMessage: (input) => `Delete thing ${input.name}`,
  render: { kind: 'text', text: (o) => `deleted ${o.deleted}` },
  async handler(input) {
    deleted.push(input.name);
    return { deleted: input.name };
  },
});

export const TOOLS = [echo, whoami, thingCreate, thingDelete];

export function startIssuer(options: Parameters<typeof startOidcIssuer>[0] = {}): Promise<OidcIssuer> {
  return startOidcIssuer({ clients: CLIENTS, ...options });
}

/** The settings the CLI would make of --oauth-issuer and --oauth-audience, with overrides for tests. */
export function settingsFor(issuer: string, overrides: Partial<OAuthSettings> = {}): OAuthSettings {
  return { ...oauthSettingsFrom({ oauthIssuer: issuer, oauthAudience: AUDIENCE })!, ...overrides };
}

export interface OAuthServer {
  handle: HttpHandle;
  /** Every line logged so far (JSON). */
  lines: string[];
}

/** The kit's tools over HTTP with OAuth (and the static token beside it), logging JSON into `lines`. */
export async function serveOAuth(
  settings: OAuthSettings,
  options: Partial<HttpServeOptions> = {},
): Promise<OAuthServer> {
  const lines: string[] = [];
  const logger = createLogger({ name: 'srv', level: 'info', format: 'json', write: (l) => lines.push(l) });
  const handle = await serveTools(TOOLS, { oauth: settings, token: TOKEN, logger, ...options });
  return { handle, lines };
}

/** A token the issuer grants `client` by client_credentials for AUDIENCE (as the SDK client asks for it). */
export async function grant(
  issuer: OidcIssuer,
  client: keyof typeof CLIENTS,
  scope?: string,
): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', resource: AUDIENCE });
  if (scope) form.set('scope', scope);
  const res = await fetch(issuer.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client}:${CLIENTS[client].secret}`).toString('base64')}`,
    },
    body: form,
  });
  if (res.status !== 200) throw new Error(`token request: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface RpcResponse {
  status: number;
  headers: Headers;
  result?: Record<string, unknown> & {
    isError?: boolean;
    content?: Array<{ text: string }>;
    structuredContent?: Record<string, unknown>;
    tools?: Array<{ name: string }>;
    resultType?: string;
    requestState?: string;
  };
  error?: { code: number; message: string };
  text: string;
}

export interface RpcOptions {
  token?: string;
  /** `modern`: the 2026-07-28 wire (a `_meta` envelope, Mcp-Method); `legacy`: a stateless 2025 POST. */
  era?: 'modern' | 'legacy';
  state?: string;
  accept?: boolean;
  headers?: Record<string, string>;
}

let nextId = 1;

/** One JSON-RPC request to /mcp, as a client of that era sends it; the answer from JSON or SSE. */
export async function rpc(
  handle: HttpHandle,
  method: string,
  params: Record<string, unknown> = {},
  options: RpcOptions = {},
): Promise<RpcResponse> {
  const modern = (options.era ?? 'modern') === 'modern';
  const body: Record<string, unknown> = { ...params };
  if (modern) {
    body['_meta'] = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
    };
  }
  if (options.state !== undefined) body['requestState'] = options.state;
  if (options.accept) body['inputResponses'] = { confirm: { action: 'accept', content: { confirm: true } } };
  const response = await fetch(handle.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': modern ? '2026-07-28' : '2025-06-18',
      ...(modern ? { 'mcp-method': method } : {}),
      ...(modern && typeof params['name'] === 'string' ? { 'mcp-name': params['name'] } : {}),
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params: body }),
  });
  const raw = await response.text();
  const events = [...raw.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  const answer = (events.find((e) => 'result' in e || 'error' in e) ??
    (raw.startsWith('{') ? JSON.parse(raw) : {})) as Pick<RpcResponse, 'result' | 'error'>;
  return {
    status: response.status,
    headers: response.headers,
    ...answer,
    text: answer.result?.content?.[0]?.text ?? '',
  };
}

export const callTool = (
  handle: HttpHandle,
  name: string,
  args: Record<string, unknown>,
  options: RpcOptions = {},
) => rpc(handle, 'tools/call', { name, arguments: args }, options);

export async function toolNames(handle: HttpHandle, options: RpcOptions = {}): Promise<string[]> {
  const listed = await rpc(handle, 'tools/list', {}, options);
  return (listed.result?.tools ?? []).map((tool) => tool.name);
}
