import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Arena, goClientRequests, HELM_MISSING, KUBECTL_MISSING, type StdioSession } from './harness.js';

// Class 7: the CLI tools say what they are and run where the operator said: they are destructive in
// default mode, the server's --context / KUBE_CONTEXT is where a command runs when the call names none, a
// failing command returns its stdout, stderr and exit code together, and the command line cannot pick
// another cluster, user or context.

let arena: Arena;
let server: StdioSession;
beforeAll(async () => {
  arena = await Arena.open();
  // istioctl and argocd are listed where found or named: named here, so their annotations can be read
  server = await arena.stdio(['--istioctl-path', 'istioctl', '--argocd-path', 'argocd']);
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

if (HELM_MISSING) console.warn(`helm cases of 07 skipped: ${HELM_MISSING}`);
/** The cases, without helm's where helm is missing (said once above). */
function withHelm<T extends readonly string[]>(cases: T[]): T[] {
  return HELM_MISSING ? cases.filter((c) => !c.includes('helm')) : cases;
}

describe('honesty of the CLI tools', () => {
  it.each(['kubectl', 'helm', 'istioctl', 'argocd'])(
    'default mode: tools/list shows %s with destructiveHint: true',
    async (name) => {
      const { tools } = await server.started.client.listTools();
      const tool = tools.find((t) => t.name === name);
      expect(tool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    },
  );

  describe.skipIf(!!KUBECTL_MISSING)(
    `where a command runs${KUBECTL_MISSING ? ` (skipped: ${KUBECTL_MISSING})` : ''}`,
    () => {
      const where = async (session: StdioSession, tool: string, command: string) => {
        const before = goClientRequests(arena.sim);
        const result = await session.call(tool, { command });
        const after = goClientRequests(arena.sim);
        return { result, hits: after.map((n, i) => n - before[i]!) };
      };

      it.each(
        withHelm([
          ['--context sim-2', 'kubectl', 'get ns'],
          ['KUBE_CONTEXT=sim-2', 'kubectl', 'get ns'],
          ['--context sim-2', 'helm', 'list -A'],
          ['KUBE_CONTEXT=sim-2', 'helm', 'list -A'],
        ]),
      )(
        'server %s: `%s %s` runs on sim-2, not the kubeconfig’s current-context',
        async (how, tool, command) => {
          const session = how.startsWith('--')
            ? await arena.stdio(['--context', 'sim-2'])
            : await arena.stdio([], { env: { KUBE_CONTEXT: 'sim-2' } });
          const { result, hits } = await where(session, tool, command);
          expect(result.isError).toBe(false);
          expect(hits[1]).toBeGreaterThan(0);
          expect(hits[0]).toBe(0);
          expect(result.structured).toMatchObject({ context: 'sim-2' });
        },
      );

      it('a failing command returns its stdout, its stderr and its exit code together', async () => {
        const result = await server.call('kubectl', { command: 'get ns default nope-missing' });
        expect(result.isError).toBe(true);
        expect(result.text).toMatch(/^default\s+Active/m);
        expect(result.text).toMatch(/namespaces "nope-missing" not found/);
        expect(result.text).toMatch(/exit (status|code) 1/);
        expect(result.structured).toMatchObject({ exit_code: 1 });
        expect(String(result.structured?.['stdout'])).toMatch(/default/);
        expect(String(result.structured?.['stderr'])).toMatch(/nope-missing/);
      });

      it.each(
        withHelm([
          ['kubectl', 'get pods --cluster sim-2'],
          ['kubectl', 'get pods --cluster=sim-2'],
          ['kubectl', 'get pods --user sim-2-admin'],
          ['kubectl', 'get pods --user=sim-2-admin'],
          ['kubectl', 'get pods --context sim-2'],
          ['kubectl', 'get pods --context=sim-2'],
          ['kubectl', '--context sim-2 get pods'],
          ['kubectl', 'get pods --as-group system:masters'],
          ['kubectl', 'get pods --as-uid 0'],
          ['kubectl', 'get pods --tls-server-name evil.example.com'],
          ['kubectl', 'get pods --username admin --password x'],
          ['helm', 'list --kube-context sim-2'],
          ['helm', 'list --kube-context=sim-2'],
          ['helm', 'list --kube-as-user admin'],
          ['helm', 'list --kube-as-group system:masters'],
          ['helm', 'list --kube-apiserver https://127.0.0.1:1'],
          ['helm', 'list --kube-token abcdefgh12345678'],
          ['helm', 'list --kube-insecure-skip-tls-verify'],
          ['helm', 'list --kube-tls-server-name evil.example.com'],
        ]),
      )('%s %s: refused, no cluster asked', async (tool, command) => {
        const before = goClientRequests(arena.sim);
        const result = await server.call(tool, { command });
        expect(goClientRequests(arena.sim)).toEqual(before);
        expect(result.isError).toBe(true);
        const option = command.match(/--[a-z-]+/)![0];
        expect(result.text).toContain(option);
      });
    },
  );
});
