/**
 * connect_cluster as an idempotent state machine over the hub's API (as the seed server meant it, without
 * its races): each step reads or applies one thing, names itself in progress notifications and in its
 * failure, and running the whole again resumes where it stopped. Nothing is created on the managed cluster
 * directly: the managed-serviceaccount add-on and the work agent do that, as OCM intends.
 */
import {
  KubeApiError,
  type KubeClient,
  type KubeObject,
  kubeToolError,
  localAddressKind,
  type ResourceType,
  TYPES,
} from '@cloudmcp/kube';
import { poll, ToolError } from '@cloudmcp/toolkit';
import {
  conditionOf,
  describeCondition,
  HUB_ACCESS_NEXT,
  isOurs,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  MSA_ADDON,
  NOT_A_HUB_NEXT,
  notServed,
  OCM_TYPES,
} from '../resources.js';

/** The steps, in order, as progress and errors name them. */
export const CONNECT_STEPS = [
  'cluster',
  'add-on',
  'service account',
  'role binding',
  'token',
  'kubeconfig',
] as const;
export type ConnectStep = (typeof CONNECT_STEPS)[number];

/** Where the add-on puts its agent (and the service accounts) when it does not say. */
const DEFAULT_ADDON_NAMESPACE = 'open-cluster-management-agent-addon';

export interface ConnectRequest {
  cluster: string;
  /** The ClusterRole to bind (already checked against the operator's allowlist). */
  role: string;
  serviceAccount: string;
  /** The tokens' validity the ManagedServiceAccount asks for. */
  tokenValidityHours: number;
  /** Overall deadline of the wait for the binding and the token. */
  timeoutMs: number;
}

/** What a finished connect knows: enough to build the kubeconfig and to read the token again later. */
export interface Established {
  server: string;
  /** PEM of the managed cluster's API server CA, from the token Secret. */
  caPem: string;
  /** The hub Secret holding the token (`<cluster>/<name>`). */
  secretName: string;
  /** The service account's namespace on the managed cluster. */
  namespace: string;
  /** `system:serviceaccount:<namespace>:<name>`. */
  user: string;
}

/** Tells the caller a step started or moved on (progress notifications); `fraction` within the step. */
export type StepReport = (step: ConnectStep, message: string, fraction?: number) => Promise<void>;

export interface StepOptions {
  signal?: AbortSignal;
  report: StepReport;
}

/** The ManifestWork carrying this server's role binding on one cluster. */
export function workName(serviceAccount: string): string {
  return `${serviceAccount}-rbac`;
}

/** The ClusterRoleBinding that binds `role` to the service account. */
export function bindingName(serviceAccount: string, role: string): string {
  return `${serviceAccount}-${role.replace(/:/g, '-')}`;
}

/** A step's failure: which step, why, what to do. The upstream's own code and message are kept. */
function stepFailed(
  cluster: string,
  step: ConnectStep,
  why: string,
  details: { next?: string; code?: string | number; upstreamMessage?: string } = {},
): ToolError {
  const n = CONNECT_STEPS.indexOf(step) + 1;
  return new ToolError(
    `connect_cluster ${cluster}: step ${n}/${CONNECT_STEPS.length} (${step}) failed: ${why}`,
    details,
  );
}

/** Runs one step; a Kubernetes error in it becomes that step's failure. */
async function inStep<T>(cluster: string, step: ConnectStep, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ToolError && error.message.startsWith('connect_cluster ')) throw error;
    const missing = notServed(error);
    if (missing) throw stepFailed(cluster, step, `${missing}.`, { next: NOT_A_HUB_NEXT });
    const forbidden = error instanceof KubeApiError && error.code === 403;
    const mapped = kubeToolError(error, forbidden ? { next: HUB_ACCESS_NEXT } : {});
    if (!(mapped instanceof ToolError)) throw error;
    throw stepFailed(cluster, step, mapped.message, {
      ...(mapped.details.code !== undefined ? { code: mapped.details.code } : {}),
      ...(mapped.details.upstreamMessage ? { upstreamMessage: mapped.details.upstreamMessage } : {}),
      next:
        mapped.details.next ??
        'Fix what the message names on the hub, then call connect_cluster again: it resumes where it stopped.',
    });
  }
}

/** An object, or undefined on 404. */
async function getOrNone(
  hub: KubeClient,
  type: ResourceType,
  name: string,
  namespace: string | undefined,
  signal: AbortSignal | undefined,
): Promise<KubeObject | undefined> {
  try {
    return await hub.get(type, name, { ...(namespace ? { namespace } : {}), ...(signal ? { signal } : {}) });
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404 && !notServed(error)) return undefined;
    throw error;
  }
}

/** The managed cluster's API server URL as the hub has it: https, no user info; else the step fails. */
export function clientUrl(cluster: string, managed: KubeObject): string {
  const configs = (managed['spec'] as { managedClusterClientConfigs?: Array<{ url?: unknown }> } | undefined)
    ?.managedClusterClientConfigs;
  const url = configs?.find((c) => typeof c?.url === 'string' && c.url !== '')?.url as string | undefined;
  if (url === undefined) {
    throw stepFailed(
      cluster,
      'cluster',
      'its ManagedCluster has no client config URL (spec.managedClusterClientConfigs).',
      {
        next: "The klusterlet reports the URL when it registers; check the cluster's klusterlet, then try again.",
      },
    );
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const next =
    "Fix spec.managedClusterClientConfigs[0].url of the ManagedCluster (the klusterlet's --cluster-name/server settings).";
  // the text as written, not as a URL parser would repair it: no space, control, backslash, query or fragment
  if (
    !PLAIN_URL.test(url) ||
    parsed?.protocol !== 'https:' ||
    parsed.username !== '' ||
    parsed.password !== '' ||
    /[?#]/.test(url)
  ) {
    throw stepFailed(
      cluster,
      'cluster',
      'its client config URL is not a plain https:// URL (no user info, query or fragment); this server only talks TLS to a managed cluster.',
      { next },
    );
  }
  // loopback stays allowed (kind and ocm-sim clusters live there); TLS is verified with the cluster CA anyway
  const local = localAddressKind(parsed.hostname);
  if (local && local !== 'loopback') {
    throw stepFailed(
      cluster,
      'cluster',
      `its client config URL points at a local address (${local}: ${parsed.hostname}), where no managed cluster's API server is.`,
      { next },
    );
  }
  return url;
}

/** A URL as the hub should hold it: printable ASCII without space or backslash. */
const PLAIN_URL = /^[\x21-\x5b\x5d-\x7e]+$/;

/** Step 1: the ManagedCluster exists, is accepted and available, and has a URL. */
async function checkCluster(hub: KubeClient, request: ConnectRequest, opts: StepOptions): Promise<string> {
  const { cluster } = request;
  await opts.report('cluster', `checking ManagedCluster ${cluster}`);
  return inStep(cluster, 'cluster', async () => {
    const managed = await getOrNone(hub, OCM_TYPES.managedClusters, cluster, undefined, opts.signal);
    if (!managed) {
      throw stepFailed(cluster, 'cluster', `the hub has no ManagedCluster named "${cluster}".`, {
        next: 'List the managed clusters with `clusters`.',
      });
    }
    const accepted = conditionOf(managed, 'HubAcceptedManagedCluster');
    const acceptedBySpec =
      (managed['spec'] as { hubAcceptsClient?: unknown } | undefined)?.hubAcceptsClient === true;
    if (!acceptedBySpec || accepted?.status !== 'True') {
      throw stepFailed(cluster, 'cluster', `the hub has not accepted it (${describeCondition(accepted)}).`, {
        next: `A hub admin accepts it with \`clusteradm accept --clusters ${cluster}\`.`,
      });
    }
    const available = conditionOf(managed, 'ManagedClusterConditionAvailable');
    if (available?.status !== 'True') {
      throw stepFailed(cluster, 'cluster', `it is not available (${describeCondition(available)}).`, {
        next: 'Check the cluster and its klusterlet (`clusters` shows AVAILABLE); try again once it is back.',
      });
    }
    return clientUrl(cluster, managed);
  });
}

/** Step 2: the managed-serviceaccount add-on is enabled on the cluster and Available; its namespace. */
async function checkAddon(hub: KubeClient, request: ConnectRequest, opts: StepOptions): Promise<string> {
  const { cluster } = request;
  await opts.report('add-on', `checking the ${MSA_ADDON} add-on`);
  return inStep(cluster, 'add-on', async () => {
    const addon = await getOrNone(hub, OCM_TYPES.managedClusterAddOns, MSA_ADDON, cluster, opts.signal);
    if (!addon) {
      throw stepFailed(
        cluster,
        'add-on',
        `the ${MSA_ADDON} add-on is not enabled on it (no ManagedClusterAddOn ${cluster}/${MSA_ADDON}).`,
        {
          next:
            `A hub admin enables it with \`clusteradm addon enable --names ${MSA_ADDON} --clusters ${cluster}\` ` +
            '(the add-on must be installed on the hub first); this server does not enable add-ons itself.',
        },
      );
    }
    const available = conditionOf(addon, 'Available');
    if (available?.status !== 'True') {
      throw stepFailed(
        cluster,
        'add-on',
        `the ${MSA_ADDON} add-on is not Available (${describeCondition(available)}).`,
        {
          next: `Check the add-on's agent on the cluster (\`kubectl get managedclusteraddon -n ${cluster}\` on the hub).`,
        },
      );
    }
    const namespace = (addon['status'] as { namespace?: unknown } | undefined)?.namespace;
    return typeof namespace === 'string' && namespace !== '' ? namespace : DEFAULT_ADDON_NAMESPACE;
  });
}

/** The two objects a connection consists of on the hub, each with the step that applies it. */
function accessObjects(serviceAccount: string) {
  return [
    { type: OCM_TYPES.managedServiceAccounts, name: serviceAccount, step: 'service account' },
    { type: OCM_TYPES.manifestWorks, name: workName(serviceAccount), step: 'role binding' },
  ] as const;
}

/**
 * Before steps 3 and 4 apply anything: an object of their names that lacks this server's label belongs to
 * another tool or person. Server-side apply with force would take it over (and disconnect would later delete
 * it), so the step fails instead, naming it, and nothing is applied.
 */
async function checkOwnership(hub: KubeClient, request: ConnectRequest, opts: StepOptions): Promise<void> {
  const { cluster, serviceAccount } = request;
  for (const { type, name, step } of accessObjects(serviceAccount)) {
    const existing = await inStep(cluster, step, () => getOrNone(hub, type, name, cluster, opts.signal));
    if (existing && !isOurs(existing)) {
      throw stepFailed(
        cluster,
        step,
        `${type.kind} ${cluster}/${name} was not made by this server (it lacks the label ${MANAGED_BY_LABEL}): ` +
          'another tool or person uses that name, and this server ' +
          'neither takes it over nor changes it.',
        {
          next:
            'Start this server with another --service-account (OCM_SERVICE_ACCOUNT), or have the owner of ' +
            `${type.kind} ${cluster}/${name} remove it if it is no longer used.`,
        },
      );
    }
  }
}

/** Step 3: the ManagedServiceAccount, applied (server-side apply) with rotation. */
async function applyServiceAccount(
  hub: KubeClient,
  request: ConnectRequest,
  opts: StepOptions,
): Promise<void> {
  const { cluster, serviceAccount } = request;
  await opts.report('service account', `applying ManagedServiceAccount ${cluster}/${serviceAccount}`);
  await inStep(cluster, 'service account', () =>
    hub.apply(
      OCM_TYPES.managedServiceAccounts,
      {
        apiVersion: OCM_TYPES.managedServiceAccounts.apiVersion,
        kind: 'ManagedServiceAccount',
        metadata: { name: serviceAccount, namespace: cluster, labels: MANAGED_BY },
        spec: { rotation: { enabled: true, validity: `${request.tokenValidityHours}h0m0s` } },
      },
      { force: true, ...(opts.signal ? { signal: opts.signal } : {}) },
    ),
  );
}

/**
 * Step 4: the ManifestWork whose one manifest binds the role to the service account on the managed
 * cluster. It always holds exactly one binding, so a role change replaces the old binding (the work agent
 * deletes what a work no longer lists).
 */
async function applyBinding(
  hub: KubeClient,
  request: ConnectRequest,
  namespace: string,
  opts: StepOptions,
): Promise<void> {
  const { cluster, serviceAccount, role } = request;
  const name = workName(serviceAccount);
  await opts.report('role binding', `applying ManifestWork ${cluster}/${name} (ClusterRole ${role})`);
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: bindingName(serviceAccount, role), labels: MANAGED_BY },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
  };
  await inStep(cluster, 'role binding', () =>
    hub.apply(
      OCM_TYPES.manifestWorks,
      {
        apiVersion: OCM_TYPES.manifestWorks.apiVersion,
        kind: 'ManifestWork',
        metadata: { name, namespace: cluster, labels: MANAGED_BY },
        spec: { workload: { manifests: [binding] } },
      },
      { force: true, ...(opts.signal ? { signal: opts.signal } : {}) },
    ),
  );
}

interface Readiness {
  work: string;
  token: string;
  secret?: { name: string; token: string; caPem: string };
}

/** One look at the work and the token: fails at once on what waiting cannot fix. */
async function readiness(hub: KubeClient, request: ConnectRequest, signal: AbortSignal): Promise<Readiness> {
  const { cluster, serviceAccount } = request;
  const name = workName(serviceAccount);
  const work = await getOrNone(hub, OCM_TYPES.manifestWorks, name, cluster, signal);
  const applied = conditionOf(work, 'Applied');
  if (applied?.status === 'False') {
    const manifest = manifestFailure(work);
    throw stepFailed(
      cluster,
      'token',
      `the work agent could not apply ManifestWork ${cluster}/${name}: ${manifest ?? describeCondition(applied)}.`,
      {
        next: `Check that ClusterRole ${request.role} exists on the cluster and the work agent may bind it; then connect again.`,
      },
    );
  }
  const generation = work?.metadata?.generation;
  const current = (c: ReturnType<typeof conditionOf>) =>
    c?.status === 'True' &&
    (generation === undefined || c.observedGeneration === undefined || c.observedGeneration >= generation);
  const available = conditionOf(work, 'Available');
  const workState = !work
    ? `ManifestWork ${name} not found`
    : current(applied) && current(available)
      ? 'applied'
      : `ManifestWork ${name}: Applied ${applied?.status ?? 'not reported'}, Available ${available?.status ?? 'not reported'}`;

  const msa = await getOrNone(hub, OCM_TYPES.managedServiceAccounts, serviceAccount, cluster, signal);
  const reported = conditionOf(msa, 'TokenReported');
  if (reported?.status === 'False') {
    throw stepFailed(
      cluster,
      'token',
      `the add-on could not project the token (${describeCondition(reported)}).`,
      {
        next: "Check the managed-serviceaccount agent's logs on the cluster; then connect again.",
      },
    );
  }
  const ref = (msa?.['status'] as { tokenSecretRef?: { name?: unknown } } | undefined)?.tokenSecretRef?.name;
  if (reported?.status !== 'True' || typeof ref !== 'string' || ref === '') {
    return { work: workState, token: 'token not reported yet' };
  }
  const secret = await getOrNone(hub, TYPES.secrets, ref, cluster, signal);
  const read = secret ? tokenSecretData(secret) : undefined;
  if (!read) return { work: workState, token: `token Secret ${cluster}/${ref} not complete yet` };
  return { work: workState, token: 'reported', secret: { name: ref, ...read } };
}

/** The first per-manifest Applied=False message of a work, if any (they carry their conditions directly). */
function manifestFailure(work: KubeObject | undefined): string | undefined {
  const manifests = (
    work?.['status'] as { resourceStatus?: { manifests?: Array<{ conditions?: unknown }> } } | undefined
  )?.resourceStatus?.manifests;
  for (const manifest of manifests ?? []) {
    const applied = conditionOf({ status: { conditions: manifest.conditions } }, 'Applied');
    if (applied?.status === 'False') return describeCondition(applied);
  }
  return undefined;
}

/** Service-account tokens are JWTs of a few KiB; a longer one is not a token. */
const MAX_TOKEN_CHARS = 16 * 1024;

/** The token and CA of the token Secret, or undefined when either is missing or unusable. */
export function tokenSecretData(secret: KubeObject): { token: string; caPem: string } | undefined {
  const data = secret['data'] as Record<string, unknown> | undefined;
  const token = decode(data?.['token']);
  const caPem = decode(data?.['ca.crt']);
  // a token is one printable line (anything else would split the Authorization header) of a sane length
  if (
    !token ||
    token.length > MAX_TOKEN_CHARS ||
    !/^[\x21-\x7e]+$/.test(token) ||
    !caPem?.includes('-----BEGIN CERTIFICATE-----')
  )
    return undefined;
  return { token, caPem };
}

function decode(value: unknown): string | undefined {
  return typeof value === 'string' && value !== ''
    ? Buffer.from(value, 'base64').toString('utf8')
    : undefined;
}

/** Step 5: waits (backoff, deadline, cancellable) for the binding to be applied and the token projected. */
async function waitForAccess(
  hub: KubeClient,
  request: ConnectRequest,
  opts: StepOptions,
): Promise<{ name: string; token: string; caPem: string }> {
  const { cluster } = request;
  const signal = opts.signal ?? new AbortController().signal;
  await opts.report('token', 'waiting for the role binding to be applied and the token to be projected');
  const outcome = await inStep(cluster, 'token', () =>
    poll({
      check: async (s) => {
        const state = await readiness(hub, request, s);
        const done = state.work === 'applied' && state.secret !== undefined;
        return {
          done,
          ...(state.secret ? { result: state.secret } : {}),
          message: `${state.work}; ${state.token}`,
        };
      },
      timeoutMs: request.timeoutMs,
      intervalMs: 250,
      maxIntervalMs: 2_000,
      signal,
      onProgress: ({ progress, message }) =>
        opts.report('token', message ?? 'waiting', 1 - 1 / (progress + 1)),
    }),
  );
  if (outcome.status === 'done') return outcome.result;
  if (outcome.status === 'cancelled') throw new ToolError('The call was cancelled.');
  throw stepFailed(
    cluster,
    'token',
    `still not ready after ${Math.round(request.timeoutMs / 1000)} s (${outcome.last?.message ?? 'nothing reported'}).`,
    {
      next:
        'Call connect_cluster again to keep waiting (it resumes here), or raise --connect-timeout; check the ' +
        "cluster's work agent and managed-serviceaccount agent if it stays so.",
    },
  );
}

/**
 * Steps 1–5 for one cluster: returns what step 6 (the kubeconfig, built by the caller) needs. Idempotent:
 * applied objects are applied again unchanged, and a finished wait returns at once.
 */
export async function establish(
  hub: KubeClient,
  request: ConnectRequest,
  opts: StepOptions,
): Promise<Established> {
  const server = await checkCluster(hub, request, opts);
  const namespace = await checkAddon(hub, request, opts);
  await checkOwnership(hub, request, opts);
  await applyServiceAccount(hub, request, opts);
  await applyBinding(hub, request, namespace, opts);
  const secret = await waitForAccess(hub, request, opts);
  return {
    server,
    caPem: secret.caPem,
    secretName: secret.name,
    namespace,
    user: `system:serviceaccount:${namespace}:${request.serviceAccount}`,
  };
}

/** What disconnecting did to one access object; `not ours` lacks this server's label and is left alone. */
export type Removal = 'deleted' | 'absent' | 'not ours';

export interface Teardown {
  managed_service_account: Removal;
  manifest_work: Removal;
}

/**
 * Removes this server's access to a cluster: the ManagedServiceAccount (the add-on then deletes the
 * service account and the token Secret) and the ManifestWork (the work agent then deletes the binding),
 * waiting until the work is gone so the binding is known removed. Objects already gone are fine; objects
 * of those names without this server's label are another tool's and are not deleted.
 */
export async function teardown(
  hub: KubeClient,
  cluster: string,
  serviceAccount: string,
  timeoutMs: number,
  opts: { signal?: AbortSignal; report: (message: string, fraction: number) => Promise<void> },
): Promise<Teardown> {
  const signal = opts.signal ?? new AbortController().signal;
  const remove = async (type: ResourceType, name: string): Promise<Removal> => {
    try {
      const existing = await getOrNone(hub, type, name, cluster, signal);
      if (!existing) return 'absent';
      if (!isOurs(existing)) return 'not ours';
      await hub.delete(type, name, { namespace: cluster, signal });
      return 'deleted';
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) return 'absent';
      throw kubeToolError(error);
    }
  };
  const [msaObject, workObject] = accessObjects(serviceAccount);
  const name = workObject.name;
  await opts.report(`deleting ManagedServiceAccount ${cluster}/${serviceAccount}`, 0.1);
  const msa = await remove(msaObject.type, msaObject.name);
  await opts.report(`deleting ManifestWork ${cluster}/${name}`, 0.3);
  const work = await remove(workObject.type, name);
  if (work !== 'deleted') return { managed_service_account: msa, manifest_work: work };
  const outcome = await poll({
    check: async (s) => ({
      done: !(await getOrNone(hub, OCM_TYPES.manifestWorks, name, cluster, s)),
      message: `waiting for the work agent to remove the role binding and ManifestWork ${name}`,
    }),
    timeoutMs,
    intervalMs: 250,
    maxIntervalMs: 2_000,
    signal,
    onProgress: ({ progress, message }) =>
      opts.report(message ?? 'waiting', 0.3 + 0.7 * (1 - 1 / (progress + 1))),
  });
  if (outcome.status === 'cancelled') throw new ToolError('The call was cancelled.');
  if (outcome.status === 'timeout') {
    throw new ToolError(
      `disconnect_cluster ${cluster}: ManifestWork ${cluster}/${name} is still there after ${Math.round(timeoutMs / 1000)} s; its role binding may still be on the cluster.`,
      {
        next: "The work agent removes it once it reaches the cluster: check the cluster's availability, then call disconnect_cluster again.",
      },
    );
  }
  return { managed_service_account: msa, manifest_work: work };
}
