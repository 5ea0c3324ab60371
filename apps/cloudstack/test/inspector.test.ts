import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { CloudStackSim } from 'cloudstack-sim';
import { tableRows } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, withSim } from './harness.js';

// The MCP Inspector's CLI mode: a client we did not write, driving the built server over stdio.
const inspector = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector/package.json')),
  'cli/build/cli.js',
);
const run = promisify(execFile);

let sim: CloudStackSim;
beforeAll(async () => {
  sim = await withSim();
});
afterAll(() => sim?.close());

async function inspect(...args: string[]): Promise<Record<string, unknown>> {
  const { admin } = sim.credentials;
  const env = [
    `CLOUDSTACK_API_URL=${sim.url}`,
    `CLOUDSTACK_API_KEY=${admin.apiKey}`,
    `CLOUDSTACK_SECRET_KEY=${admin.secretKey}`,
    `XDG_CACHE_HOME=${mkdtempSync(join(tmpdir(), 'cs-insp-'))}`,
  ].flatMap((e) => ['-e', e]);
  const { stdout } = await run(
    process.execPath,
    [inspector, '--cli', ...env, process.execPath, CLI, ...args],
    {
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('MCP Inspector CLI', () => {
  it('lists the tools', async () => {
    const { tools } = (await inspect('--method', 'tools/list')) as { tools: Array<{ name: string }> };
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['zone_list', 'vm_deploy', 'vm_status']));
  });

  it('calls a tool and gets the table and structured content', async () => {
    const result = (await inspect('--method', 'tools/call', '--tool-name', 'zone_list')) as {
      content: Array<{ text: string }>;
      structuredContent: unknown;
    };
    const [header, ...lines] = result.content[0]!.text.split('\n');
    expect(header).toMatch(/^NAME\s+NETWORK/);
    // the table's own rows, one per zone line of the text
    const zones = tableRows(result.structuredContent);
    expect(zones.length).toBeGreaterThan(0);
    expect(zones.map((zone) => zone.name)).toEqual(lines.map((line) => line.split(/\s+/)[0]));
  });
});
