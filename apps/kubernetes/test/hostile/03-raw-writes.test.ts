import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Arena, KUBECTL_MISSING, type StdioSession, snapshot } from './harness.js';

// Class 3: `kubectl create|replace|delete --raw` sends its body as is and ignores --dry-run; a policy that
// reads `--dry-run=server` as "a preview" would let it write. Nothing may change in kube-sim.

let arena: Arena;
const modes: Record<string, StdioSession> = {};
beforeAll(async () => {
  arena = await Arena.open();
  modes['--read-only'] = await arena.stdio(['--read-only']);
  modes['--disable-destructive'] = await arena.stdio(['--disable-destructive']);
  modes['default (no confirmation)'] = await arena.stdio();
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

const cm = (name: string, value: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'team-a' },
    data: { a: value },
  });
const escalate = JSON.stringify({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'raw-created' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io' }],
});

const CMS = '/api/v1/namespaces/team-a/configmaps';
let counter = 0;
/** A fresh ConfigMap and Namespace for one case (so a case that fails leaves the next one a clean target). */
function freshTarget(): string {
  const name = `raw-target-${++counter}`;
  arena.sim.clusters[0]!.store.put({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'team-a' },
    data: { a: 'original' },
  });
  arena.sim.clusters[0]!.store.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}
const cases: Array<[command: string, stdin: string | undefined]> = [
  [`create --raw ${CMS} -f - --dry-run=server`, cm('raw-created', 'x')],
  [`create --raw=${CMS} -f - --dry-run=server`, cm('raw-created', 'x')],
  [`create -f - --raw ${CMS} --dry-run=server`, cm('raw-created', 'x')],
  [`create --dry-run=server --raw ${CMS} --filename=-`, cm('raw-created', 'x')],
  [`create --raw ${CMS} -f - --dry-run=client`, cm('raw-created', 'x')],
  [`replace --raw ${CMS}/raw-target -f - --dry-run=server`, cm('raw-target', 'replaced')],
  [`delete --raw ${CMS}/raw-target --dry-run=server`, undefined],
  [`delete --raw=${CMS}/raw-target`, undefined],
  ['delete --raw /api/v1/namespaces/raw-target --dry-run=server', undefined],
  ['create --raw /apis/rbac.authorization.k8s.io/v1/clusterrolebindings -f - --dry-run=server', escalate],
];

describe.skipIf(!!KUBECTL_MISSING)(
  `--raw writes${KUBECTL_MISSING ? ` (skipped: ${KUBECTL_MISSING})` : ''}`,
  () => {
    for (const mode of ['--read-only', '--disable-destructive', 'default (no confirmation)']) {
      it.each(cases)(`${mode}: kubectl %s changes nothing`, async (command, stdin) => {
        const target = freshTarget();
        const created = `raw-created-${counter}`;
        const fill = (text: string) =>
          text.replaceAll('raw-target', target).replaceAll('raw-created', created);
        const before = snapshot(arena.sim);
        const result = await modes[mode]!.call('kubectl', {
          command: fill(command),
          ...(stdin !== undefined && { stdin: fill(stdin) }),
        });
        expect(snapshot(arena.sim)).toEqual(before);
        const store = arena.sim.clusters[0]!.store;
        expect(store.get('v1', 'ConfigMap', 'team-a', target)).toMatchObject({ data: { a: 'original' } });
        expect(store.get('v1', 'ConfigMap', 'team-a', created)).toBeUndefined();
        expect(store.get('v1', 'Namespace', undefined, target)).toBeDefined();
        expect(
          store.get('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', undefined, created),
        ).toBeUndefined();
        if (mode === '--read-only' || command.startsWith('delete')) {
          expect(result.isError).toBe(true);
          expect(result.text).toMatch(/raw|read-only|delete|Confirmation/i);
        }
      });
    }
  },
);
