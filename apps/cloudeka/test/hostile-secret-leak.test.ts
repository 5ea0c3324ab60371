import type { CloudekaSim } from 'cloudeka-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, startServer, type ToolResult, text, withSim } from './harness.js';

// Hostile input, issue 7 ("secret leak"): a prompt-injected model asks for everything in Cloudeka that carries
// a credential — the cluster's kubeconfig, Kubernetes Secrets, the registry CLI secret, a pod console session,
// a portal login — in every output format. The raw values, read from the simulator directly, appear in no
// result (text, structuredContent, _meta) and not on stderr at --log-level debug.

let sim: CloudekaSim;
const servers: Started[] = [];
/** Every secret value the simulator hands out for the calls below, read straight from its API. */
const secrets: string[] = [];

async function raw(jwt: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return ((await response.json()) as { data: unknown }).data;
}

/** Leaf strings of a value, long enough to be a credential rather than a word. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.length >= 12) out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out);
  return out;
}

beforeAll(async () => {
  sim = await withSim();
  const auth = await fetch(`${sim.url}/core/cldkctl/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: sim.tokens.owner }),
  });
  const jwt = ((await auth.json()) as { data: { token: string } }).data.token;
  const project = sim.ids.projectIds[0]!;
  const kubeconfig = (await raw(jwt, 'GET', `/core/user/projects/${project}/vcluster/kubeconfig`)) as {
    kubeconfig: string;
  };
  const credential = /^\s*(token|client-key-data|client-certificate-data):\s*(\S+)/gm;
  for (const m of kubeconfig.kubeconfig.matchAll(credential)) secrets.push(m[2]!);
  expect(secrets.length).toBeGreaterThan(0);
  const listed = await raw(jwt, 'GET', `/core/kubernetes/secrets?project_id=${project}&namespace=default`);
  for (const s of listed as Array<{ data?: Record<string, string> }>) {
    for (const v of Object.values(s.data ?? {})) secrets.push(v, Buffer.from(v, 'base64').toString('utf8'));
  }
  const registry = await raw(jwt, 'POST', '/core/dekaregistry/v2/user/password/show', {
    password_data: { password: sim.passwords.owner },
  });
  const registrySecret = leaves((registry as { password?: unknown }).password);
  expect(registrySecret.length).toBeGreaterThan(0);
  secrets.push(...registrySecret);
  secrets.push(sim.tokens.owner, jwt, sim.passwords.owner);
  expect(secrets.length).toBeGreaterThan(5);
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await sim?.close();
});

function expectNoSecret(said: string) {
  for (const secret of secrets.filter((s) => s.length >= 8)) expect(said).not.toContain(secret);
  expect(said).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./);
  expect(said).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----(?!\[REDACTED\])/);
}

describe('hostile input (secret leak): Cloudeka credentials never reach the model or the logs', () => {
  for (const output of ['yaml', 'json', 'table']) {
    it(`--output ${output}: kubeconfig, Secrets, registry secret, console session and login stay redacted`, async () => {
      const server = await startServer(sim, {
        args: ['--output', output, '--log-level', 'debug', '--confirm', 'never'],
      });
      servers.push(server);
      const project = sim.ids.projectIds[0]!;
      const pod = `shell-${output}`;
      const created = await server.call('kubernetes_create', {
        project_id: project,
        kind: 'pod',
        namespace: 'default',
        manifest: { metadata: { name: pod }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } },
      });
      expect(created.isError, text(created)).toBeFalsy();
      const calls: Array<[string, Record<string, unknown>]> = [
        ['kubernetes_kubeconfig_get', { project_id: project }],
        ['kubernetes_list', { project_id: project, namespace: 'default', kind: 'secret' }],
        [
          'kubernetes_get',
          { project_id: project, namespace: 'default', kind: 'secret', name: 'model-registry-credentials' },
        ],
        ['kubernetes_list', { project_id: project, namespace: 'default', resource: 'secrets' }],
        ['registry_password_get', { password: sim.passwords.owner }],
        ['kubernetes_pod_console', { project_id: project, namespace: 'default', pod }],
        ['login_verify', { username: 'rina.wijaya@nusantaradata.example', password: sim.passwords.owner }],
        ['token_list', {}],
        ['status', {}],
      ];
      const results: ToolResult[] = [];
      for (const [name, args] of calls) {
        const result = await server.call(name, args);
        expect(result.isError, `${name}: ${text(result)}`).toBeFalsy();
        results.push(result);
      }
      // The secrets' keys are there (so the values were in the answer), their values are not.
      expect(JSON.stringify(results[2])).toContain('[REDACTED]');
      expect(JSON.stringify(results[0])).toContain('[REDACTED]');
      const console = results[5]!.structuredContent as { session: Record<string, unknown> };
      expect(console.session['token']).toBe('[REDACTED]');
      for (const result of results) expectNoSecret(JSON.stringify(result));
      expectNoSecret(server.stderr());
    });
  }
});
