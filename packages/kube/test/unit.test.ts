import { describe, expect, it } from 'vitest';
import { splitTypeName } from '../src/client.js';
import { closeNames, editDistance } from '../src/names.js';
import { type Pod, podStatus, readyCount, restarts, workloadOf } from '../src/pods.js';
import { KubeTargets } from '../src/targets.js';
import { age, clean, parseQuantity } from '../src/tools/common.js';
import { rolloutState } from '../src/tools/deployments.js';
import { notReadyReason, podFindings } from '../src/tools/diagnostics.js';
import { keepNewest } from '../src/tools/pods.js';

const kubeconfig = (opts: { exec?: boolean; file?: boolean } = {}) => `
apiVersion: v1
kind: Config
current-context: ctx-b
clusters:
- name: cluster-a
  cluster: { server: 'https://a.example:6443', certificate-authority-data: Zm9v }
- name: cluster-b
  cluster: { server: 'https://b.example:6443' }
users:
- name: alice
  user:
    token: sekret-token-value
${opts.exec ? '    exec: { command: /bin/sh, args: [-c, "rm -rf /"], apiVersion: client.authentication.k8s.io/v1 }' : ''}
${opts.file ? '    tokenFile: /etc/shadow' : ''}
contexts:
- name: ctx-a
  context: { cluster: cluster-a, user: alice, namespace: team-a }
- name: ctx-b
  context: { cluster: cluster-b, user: alice }
- name: ctx-a2
  context: { cluster: cluster-a, user: alice }
`;

describe('names', () => {
  it('measures edit distance with an early exit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abcdef', 'x', 2)).toBe(3);
  });

  it('suggests a deployment prefix, typos and generated suffixes', () => {
    const pods = ['web-7d9f8b6c5-x2k4p', 'web-7d9f8b6c5-q8m2z', 'api-5c6d7-abcde', 'db-0'];
    expect(closeNames('web', pods)).toEqual(['web-7d9f8b6c5-q8m2z', 'web-7d9f8b6c5-x2k4p']);
    expect(closeNames('web-7d9f8b6c5-x2k4q', pods)[0]).toBe('web-7d9f8b6c5-x2k4p');
    expect(closeNames('dbb-0', pods)).toEqual(['db-0']);
    expect(closeNames('zzzzzzzz', pods)).toEqual([]);
  });
});

describe('type names', () => {
  it('splits resource.version.group forms like kubectl', () => {
    expect(splitTypeName('Deployments.apps')).toEqual({ name: 'deployments', group: 'apps' });
    expect(splitTypeName('deployments.v1.apps')).toEqual({
      name: 'deployments',
      version: 'v1',
      group: 'apps',
    });
    expect(splitTypeName('po')).toEqual({ name: 'po' });
    expect(splitTypeName('certificates.cert-manager.io')).toEqual({
      name: 'certificates',
      group: 'cert-manager.io',
    });
  });
});

describe('formatting helpers', () => {
  const now = Date.parse('2025-01-10T12:00:00Z');
  it('prints ages like kubectl', () => {
    expect(age('2025-01-10T11:59:15Z', now)).toBe('45s');
    expect(age('2025-01-10T11:54:30Z', now)).toBe('5m30s');
    expect(age('2025-01-10T11:43:00Z', now)).toBe('17m');
    expect(age('2025-01-10T08:48:00Z', now)).toBe('3h12m');
    expect(age('2025-01-09T16:00:00Z', now)).toBe('20h');
    expect(age('2025-01-06T06:00:00Z', now)).toBe('4d6h');
    expect(age('2024-12-29T12:00:00Z', now)).toBe('12d');
    expect(age(undefined, now)).toBe('<unknown>');
  });

  it('parses quantities', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1500000n')).toBeCloseTo(0.0015);
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('weird')).toBeUndefined();
  });

  it('drops managedFields and the last-applied annotation', () => {
    const out = clean({
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
      },
    });
    expect(out.metadata).toEqual({ name: 'x', annotations: { keep: 'me' } });
  });

  it('keeps the newest bytes of a log at a line boundary', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const { log, truncated } = keepNewest(text, 40);
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(40);
    expect(log.endsWith('line 99')).toBe(true);
    expect(log.startsWith('line ')).toBe(true);
    expect(truncated).toMatch(/older lines cut/);
    expect(keepNewest('short', 40)).toEqual({ log: 'short' });
  });
});

describe('pod status like kubectl', () => {
  const pod = (status: Pod['status'], extra: Partial<Pod> = {}): Pod => ({
    metadata: { name: 'p', namespace: 'n', ...(extra.metadata ?? {}) },
    spec: { containers: [{ name: 'app' }], ...(extra.spec ?? {}) },
    status,
  });

  it('shows waiting reasons, init progress, terminating and completion', () => {
    expect(
      podStatus(
        pod({
          phase: 'Running',
          containerStatuses: [
            { name: 'app', restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } } },
          ],
        }),
      ),
    ).toBe('CrashLoopBackOff');
    expect(
      podStatus(
        pod(
          {
            phase: 'Pending',
            initContainerStatuses: [{ name: 'init', state: { running: {} } }],
          },
          { spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] } },
        ),
      ),
    ).toBe('Init:0/1');
    expect(
      podStatus(
        pod(
          { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] },
          { metadata: { deletionTimestamp: '2025-01-01T00:00:00Z' } },
        ),
      ),
    ).toBe('Terminating');
    expect(
      podStatus(
        pod({
          phase: 'Succeeded',
          containerStatuses: [{ name: 'app', state: { terminated: { reason: 'Completed', exitCode: 0 } } }],
        }),
      ),
    ).toBe('Completed');
    const p = pod({
      phase: 'Running',
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 2, state: { running: {} } },
        { name: 'side', ready: false, restartCount: 1, state: { running: {} } },
      ],
    });
    p.spec!.containers!.push({ name: 'side' });
    expect(readyCount(p)).toBe('1/2');
    expect(restarts(p)).toBe(3);
  });

  it('names the workload behind a ReplicaSet', () => {
    expect(
      workloadOf({
        metadata: {
          name: 'web-7d9f8b6c5-x2k4p',
          labels: { 'pod-template-hash': '7d9f8b6c5' },
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d9f8b6c5', controller: true }],
        },
      }),
    ).toBe('Deployment/web');
    expect(
      workloadOf({ metadata: { name: 'db-0', ownerReferences: [{ kind: 'StatefulSet', name: 'db' }] } }),
    ).toBe('StatefulSet/db');
    expect(workloadOf({ metadata: { name: 'bare' } })).toBe('Pod/bare');
  });

  it('explains why a pod is not ready', () => {
    expect(
      notReadyReason({
        status: {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes: Insufficient cpu',
            },
          ],
        },
      }),
    ).toBe('not scheduled: Unschedulable — 0/3 nodes: Insufficient cpu');
    expect(
      notReadyReason({
        status: {
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'app',
              state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "x"' } },
            },
          ],
        },
      }),
    ).toBe('app: ImagePullBackOff — Back-off pulling image "x"');
    expect(
      notReadyReason({
        status: {
          phase: 'Running',
          containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }],
        },
      }),
    ).toMatch(/app: running but not ready.*probe_failures/);
  });
});

describe('security findings of a pod', () => {
  it('flags privileged, hostPath, host namespaces, root and capabilities', () => {
    const findings = podFindings({
      spec: {
        hostNetwork: true,
        hostPID: true,
        volumes: [{ name: 'root', hostPath: { path: '/var/run/docker.sock' } }],
        containers: [
          { name: 'a', securityContext: { privileged: true, runAsUser: 0 } },
          { name: 'b', securityContext: { capabilities: { add: ['NET_ADMIN'] }, runAsNonRoot: true } },
          { name: 'c', securityContext: { capabilities: { add: ['CHOWN'] }, runAsUser: 1000 } },
        ],
      },
    });
    const checks = findings.map((f) => `${f.severity}:${f.check}:${f.container ?? ''}`);
    expect(checks).toEqual([
      'high:hostNetwork:',
      'high:hostPID:',
      'high:hostPath:',
      'high:privileged:a',
      'high:runAsRoot:a',
      'high:capabilities:b',
      'medium:capabilities:c',
    ]);
    expect(podFindings({ spec: { containers: [{ name: 'x' }] } })).toEqual([
      expect.objectContaining({ severity: 'low', check: 'runAsNonRoot', container: 'x' }),
    ]);
  });
});

describe('rollout status like kubectl', () => {
  it('reports progress, completion and a missed deadline', () => {
    const d = (spec: number, status: Record<string, unknown>, generation = 2) => ({
      metadata: { name: 'web', generation },
      spec: { replicas: spec },
      status: { observedGeneration: 2, ...status },
    });
    expect(rolloutState(d(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).done).toBe(true);
    expect(rolloutState(d(3, { replicas: 3, updatedReplicas: 1 })).message).toMatch(
      /1 out of 3 new replicas have been updated/,
    );
    expect(rolloutState(d(3, { replicas: 4, updatedReplicas: 3 })).message).toMatch(
      /1 old replicas are pending/,
    );
    expect(rolloutState(d(3, { replicas: 3, updatedReplicas: 3, availableReplicas: 2 })).message).toMatch(
      /2 of 3 updated replicas are available/,
    );
    expect(rolloutState(d(3, {}, 3)).message).toMatch(/spec update to be observed/);
    expect(
      rolloutState(
        d(3, { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      ).failed,
    ).toBe(true);
  });
});

describe('KubeTargets', () => {
  it('lists contexts without credentials and picks the current one by default', () => {
    const targets = new KubeTargets(kubeconfig());
    expect(targets.names()).toEqual(['ctx-a', 'ctx-b', 'ctx-a2']);
    expect(targets.defaultTarget).toBe('ctx-b');
    const list = targets.list();
    expect(list[0]).toEqual({
      name: 'ctx-a',
      context: 'ctx-a',
      cluster: 'cluster-a',
      user: 'alice',
      server: 'https://a.example:6443',
      namespace: 'team-a',
      default: false,
    });
    expect(JSON.stringify(list)).not.toContain('sekret');
  });

  it('targets clusters, through the current context where it applies', () => {
    const targets = new KubeTargets(kubeconfig(), { by: 'cluster' });
    expect(targets.names()).toEqual(['cluster-a', 'cluster-b']);
    expect(targets.list().find((t) => t.name === 'cluster-a')?.context).toBe('ctx-a');
    expect(targets.defaultTarget).toBe('cluster-b');
  });

  it('resolves a context by its cluster name, and names close matches for unknown ones', async () => {
    const targets = new KubeTargets(kubeconfig());
    const client = await targets.client('cluster-b');
    expect(client.target).toBe('ctx-b');
    expect(client.server).toBe('https://b.example:6443');
    expect(client.defaultNamespace).toBe('default');
    expect((await targets.client('ctx-a')).defaultNamespace).toBe('team-a');
    await expect(targets.client('ctx-c', { field: 'context' })).rejects.toThrow(
      /Invalid input `context`: no context named "ctx-c"/,
    );
    targets.close();
  });

  it('caches one client per target and replaces it on set()', async () => {
    const targets = new KubeTargets([]);
    targets.set('one', kubeconfig());
    const a = await targets.client('one');
    expect(await targets.client('one')).toBe(a);
    expect(a.server).toBe('https://b.example:6443');
    targets.set('one', kubeconfig().replace('current-context: ctx-b', 'current-context: ctx-a'));
    const b = await targets.client('one');
    expect(b).not.toBe(a);
    expect(b.server).toBe('https://a.example:6443');
  });

  it('builds targets on demand through resolve()', async () => {
    const asked: string[] = [];
    const targets = new KubeTargets([], {
      by: 'cluster',
      resolve: async (name) => {
        asked.push(name);
        return name === 'oke-1' ? kubeconfig() : undefined;
      },
    });
    expect((await targets.client('oke-1')).server).toBe('https://b.example:6443');
    await targets.client('oke-1');
    expect(asked).toEqual(['oke-1']);
    await expect(targets.client('nope')).rejects.toThrow(/no cluster named "nope"/);
  });

  it('refuses exec plugins and file references in untrusted kubeconfigs', () => {
    expect(() => new KubeTargets(kubeconfig({ exec: true }), { untrusted: true })).toThrow(/exec plugins/);
    expect(() => new KubeTargets(kubeconfig({ file: true }), { untrusted: true })).toThrow(/tokenFile/);
    expect(new KubeTargets(kubeconfig({ exec: true })).size).toBe(3);
  });

  it('explains an empty configuration', async () => {
    await expect(new KubeTargets([]).client()).rejects.toThrow(/No Kubernetes cluster is configured/);
  });
});
