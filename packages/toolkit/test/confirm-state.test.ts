// Issue 8: a destructive call over 2026-07-28 HTTP is confirmed by a multi round-trip request whose
// requestState the client holds. The client (or whoever sits between it and us) is untrusted: these tests
// speak the wire themselves and try what a hostile client would — forging, replaying, moving a confirmation
// to other arguments or another caller, answering without being asked, waiting past the expiry.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ANNOTATIONS,
  createLogger,
  createStateSeal,
  createToolServer,
  DEFAULT_POLICY,
  DEFAULT_RENDER,
  defineTool,
  type HttpHandle,
  serveHttp,
} from '../src/index.js';

const TOKEN = 'state-test-token-0123456789';
const deleted: string[] = [];

const rowDelete = defineTool({
  name: 'row_delete',
  title: 'Delete a row',
  description: 'Deletes a row.',
  toolset: 'rows',
  input: z.object({ id: z.string().describe('Row id') }),
  output: z.object({ deleted: z.string() }),
  annotations: ANNOTATIONS.destroy,
  confirmMessage: (input) => `Delete row ${input.id}`,
  render: { kind: 'text', text: (o) => `deleted ${o.deleted}` },
  async handler(input) {
    deleted.push(input.id);
    return { deleted: input.id };
  },
});

// The same question for every id: only the arguments' digest in the state tells two calls apart.
const rowPurge = defineTool({
  ...rowDelete,
  name: 'row_purge',
  title: 'Purge a row',
  confirmMessage: undefined,
});

let handle: HttpHandle;
const logger = createLogger({ name: 't', level: 'error', write: () => {} });

beforeAll(async () => {
  handle = await serveHttp({
    listen: { host: '127.0.0.1', port: 0 },
    token: TOKEN,
    logger,
    factory: createToolServer(
      { name: 'rows', version: '1', tools: [rowDelete, rowPurge] },
      {
        deps: {},
        policy: DEFAULT_POLICY,
        render: DEFAULT_RENDER,
        logger,
        seal: createStateSeal({ ttlSeconds: 60 }),
      },
    ),
    callerHeaders: ['x-tenant'],
  });
});
afterAll(() => handle.close());
afterEach(() => {
  deleted.length = 0;
  vi.useRealTimers();
});

const ELICIT = { elicitation: {} };
let nextId = 1;

interface CallOptions {
  tool?: string;
  args?: Record<string, unknown>;
  state?: string;
  answer?: 'accept' | 'decline';
  capabilities?: Record<string, unknown>;
  tenant?: string;
}

/** One `tools/call` on the 2026-07-28 wire, as a client would send it. */
async function call(opts: CallOptions = {}) {
  const params: Record<string, unknown> = {
    name: opts.tool ?? 'row_delete',
    arguments: opts.args ?? { id: 'r1' },
    _meta: {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': opts.capabilities ?? ELICIT,
    },
  };
  if (opts.state !== undefined) params['requestState'] = opts.state;
  if (opts.answer) {
    params['inputResponses'] = {
      confirm:
        opts.answer === 'accept' ? { action: 'accept', content: { confirm: true } } : { action: 'decline' },
    };
  }
  const response = await fetch(handle.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': opts.tool ?? 'row_delete',
      ...(opts.tenant ? { 'x-tenant': opts.tenant } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params }),
  });
  const body = (await response.json()) as {
    result?: {
      resultType?: string;
      requestState?: string;
      inputRequests?: Record<string, { params: { message: string } }>;
      isError?: boolean;
      content?: Array<{ text: string }>;
    };
    error?: { code: number; message: string };
  };
  return { ...body, status: response.status, text: body.result?.content?.[0]?.text ?? '' };
}

async function ask(opts: CallOptions = {}): Promise<string> {
  const first = await call(opts);
  expect(first.result?.resultType).toBe('input_required');
  return first.result!.requestState!;
}

describe('confirmation over 2026-07-28 HTTP: sealed, bound, single-use requestState', () => {
  it('asks first, with state that names no secret, and runs once the user accepts', async () => {
    const first = await call();
    expect(first.result?.resultType).toBe('input_required');
    expect(first.result?.inputRequests?.['confirm']?.params.message).toBe(
      'Delete row r1. This cannot be undone. Proceed?',
    );
    const state = first.result!.requestState!;
    expect(state).not.toContain(TOKEN);
    expect(Buffer.from(state.split('.')[1]!, 'base64url').toString()).not.toContain(TOKEN);
    expect(deleted).toEqual([]);
    const done = await call({ state, answer: 'accept' });
    expect(done.text).toBe('deleted r1');
    expect(deleted).toEqual(['r1']);
  });

  it('a decline holds: nothing runs, and the model is told not to retry', async () => {
    const state = await ask();
    const no = await call({ state, answer: 'decline' });
    expect(no.result?.isError).toBe(true);
    expect(no.text).toContain('the user did not confirm row_delete. Nothing was changed.');
    expect(deleted).toEqual([]);
  });

  it('refuses a replayed state: the confirmation is used once', async () => {
    const state = await ask();
    expect((await call({ state, answer: 'accept' })).text).toBe('deleted r1');
    const replay = await call({ state, answer: 'accept' });
    expect(replay.result?.isError).toBe(true);
    expect(replay.text).toContain('this confirmation of row_delete was already used. Nothing was changed.');
    expect(deleted).toEqual(['r1']);
  });

  it('refuses a forged or tampered state before the tool runs', async () => {
    const state = await ask();
    const [version, payload, mac] = state.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { p: { args: string } };
    decoded.p.args = 'forged';
    const tampered = `${version}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${mac}`;
    // a MAC changed in its middle (its last character carries unused bits, so changing that may change nothing)
    const flipped = `${mac!.slice(0, 10)}${mac![10] === 'A' ? 'B' : 'A'}${mac!.slice(11)}`;
    const badMac = `${version}.${payload}.${flipped}`;
    for (const forged of [tampered, badMac, 'v1.e30.AAAA', 'not-a-state']) {
      const answer = await call({ state: forged, answer: 'accept' });
      expect(answer.error?.code, forged).toBe(-32602);
      expect(answer.error?.message).toBe('Invalid or expired requestState');
    }
    expect(deleted).toEqual([]);
  });

  it('a confirmation for one call does not confirm another: other arguments are asked anew', async () => {
    const state = await ask({ args: { id: 'r1' } });
    const moved = await call({ args: { id: 'r2' }, state, answer: 'accept' });
    expect(moved.result?.resultType).toBe('input_required');
    expect(moved.result?.inputRequests?.['confirm']?.params.message).toContain('Delete row r2');
    const same = await ask({ tool: 'row_purge', args: { id: 'r1' } });
    const other = await call({ tool: 'row_purge', args: { id: 'r2' }, state: same, answer: 'accept' });
    expect(other.result?.resultType).toBe('input_required');
    const otherTool = await call({ tool: 'row_purge', state, answer: 'accept' });
    expect(otherTool.result?.resultType).toBe('input_required');
    expect(deleted).toEqual([]);
  });

  it("refuses another caller's state (bound to the caller's credentials)", async () => {
    const state = await ask({ tenant: 'alice' });
    const stolen = await call({ tenant: 'mallory', state, answer: 'accept' });
    expect(stolen.error?.code).toBe(-32602);
    expect(deleted).toEqual([]);
    expect((await call({ tenant: 'alice', state, answer: 'accept' })).text).toBe('deleted r1');
  });

  it('refuses an expired state', async () => {
    const state = await ask();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    const late = await call({ state, answer: 'accept' });
    expect(late.error?.code).toBe(-32602);
    expect(deleted).toEqual([]);
  });

  it('ignores answers it never asked for: an unsolicited accept still gets the question', async () => {
    const unsolicited = await call({ answer: 'accept' });
    expect(unsolicited.result?.resultType).toBe('input_required');
    expect(deleted).toEqual([]);
  });

  it('answers a client that cannot be asked with the missing-capability error, whatever it sends', async () => {
    for (const answer of [undefined, 'accept'] as const) {
      const refused = await call({ capabilities: {}, ...(answer ? { answer } : {}) });
      expect(refused.status).toBe(400);
      expect(refused.error?.code).toBe(-32021);
      expect(JSON.stringify(refused.error)).toContain('elicitation');
    }
    expect(deleted).toEqual([]);
  });
});
