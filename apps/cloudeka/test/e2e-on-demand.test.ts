import type { CloudekaSim } from 'cloudeka-sim';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_TOOLSETS } from '../src/toolsets.js';
import { type Started, startServer, text, withSim } from './harness.js';

// A session starts with the default toolsets and the two meta tools; the rest stay reachable over stdio.
let sim: CloudekaSim;
let server: Started;

beforeAll(async () => {
  sim = await withSim();
  server = await startServer(sim, { defaultToolsets: true });
});

afterAll(async () => {
  await server?.close();
  await sim?.close();
});

it('starts with the default toolsets, says what the others hold, and turns one on', async () => {
  const names = (await server.client.listTools()).tools.map((t) => t.name);
  expect(names).toEqual(
    expect.arrayContaining([
      'status',
      'project_list',
      'kubernetes_list',
      'vm_list',
      'toolset_list',
      'toolset_enable',
    ]),
  );
  expect(names).not.toContain('registry_list');
  expect(DEFAULT_TOOLSETS).not.toContain('registry');

  const listed = text(await server.call('toolset_list'));
  expect(listed).toContain('registry');
  expect(listed).toContain('Deka Registry');

  const off = await server.call('registry_list');
  expect(off.isError).toBe(true);
  expect(text(off)).toContain('toolset_enable');

  const enabled = await server.call('toolset_enable', { toolsets: ['registry'] });
  expect(enabled.isError, text(enabled)).toBeFalsy();
  expect((await server.client.listTools()).tools.map((t) => t.name)).toContain('registry_list');
  const registries = await server.call('registry_list');
  expect(registries.isError, text(registries)).toBeFalsy();
});
