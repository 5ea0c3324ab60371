import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Arena, goClientRequests, type StdioSession, snapshot } from './harness.js';

// Class 12: an argument the tool does not know is an error naming it, never silently dropped: a dropped
// `namepsace` lists another namespace, a dropped `dryRun` deletes for real. Nothing runs, nothing changes.

let arena: Arena;
let server: StdioSession;
beforeAll(async () => {
  arena = await Arena.open();
  arena.sim.clusters[0]!.store.put({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'keep-me', namespace: 'team-a' },
    data: { a: 'b' },
  });
  server = await arena.stdio(['--confirm', 'never']);
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

/** Requests any client (client-node, kubectl, helm) made to the clusters. */
const requests = () => arena.sim.clusters.map((c) => c.log.length);

const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied-anyway\n  namespace: team-a\n';

describe('unknown tool arguments', () => {
  it.each([
    ['pod_list', { namepsace: 'team-a' }, 'namepsace'],
    ['pod_list', { namespace: 'team-a', context_name: 'sim-2' }, 'context_name'],
    ['resource_get', { kind: 'configmap', name: 'keep-me', namespace: 'team-a', extra: 1 }, 'extra'],
    ['resource_get', { kind: 'secret', name: 'db-credentials', namespace: 'team-a', reveal: true }, 'reveal'],
    ['pod_logs', { name: 'x', namespace: 'team-a', tail: 5 }, 'tail'],
    ['kubectl', { cmd: 'get pods' }, 'cmd'],
    ['kubectl', { command: 'get pods', kubeconfig_path: '/etc/kubernetes/admin.conf' }, 'kubeconfig_path'],
    ['kubectl', { command: 'delete cm keep-me -n team-a', confirmed: true }, 'confirmed'],
    ['helm', { command: 'list', values_file: '/etc/passwd' }, 'values_file'],
    ['resource_apply', { manifest, dryRun: true }, 'dryRun'],
    ['resource_apply', { manifest, dry_run: false, dryrun: true }, 'dryrun'],
    ['resource_delete', { kind: 'configmap', name: 'keep-me', namespace: 'team-a', dryRun: true }, 'dryRun'],
    ['pod_delete', { name: 'x', namespace: 'team-a', dryRun: true }, 'dryRun'],
    ['deployment_scale', { name: 'web', namespace: 'team-a', replicas: 0, dryRun: true }, 'dryRun'],
    ['deployment_restart', { name: 'web', namespace: 'team-a', dry: true }, 'dry'],
  ] as const)('%s with %o: an error naming `%s`; nothing ran or changed', async (tool, args, field) => {
    const before = { state: snapshot(arena.sim), requests: requests(), cli: goClientRequests(arena.sim) };
    const result = await server.call(tool, { ...args });
    expect(snapshot(arena.sim)).toEqual(before.state);
    expect(requests()).toEqual(before.requests);
    expect(goClientRequests(arena.sim)).toEqual(before.cli);
    expect(result.isError).toBe(true);
    expect(result.text).toContain(field);
  });
});
