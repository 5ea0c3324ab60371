import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { Arena, HELM_MISSING, KUBECTL_MISSING, random, type Session } from './harness.js';

// Class 10: the operator's own kubeconfig may use an exec plugin (trusted), but the plugin gets a scrubbed
// environment: not the server's HTTP token nor anything else of its environment. The plugin here prints an
// ExecCredential with kube-sim's admin token and dumps its environment to a file.

let arena: Arena;
let dump: string;
let kubeconfig: string;
const ARGOCD_TOKEN = random('argocdtoken');

beforeAll(async () => {
  arena = await Arena.open();
  arena.forbidden.push(ARGOCD_TOKEN);
  dump = join(arena.dir, 'plugin-env');
  const credential = JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: { token: arena.sim.clusters[0]!.tokens.admin },
  });
  const plugin = arena.fakeCliScript('sim-credential', `#!/bin/sh\nenv > '${dump}'\necho '${credential}'\n`);
  const doc = parse(arena.sim.kubeconfig({ user: 'admin' }));
  for (const entry of doc.users) {
    entry.user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: plugin,
        env: [{ name: 'PLUGIN_SETTING', value: 'kept' }],
        interactiveMode: 'Never',
      },
    };
  }
  kubeconfig = join(arena.dir, 'exec-kubeconfig');
  writeFileSync(kubeconfig, stringify(doc), { mode: 0o600 });
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

const stdio = async (): Promise<Session> =>
  arena.stdio([], { kubeconfig, env: { ARGOCD_AUTH_TOKEN: ARGOCD_TOKEN } });
const http = async (): Promise<Session> =>
  (await arena.http([], { kubeconfig, env: { ARGOCD_AUTH_TOKEN: ARGOCD_TOKEN } })).session();

if (KUBECTL_MISSING) console.warn(`kubectl case of 10 skipped: ${KUBECTL_MISSING}`);
if (HELM_MISSING) console.warn(`helm case of 10 skipped: ${HELM_MISSING}`);

const cases: Array<readonly [string, string, Record<string, unknown>, () => Promise<Session>]> = [
  ['stdio', 'pod_list', { namespace: 'team-a' }, stdio],
  ['stdio', 'namespace_list', {}, stdio],
  ['stdio', 'pods_crashlooping', { namespace: 'team-a' }, stdio],
  ['HTTP', 'pod_list', { namespace: 'team-a' }, http],
  ['HTTP', 'can_i', { verb: 'list', resource: 'pods' }, http],
  ...(KUBECTL_MISSING ? [] : ([['stdio', 'kubectl', { command: 'get pods -n team-a' }, stdio]] as const)),
  ...(HELM_MISSING ? [] : ([['stdio', 'helm', { command: 'list -A' }, stdio]] as const)),
];

describe('exec plugins of the operator’s kubeconfig get a scrubbed environment', () => {
  it.each(cases)(
    '%s %s: the plugin ran without the server’s secrets',
    async (_transport, tool, args, start) => {
      rmSync(dump, { force: true });
      const session = await start();
      const result = await session.call(tool, args);
      expect(result.isError, result.text).toBe(false);
      expect(existsSync(dump), 'the plugin ran').toBe(true);
      const env = readFileSync(dump, 'utf8');
      expect(env).toMatch(/^PLUGIN_SETTING=kept$/m); // the operator's own exec env still arrives
      for (const name of ['CLOUDMCP_HTTP_TOKEN', 'CANARY_ENV', 'ARGOCD_AUTH_TOKEN']) {
        expect(env).not.toMatch(new RegExp(`^${name}=`, 'm'));
      }
      for (const value of [arena.httpToken, arena.envCanary, ARGOCD_TOKEN]) expect(env).not.toContain(value);
    },
  );
});
