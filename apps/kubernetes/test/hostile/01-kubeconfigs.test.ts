import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Arena,
  HELM_MISSING,
  KUBECTL_MISSING,
  type Listener,
  lazy,
  listen,
  type Session,
} from './harness.js';
import { asHeader, hostileDocs } from './kubeconfigs.js';

// Class 1: a kubeconfig from a request (X-Kubeconfig over HTTP, the CLI tools' `kubeconfig` argument over
// stdio) never runs an exec plugin, never reads a file of the server, never reaches a proxy or an auth
// provider, never turns off TLS verification — whatever YAML or encoding spells it, in every mode.

let arena: Arena;
let listener: Listener;
beforeAll(async () => {
  arena = await Arena.open();
  listener = await listen();
  arena.onClose(() => listener.close());
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

type Result = Awaited<ReturnType<Session['call']>>;

interface Mode {
  name: string;
  missing?: string | undefined;
  /** Sends the hostile kubeconfig the way this mode does. */
  send(kubeconfig: string, local: boolean, context: string | undefined): Promise<Result>;
}

const servers = new Map<string, () => Promise<unknown>>();
/** One server per (transport, flags), started on first use. */
function once<T>(key: string, start: () => Promise<T>): Promise<T> {
  if (!servers.has(key)) servers.set(key, lazy(start));
  return servers.get(key)!() as Promise<T>;
}
const flags = (local: boolean, readOnly: boolean) => [
  '--cli-timeout',
  '10',
  '--request-timeout',
  '5',
  ...(local ? ['--allow-local-clusters'] : []),
  ...(readOnly ? ['--read-only'] : []),
];
const httpServer = (local: boolean, readOnly: boolean) =>
  once(`http ${local} ${readOnly}`, () => arena.http(flags(local, readOnly)));
const stdioServer = (local: boolean, readOnly: boolean) =>
  once(`stdio ${local} ${readOnly}`, () => arena.stdio(flags(local, readOnly)));
const header = async (kubeconfig: string, local: boolean, readOnly: boolean) =>
  (await httpServer(local, readOnly)).session(asHeader(kubeconfig));

const modes: Mode[] = [
  {
    name: 'X-Kubeconfig header -> pod_list',
    send: async (k, local, context) =>
      (await header(k, local, false)).call('pod_list', { namespace: 'default', ...(context && { context }) }),
  },
  {
    name: 'X-Kubeconfig header, --read-only -> kubectl get pods',
    missing: KUBECTL_MISSING,
    send: async (k, local, context) =>
      (await header(k, local, true)).call('kubectl', { command: 'get pods', ...(context && { context }) }),
  },
  {
    name: 'kubeconfig argument (stdio) -> kubectl get pods',
    missing: KUBECTL_MISSING,
    send: async (k, local, context) =>
      (await stdioServer(local, false)).call('kubectl', {
        command: 'get pods',
        kubeconfig: k,
        ...(context && { context }),
      }),
  },
  {
    name: 'kubeconfig argument (stdio), --read-only -> helm list',
    missing: HELM_MISSING,
    send: async (k, local, context) =>
      (await stdioServer(local, true)).call('helm', {
        command: 'list',
        kubeconfig: k,
        ...(context && { context }),
      }),
  },
];

const docNames = hostileDocs('/m', '/c', 'http://l').map((d, index) => ({ index, name: d.name }));

describe('untrusted kubeconfigs', () => {
  for (const mode of modes) {
    describe.skipIf(!!mode.missing)(
      mode.missing ? `${mode.name} (skipped: ${mode.missing})` : mode.name,
      () => {
        it.each(docNames)('$name: refused; nothing ran, read or connected', async ({ index }) => {
          const marker = arena.marker('exec');
          const doc = hostileDocs(marker, arena.canary.template, listener.url)[index]!;
          const before = { connections: listener.connections, received: listener.received().length };
          const result = await mode.send(doc.text, doc.local === true, doc.context);
          expect(existsSync(marker), 'exec plugin ran').toBe(false);
          expect(listener.connections, 'the listener was contacted').toBe(before.connections);
          expect(listener.received()).not.toContain(arena.canary.token);
          expect(result.isError).toBe(true);
          if (doc.names) expect(result.text).toMatch(doc.names);
          expect(result.text).not.toContain(arena.canary.token);
        });
      },
    );
  }

  describe('typed tools with an exec header', () => {
    it.each([
      ['context_list', {}],
      ['namespace_list', {}],
      ['resource_list', { kind: 'pods', namespace: 'default' }],
      ['can_i', { verb: 'list', resource: 'pods' }],
      ['pods_crashlooping', { context: '*' }],
      ['event_list', { namespace: 'default' }],
    ] as const)('%s: refused, the plugin never runs', async (tool, args) => {
      const marker = arena.marker('typed');
      const doc = hostileDocs(marker, arena.canary.template, listener.url)[0]!;
      const result = await (await header(doc.text, false, false)).call(tool, { ...args });
      expect(existsSync(marker), 'exec plugin ran').toBe(false);
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/exec/i);
    });
  });
});
