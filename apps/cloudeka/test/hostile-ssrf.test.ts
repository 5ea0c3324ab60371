import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudekaSim } from 'cloudeka-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, startServer, structured, text, withSim } from './harness.js';

// Hostile input, issue 7 ("SSRF"): a prompt-injected model tries to point the server — and the cldkctl token
// or JWT it sends — at an address of its choosing: an environment given as a URL, URLs as ids, and the URLs
// inside what Cloudeka answers (the kubeconfig's server, the dashboard). A listener on loopback stands for
// that address; it sees no connection, and every call still goes to the configured base URL.

let sim: CloudekaSim;
let server: Started;
let listener: Server;
let target: string;
const seen: string[] = [];

beforeAll(async () => {
  listener = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    res.end('{}');
  });
  listener.on('connection', () => seen.push('connection'));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  sim = await withSim({ kubeServer: target });
  server = await startServer(sim, { args: ['--confirm', 'never'] });
});
afterAll(async () => {
  await server?.close();
  await sim?.close();
  await new Promise((resolve) => listener?.close(resolve));
});

describe('hostile input (SSRF): the server talks to the configured base URL only', () => {
  it('refuses an environment given as a URL, for switch_environment and auth alike', async () => {
    for (const environment of [target, `${target}/core`, 'staging@127.0.0.1', 'production ']) {
      for (const name of ['switch_environment', 'auth']) {
        const result = await server.call(name, { environment });
        expect(result.isError, text(result)).toBe(true);
        expect(text(result)).toContain('`environment`');
      }
    }
    const status = structured<{ base_url: string; environment: string }>(await server.call('status'));
    expect(status).toMatchObject({ base_url: sim.url, environment: 'production' });
  });

  it('fetches neither the kubeconfig server nor the dashboard it reports, and URLs as ids stay in the path', async () => {
    const project = sim.ids.projectIds[0]!;
    const kubeconfig = await server.call('kubernetes_kubeconfig_get', { project_id: project });
    expect(structured<{ server: string }>(kubeconfig).server).toBe(target);
    await server.call('kubernetes_dashboard_get', { project_id: project });
    await server.call('kubernetes_namespace_list', { project_id: project });
    for (const id of [
      target,
      `${target}/core/user/profile`,
      `//127.0.0.1:${new URL(target).port}`,
      `@${target.slice(7)}`,
    ]) {
      const before = sim.log.length;
      await server.call('project_get', { project_id: id });
      await server.call('registry_get', { registry_id: id });
      expect(sim.log.length).toBeGreaterThan(before);
    }
    expect(seen).toEqual([]);
  });
});
