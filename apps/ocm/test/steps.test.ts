import { KubeApiError, type KubeClient, type KubeObject, type ResourceType } from '@cloudmcp/kube';
import { ToolError } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import { type ConnectRequest, type ConnectStep, establish } from '../src/connect/steps.js';

// The connect state machine on its own, over a hub that answers from a table: each step's failure (its
// number, name, cause and fix), the wait's deadline and its cancellation. The end-to-end tests run it
// against ocm-sim's agents; here the hub is told exactly what to say.

const CA_PEM = `-----BEGIN CERTIFICATE-----\n${Buffer.from('ca').toString('base64')}\n-----END CERTIFICATE-----\n`;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const True = (type: string, extra: Record<string, unknown> = {}) => ({ type, status: 'True', ...extra });
/** What an access object this server applied earlier carries. */
const OURS = { labels: { 'app.kubernetes.io/managed-by': 'cloudmcp-ocm' } };

/** A hub holding `objects` by `resource/namespace/name`; `apply` stores what it is given. */
function fakeHub(objects: Record<string, KubeObject>) {
  const applied: KubeObject[] = [];
  const key = (type: ResourceType, name: string, namespace?: string) =>
    `${type.resource}/${namespace ?? ''}/${name}`;
  const hub = {
    async get(type: ResourceType, name: string, opts: { namespace?: string } = {}) {
      const found = objects[key(type, name, opts.namespace)];
      if (found) return found;
      throw new KubeApiError(
        404,
        { message: `${type.resource} "${name}" not found` },
        {
          method: 'GET',
          path: `/${type.resource}/${name}`,
          target: 'hub',
          name,
        },
      );
    },
    async apply(type: ResourceType, object: KubeObject) {
      applied.push(object);
      const k = key(type, object.metadata!.name!, object.metadata?.namespace);
      objects[k] = { ...objects[k], ...object };
      return { object, created: true };
    },
  };
  return { hub: hub as unknown as KubeClient, applied };
}

/** Everything the hub says once a connection can be made, `patch` changing one part. */
function readyHub(patch: (objects: Record<string, KubeObject>) => void = () => {}) {
  const objects: Record<string, KubeObject> = {
    'managedclusters//c1': {
      spec: { hubAcceptsClient: true, managedClusterClientConfigs: [{ url: 'https://c1.example.com:6443' }] },
      status: { conditions: [True('HubAcceptedManagedCluster'), True('ManagedClusterConditionAvailable')] },
    },
    'managedclusteraddons/c1/managed-serviceaccount': {
      status: { namespace: 'addon-ns', conditions: [True('Available')] },
    },
    'manifestworks/c1/cloudmcp-ocm-rbac': {
      metadata: { ...OURS, generation: 1 },
      status: {
        conditions: [
          True('Applied', { observedGeneration: 1 }),
          True('Available', { observedGeneration: 1 }),
        ],
      },
    },
    'managedserviceaccounts/c1/cloudmcp-ocm': {
      metadata: OURS,
      status: { conditions: [True('TokenReported')], tokenSecretRef: { name: 'cloudmcp-ocm' } },
    },
    'secrets/c1/cloudmcp-ocm': { data: { token: b64('the-token'), 'ca.crt': b64(CA_PEM) } },
  };
  patch(objects);
  return fakeHub(objects);
}

const request: ConnectRequest = {
  cluster: 'c1',
  role: 'view',
  serviceAccount: 'cloudmcp-ocm',
  tokenValidityHours: 24,
  timeoutMs: 5_000,
};

function recorder() {
  const steps: ConnectStep[] = [];
  return { steps, report: async (step: ConnectStep) => void steps.push(step) };
}

describe('establish', () => {
  it('runs the five hub steps in order and returns what the kubeconfig needs', async () => {
    const { hub, applied } = readyHub();
    const { steps, report } = recorder();
    const done = await establish(hub, request, { report });
    expect(done).toEqual({
      server: 'https://c1.example.com:6443',
      caPem: CA_PEM,
      secretName: 'cloudmcp-ocm',
      namespace: 'addon-ns',
      user: 'system:serviceaccount:addon-ns:cloudmcp-ocm',
    });
    expect([...new Set(steps)]).toEqual(['cluster', 'add-on', 'service account', 'role binding', 'token']);
    expect(applied.map((o) => o.kind)).toEqual(['ManagedServiceAccount', 'ManifestWork']);
    const work = applied[1] as { spec: { workload: { manifests: Array<Record<string, unknown>> } } };
    expect(work.spec.workload.manifests).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'cloudmcp-ocm-view', labels: { 'app.kubernetes.io/managed-by': 'cloudmcp-ocm' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'ServiceAccount', name: 'cloudmcp-ocm', namespace: 'addon-ns' }],
      },
    ]);
  });

  it.each([
    [
      'a cluster that is not available',
      (o: Record<string, KubeObject>) => {
        o['managedclusters//c1']!['status'] = {
          conditions: [
            True('HubAcceptedManagedCluster'),
            {
              type: 'ManagedClusterConditionAvailable',
              status: 'Unknown',
              reason: 'ManagedClusterLeaseUpdateStopped',
              message: 'Registration agent stopped updating its lease.',
            },
          ],
        };
      },
      /step 1\/6 \(cluster\) failed: it is not available \(ManagedClusterLeaseUpdateStopped: Registration agent stopped updating its lease\.\)/,
    ],
    [
      'an add-on that is not Available',
      (o: Record<string, KubeObject>) => {
        o['managedclusteraddons/c1/managed-serviceaccount']!['status'] = {
          conditions: [
            { type: 'Available', status: 'False', reason: 'ManagedClusterAddOnLeaseUpdateStopped' },
          ],
        };
      },
      /step 2\/6 \(add-on\) failed: the managed-serviceaccount add-on is not Available \(ManagedClusterAddOnLeaseUpdateStopped\)/,
    ],
    [
      'a work the agent could not apply',
      (o: Record<string, KubeObject>) => {
        o['manifestworks/c1/cloudmcp-ocm-rbac'] = {
          metadata: OURS,
          status: {
            conditions: [{ type: 'Applied', status: 'False', reason: 'AppliedManifestWorkFailed' }],
            resourceStatus: {
              manifests: [
                {
                  conditions: [
                    {
                      type: 'Applied',
                      status: 'False',
                      reason: 'AppliedManifestFailed',
                      message: 'clusterrolebindings is forbidden',
                    },
                  ],
                },
              ],
            },
          },
        };
      },
      /step 5\/6 \(token\) failed: the work agent could not apply ManifestWork c1\/cloudmcp-ocm-rbac: AppliedManifestFailed: clusterrolebindings is forbidden/,
    ],
    [
      'a token the add-on could not report',
      (o: Record<string, KubeObject>) => {
        o['managedserviceaccounts/c1/cloudmcp-ocm'] = {
          metadata: OURS,
          status: { conditions: [{ type: 'TokenReported', status: 'False', reason: 'TokenReportFailed' }] },
        };
      },
      /step 5\/6 \(token\) failed: the add-on could not project the token \(TokenReportFailed\)/,
    ],
    [
      'a ManagedServiceAccount of our name that another tool made',
      (o: Record<string, KubeObject>) => {
        o['managedserviceaccounts/c1/cloudmcp-ocm'] = { metadata: { name: 'cloudmcp-ocm' } };
      },
      /step 3\/6 \(service account\) failed: ManagedServiceAccount c1\/cloudmcp-ocm was not made by this server/,
    ],
    [
      'a ManifestWork of our work’s name that another tool made',
      (o: Record<string, KubeObject>) => {
        o['manifestworks/c1/cloudmcp-ocm-rbac'] = {
          metadata: { labels: { 'app.kubernetes.io/managed-by': 'argo' } },
        };
      },
      /step 4\/6 \(role binding\) failed: ManifestWork c1\/cloudmcp-ocm-rbac was not made by this server/,
    ],
  ])('fails at once on %s, naming the step', async (_what, patch, problem) => {
    const { hub, applied } = readyHub(patch);
    const failure = await establish(hub, request, { report: async () => {} }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ToolError);
    if (/not made by this server/.test(String(failure))) expect(applied).toEqual([]);
    expect((failure as ToolError).message).toMatch(problem);
    expect((failure as ToolError).details.next).toBeTruthy();
  });

  it('gives up at the deadline, saying what it still waits for and how to resume', async () => {
    const { hub } = readyHub((o) => {
      delete o['manifestworks/c1/cloudmcp-ocm-rbac']!['status'];
    });
    const failure = (await establish(hub, { ...request, timeoutMs: 300 }, { report: async () => {} }).catch(
      (e: unknown) => e,
    )) as ToolError;
    expect(failure.message).toMatch(
      /step 5\/6 \(token\) failed: still not ready after 0 s \(ManifestWork cloudmcp-ocm-rbac: Applied not reported, Available not reported; reported\)/,
    );
    expect(failure.details.next).toContain('Call connect_cluster again');
  });

  it('stops waiting when the call is cancelled', async () => {
    const { hub } = readyHub((o) => {
      delete o['managedserviceaccounts/c1/cloudmcp-ocm']!['status'];
    });
    const controller = new AbortController();
    const report = async (step: ConnectStep, message: string) => {
      if (
        step === 'token' &&
        message !== 'waiting for the role binding to be applied and the token to be projected'
      ) {
        controller.abort(); // after the first look: still waiting for the token
      }
    };
    const failure = (await establish(hub, request, { signal: controller.signal, report }).catch(
      (e: unknown) => e,
    )) as ToolError;
    expect(failure.message).toBe('The call was cancelled.');
  });
});
