import { release } from 'node:os';
import {
  ConfigError,
  HttpClient,
  type Logger,
  routeConsoleToLogger,
  ToolError,
  UpstreamError,
} from '@cloudmcp/toolkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { normalizeOciEndpoint, OciApi } from '../../src/oci/api.js';
import { OciAuth } from '../../src/oci/auth.js';
import { FakeOci } from './fake-oci.js';
import { CLUSTER, COMPARTMENT, makeKey, sessionToken, TENANCY, TempHome, USER } from './helpers.js';

// The real OCI SDK clients against a signature-checking fake endpoint (test/oci/fake-oci.ts).

const key = makeKey();
const KEY_ID = `${TENANCY}/${USER}/${key.fingerprint}`;
const NODE_POOL = 'ocid1.nodepool.oc1.phx.aaaaaaaanodepool';
const WORK_REQUEST = 'ocid1.clustersworkrequest.oc1.phx.aaaaaaaawork';

let home: TempHome;
let fake: FakeOci;
let endpoint: string;

beforeAll(() => {
  home = new TempHome();
  home.write(
    '.oci/config',
    `[DEFAULT]\nuser=${USER}\nfingerprint=${key.fingerprint}\nkey_file=~/.oci/key.pem\ntenancy=${TENANCY}\nregion=us-phoenix-1\n\n[session]\nkey_file=~/.oci/key.pem\nregion=us-phoenix-1\nsecurity_token_file=~/.oci/token\n`,
  );
  home.write('.oci/key.pem', key.pem);
});

afterAll(() => home.dispose());

beforeEach(async () => {
  fake = new FakeOci();
  fake.trust(KEY_ID, key.publicKey);
  endpoint = await fake.start();
});

afterEach(async () => {
  await fake.close();
});

/** Records debug lines (the SDK's console output lands here). */
function recordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    debug: (message) => lines.push(message),
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    with: () => logger,
  };
  return logger;
}

function api(options: { env?: Record<string, string> } = {}): OciApi {
  const auth = new OciAuth({ env: options.env ?? {}, home: home.dir, cwd: home.dir });
  // Backoff waits are skipped, not slept.
  const http = new HttpClient({ sleep: async () => undefined });
  return new OciApi({
    auth,
    endpoint: `${endpoint}/`,
    http,
  });
}

async function toolError(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

const CLUSTER_SUMMARY = {
  id: CLUSTER,
  name: 'prod',
  compartmentId: COMPARTMENT,
  kubernetesVersion: 'v1.31.1',
  lifecycleState: 'ACTIVE',
  metadata: { timeCreated: '2024-11-04T04:40:12.456Z', createdByUserId: USER },
};

describe('OciApi through the OCI SDK', () => {
  it('lists clusters with paging, every query value encoded once, timestamps as strings', async () => {
    fake.route('GET /20180222/clusters', () => ({
      status: 200,
      body: [CLUSTER_SUMMARY],
      headers: { 'opc-next-page': 'page+2/=' },
    }));
    const page = await api().listClusters({
      compartmentId: COMPARTMENT,
      name: 'a&b c',
      lifecycleStates: ['ACTIVE', 'UPDATING'],
      limit: 10,
      page: 'p+1/=',
      sortBy: 'NAME',
    });
    expect(page).toEqual({ items: [CLUSTER_SUMMARY], nextPage: 'page+2/=' });
    expect(typeof page.items[0]?.metadata?.timeCreated).toBe('string');
    const [request] = fake.requests;
    expect(request?.keyId).toBe(KEY_ID);
    expect(request?.query.get('compartmentId')).toBe(COMPARTMENT);
    expect(request?.query.get('name')).toBe('a&b c');
    expect(request?.query.getAll('lifecycleState')).toEqual(['ACTIVE', 'UPDATING']);
    expect(request?.query.get('page')).toBe('p+1/=');
    expect(request?.query.get('limit')).toBe('10');
    expect(request?.query.get('sortBy')).toBe('NAME');
    expect([...(request?.query.keys() ?? [])].sort()).toEqual(
      ['compartmentId', 'lifecycleState', 'lifecycleState', 'limit', 'name', 'page', 'sortBy'].sort(),
    );
    // The SDK's User-Agent names the OS release; ours does not send it.
    expect(String(request?.headers['user-agent'])).not.toContain(release());
  });

  it('gets a cluster, a node pool and a work request', async () => {
    fake.route(`GET /20180222/clusters/${CLUSTER}`, () => ({
      status: 200,
      body: { ...CLUSTER_SUMMARY, vcnId: 'v' },
    }));
    fake.route(`GET /20180222/nodePools/${NODE_POOL}`, () => ({
      status: 200,
      body: { id: NODE_POOL, nodes: [] },
    }));
    fake.route(`GET /20180222/workRequests/${WORK_REQUEST}`, () => ({
      status: 200,
      body: { id: WORK_REQUEST, status: 'IN_PROGRESS', percentComplete: 40 },
    }));
    const client = api();
    expect(await client.getCluster(CLUSTER)).toMatchObject({ id: CLUSTER, vcnId: 'v' });
    expect(await client.getNodePool(NODE_POOL)).toEqual({ id: NODE_POOL, nodes: [] });
    expect(await client.getWorkRequest(WORK_REQUEST)).toEqual({
      id: WORK_REQUEST,
      status: 'IN_PROGRESS',
      percentComplete: 40,
    });
  });

  it('lists node pools of a cluster and the work requests, errors and logs', async () => {
    fake.route('GET /20180222/nodePools', (request) => ({
      status: 200,
      body: [{ id: NODE_POOL, clusterId: request.query.get('clusterId') }],
    }));
    fake.route('GET /20180222/workRequests', () => ({ status: 200, body: [{ id: WORK_REQUEST }] }));
    fake.route(`GET /20180222/workRequests/${WORK_REQUEST}/errors`, () => ({
      status: 200,
      body: [{ code: 'LimitExceeded', message: 'no capacity', timestamp: '2024-11-04T04:47:02.000Z' }],
    }));
    fake.route(`GET /20180222/workRequests/${WORK_REQUEST}/logs`, () => ({
      status: 200,
      body: [{ message: 'scaling', timestamp: '2024-11-04T04:41:00.000Z' }],
    }));
    const client = api();
    expect(await client.listNodePools({ compartmentId: COMPARTMENT, clusterId: CLUSTER })).toEqual({
      items: [{ id: NODE_POOL, clusterId: CLUSTER }],
    });
    await client.listWorkRequests({
      compartmentId: COMPARTMENT,
      resourceId: NODE_POOL,
      resourceType: 'NODEPOOL',
      statuses: ['ACCEPTED', 'IN_PROGRESS'],
    });
    const listed = fake.requests.at(-1);
    expect(listed?.query.getAll('status')).toEqual(['ACCEPTED', 'IN_PROGRESS']);
    expect(listed?.query.get('resourceType')).toBe('NODEPOOL');
    expect(await client.listWorkRequestErrors(COMPARTMENT, WORK_REQUEST)).toEqual([
      { code: 'LimitExceeded', message: 'no capacity', timestamp: '2024-11-04T04:47:02.000Z' },
    ]);
    expect(fake.requests.at(-1)?.query.get('compartmentId')).toBe(COMPARTMENT);
    expect(await client.listWorkRequestLogs(COMPARTMENT, WORK_REQUEST)).toEqual([
      { message: 'scaling', timestamp: '2024-11-04T04:41:00.000Z' },
    ]);
  });

  it('scales a node pool with a signed PUT and returns the work request; never re-sends it', async () => {
    let answer = { status: 202, headers: { 'opc-work-request-id': WORK_REQUEST } } as {
      status: number;
      headers?: Record<string, string>;
      body?: unknown;
    };
    fake.route(`PUT /20180222/nodePools/${NODE_POOL}`, () => answer);
    const client = api();
    expect(await client.updateNodePoolSize(NODE_POOL, 3, { ifMatch: 'etag-1' })).toEqual({
      workRequestId: WORK_REQUEST,
    });
    const [request] = fake.requests;
    expect(JSON.parse(request?.body ?? '')).toEqual({ nodeConfigDetails: { size: 3 } });
    expect(request?.headers['if-match']).toBe('etag-1');

    answer = { status: 500, body: { code: 'InternalServerError', message: 'boom' } };
    const error = await toolError(client.updateNodePoolSize(NODE_POOL, 4));
    expect(fake.requests).toHaveLength(2);
    expect(error.message).toBe('OCI refused UpdateNodePool: HTTP 500 InternalServerError.');
    expect(error.details.code).toBe('500 InternalServerError');
    expect(error.details.upstreamMessage).toBe('boom (opc-request-id fake-2)');
    expect(error.details.data).toEqual({ status: 500, code: 'InternalServerError', opcRequestId: 'fake-2' });
    await expect(client.updateNodePoolSize(NODE_POOL, -1)).rejects.toThrow('Invalid input `size`');
  });

  it('retries a read on 503 and 429, then says to wait when throttling goes on', async () => {
    let calls = 0;
    fake.route(`GET /20180222/clusters/${CLUSTER}`, () =>
      ++calls === 1
        ? { status: 503, body: { code: 'ServiceUnavailable', message: 'busy' } }
        : { status: 200, body: CLUSTER_SUMMARY },
    );
    const client = api();
    expect(await client.getCluster(CLUSTER)).toMatchObject({ id: CLUSTER });
    expect(calls).toBe(2);

    fake.route('GET /20180222/clusters', () => ({
      status: 429,
      body: { code: 'TooManyRequests', message: 'slow down' },
    }));
    const before = fake.requests.length;
    const error = await toolError(client.listClusters({ compartmentId: COMPARTMENT }));
    expect(fake.requests.length - before).toBe(4);
    expect(error.details.code).toBe('429 TooManyRequests');
    expect(error.details.next).toContain('throttling');
  });

  it('explains 404 NotAuthorizedOrNotFound with the OCID and the IAM policy', async () => {
    const error = await toolError(api().getCluster(CLUSTER));
    expect(error.message).toBe('OCI refused GetCluster: HTTP 404 NotAuthorizedOrNotFound.');
    expect(error.details.next).toContain(`Check cluster ${CLUSTER} (it must exist in region us-phoenix-1)`);
    expect(error.details.next).toContain('IAM policy');
  });

  it('explains a refused signature (401) for an API key, without any secret', async () => {
    const lines: string[] = [];
    const stranger = new FakeOci();
    const url = await stranger.start();
    try {
      const auth = new OciAuth({ env: {}, home: home.dir, cwd: home.dir });
      const client = new OciApi({ auth, endpoint: url });
      // as the bin does (toolkit routeConsoleToLogger); the console is put back below
      const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn };
      routeConsoleToLogger(recordingLogger(lines));
      onTestFinished(() => {
        Object.assign(console, saved);
      });
      const error = await toolError(client.getCluster(CLUSTER));
      expect(stranger.refused).toEqual(['unknown keyId']);
      expect(error.details.code).toBe('401 NotAuthenticated');
      expect(error.details.next).toContain('`fingerprint` must match an API key');
      expect(JSON.stringify([error.message, error.details])).not.toMatch(/PRIVATE KEY|Signature |signature=/);
      // The SDK's own console line about the failure went to the logger, not the console.
      expect(lines.some((line) => line.startsWith('console: '))).toBe(true);
    } finally {
      await stranger.close();
    }
  });

  it('returns the kubeconfig text of CreateKubeconfig', async () => {
    const yaml = 'apiVersion: v1\nkind: ""\nclusters: []\n';
    fake.route(`POST /20180222/clusters/${CLUSTER}/kubeconfig/content`, () => ({
      status: 200,
      body: yaml,
      headers: { 'content-type': 'application/x-yaml' },
    }));
    expect(await api().createKubeconfig(CLUSTER, { endpoint: 'PUBLIC_ENDPOINT' })).toBe(yaml);
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({
      tokenVersion: '2.0.0',
      endpoint: 'PUBLIC_ENDPOINT',
    });
  });

  it('lists compartments from the tenancy through the Identity client on the same base URL', async () => {
    fake.route('GET /20160918/compartments', (request) => ({
      status: 200,
      body: [{ id: COMPARTMENT, compartmentId: request.query.get('compartmentId'), name: 'dev' }],
    }));
    const page = await api().listCompartments({ subtree: true, limit: 5 });
    expect(page).toEqual({ items: [{ id: COMPARTMENT, compartmentId: TENANCY, name: 'dev' }] });
    const query = fake.requests[0]?.query;
    expect(query?.get('compartmentIdInSubtree')).toBe('true');
    expect(query?.get('accessLevel')).toBe('ACCESSIBLE');
  });

  it('signs with the session token, and picks up a rewritten token file', async () => {
    const first = sessionToken(Date.now() / 1000 + 3600, 'one');
    const second = sessionToken(Date.now() / 1000 + 7200, 'two');
    fake.trust(`ST$${first}`, key.publicKey);
    fake.trust(`ST$${second}`, key.publicKey);
    fake.route(`GET /20180222/clusters/${CLUSTER}`, () => ({ status: 200, body: CLUSTER_SUMMARY }));
    home.write('.oci/token', first);
    const client = api({ env: { OCI_CLI_PROFILE: 'session' } });
    await client.getCluster(CLUSTER);
    home.write('.oci/token', second);
    await client.getCluster(CLUSTER);
    expect(fake.requests.map((r) => r.keyId)).toEqual([`ST$${first}`, `ST$${second}`]);
  });

  it('stops a call when its signal aborts', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    fake.route(`GET /20180222/clusters/${CLUSTER}`, () => {
      arrived();
      return new Promise(() => undefined);
    });
    const controller = new AbortController();
    const call = api().getCluster(CLUSTER, { signal: controller.signal });
    await arrival;
    controller.abort();
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe('aborted');
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses bad input before any request', async () => {
    const client = api();
    await expect(client.listClusters({ compartmentId: 'prod' })).rejects.toThrow(
      'Invalid input `compartment_id`',
    );
    await expect(client.listClusters({ compartmentId: COMPARTMENT, limit: 0 })).rejects.toThrow(
      'Invalid input `limit`',
    );
    await expect(client.listClusters({ compartmentId: COMPARTMENT, page: 'a b' })).rejects.toThrow(
      'Invalid input `page`',
    );
    await expect(client.getCluster(`${CLUSTER}/../x`)).rejects.toThrow('Invalid input `cluster_id`');
    expect(fake.requests).toHaveLength(0);
  });

  it('makes no request before the first call', async () => {
    api();
    await new OciApi({ auth: new OciAuth({ env: {}, home: home.dir, cwd: home.dir }), endpoint })
      .getCluster(CLUSTER)
      .catch(() => undefined);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('normalizeOciEndpoint', () => {
  it('keeps a base URL without its trailing slash', () => {
    expect(normalizeOciEndpoint('http://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
    expect(normalizeOciEndpoint('https://proxy.example/oci//')).toBe('https://proxy.example/oci');
  });

  it('refuses what is not a plain http(s) base URL', () => {
    for (const bad of ['127.0.0.1:9000', 'ftp://x', 'http://u:p@x', 'http://x/?a=1', 'http://x/#f']) {
      expect(() => normalizeOciEndpoint(bad)).toThrow(ConfigError);
    }
  });
});
