import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Connected, connectInProcess, ERAS, startStdioServer } from '../src/index.js';
import { buildServer } from './fixtures/server.mjs';

// The kit against a server on the SDK's own entries (serveStdio, createMcpHandler), in both eras: the era
// is the one asked for, elicitation answers reach the tool, and asked-for logs are collected.

const BIN = fileURLToPath(new URL('./fixtures/server.mjs', import.meta.url));

const text = async (connected: Connected, name: string) => {
  const result = await connected.client.callTool({ name, arguments: {} });
  return (result.content as Array<{ text: string }>).map((c) => c.text).join('\n');
};

describe.each(ERAS)('%s era', (era) => {
  it('over stdio: lands on the era, and the user answers a destructive tool', async () => {
    for (const elicit of ['accept', 'decline'] as const) {
      const server = await startStdioServer({ cli: BIN, era, elicit });
      try {
        expect(server.era).toBe(era);
        expect(await text(server, 'destroy')).toBe(elicit === 'accept' ? 'destroyed' : 'kept');
      } finally {
        await server.close();
      }
    }
  });

  it('over stdio: collects the logs asked for, from that level up', async () => {
    const server = await startStdioServer({ cli: BIN, era, logLevel: 'info' });
    try {
      expect(await text(server, 'hello')).toBe('hello');
      expect(server.logs.map((log) => log.data)).toEqual(['hello (info)']);
    } finally {
      await server.close();
    }
  });

  it('in process: lands on the era and calls tools', async () => {
    const connected = await connectInProcess(buildServer, { era, elicit: 'accept', logLevel: 'debug' });
    try {
      expect(connected.era).toBe(era);
      const { tools } = await connected.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['destroy', 'hello']);
      expect(await text(connected, 'hello')).toBe('hello');
      expect(connected.logs.map((log) => log.data)).toEqual(['hello (debug)', 'hello (info)']);
    } finally {
      await connected.close();
    }
  });
});

it('in process, modern: the user answers inside the call (input_required)', async () => {
  for (const elicit of ['accept', 'decline'] as const) {
    const connected = await connectInProcess(buildServer, { era: 'modern', elicit });
    try {
      expect(await text(connected, 'destroy')).toBe(elicit === 'accept' ? 'destroyed' : 'kept');
    } finally {
      await connected.close();
    }
  }
});

it('in process, legacy: stateless HTTP cannot carry a question, so the call is refused, not hung', async () => {
  const connected = await connectInProcess(buildServer, { era: 'legacy', elicit: 'accept' });
  try {
    const result = await connected.client.callTool({ name: 'destroy', arguments: {} });
    expect(result.isError).toBe(true);
  } finally {
    await connected.close();
  }
});
