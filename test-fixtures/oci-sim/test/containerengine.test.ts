import type { ContainerEngineClient } from 'oci-containerengine';
import { models } from 'oci-containerengine';
import type { IdentityClient } from 'oci-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OciSim, startOciSim } from '../src/index.js';
import { apiKeyProvider, clients, ociError, raw, signRequest } from './helpers.js';

let sim: OciSim;
let ce: ContainerEngineClient;
let identity: IdentityClient;
let prod: string;
let dev: string;

beforeAll(async () => {
  // Four clusters: oke-prod (enhanced, public + private), oke-dev (basic), oke-private (private only), oke-4.
  sim = await startOciSim({ clusters: 4 });
  ({ ce, identity } = clients(sim, apiKeyProvider(sim, sim.users.admin)));
  prod = sim.compartments.find((c) => c.name === 'production')!.id;
  dev = sim.compartments.find((c) => c.name === 'development')!.id;
});
afterAll(() => sim?.close());

const cluster = (name: string) => sim.clusters.find((c) => c.name === name)!;

async function signedGet(path: string) {
  const url = `${sim.url}${path}`;
  const res = await raw(url, {
    headers: signRequest({
      method: 'GET',
      url,
      keyId: sim.users.admin.keyId,
      privateKeyPem: sim.users.admin.privateKeyPem,
    }),
  });
  return { ...res, body: JSON.parse(res.text) };
}

describe('ListClusters and GetCluster', () => {
  it('lists the clusters of one compartment (not its children), with the summary shape', async () => {
    const res = await ce.listClusters({ compartmentId: prod });
    expect(res.items.map((c) => c.name)).toEqual(['oke-prod', 'oke-private']);
    expect((await ce.listClusters({ compartmentId: dev })).items.map((c) => c.name)).toEqual([
      'oke-dev',
      'oke-4',
    ]);
    expect((await ce.listClusters({ compartmentId: sim.tenancyId })).items).toEqual([]);
    const c = res.items[0]!;
    expect(c).toMatchObject({
      id: cluster('oke-prod').id,
      compartmentId: prod,
      kubernetesVersion: 'v1.35.0',
      lifecycleState: 'ACTIVE',
      type: 'ENHANCED_CLUSTER',
      endpoints: {
        publicEndpoint: `127.0.0.1:${cluster('oke-prod').kube.port}`,
        privateEndpoint: `localhost:${cluster('oke-prod').kube.port}`,
      },
      endpointConfig: { isPublicIpEnabled: true },
      clusterPodNetworkOptions: [{ cniType: 'OCI_VCN_IP_NATIVE' }],
    });
    expect(c.id).toMatch(/^ocid1\.cluster\.oc1\.iad\.aaaaaaaa[a-z2-7]{52}$/);
    expect(c.vcnId).toMatch(/^ocid1\.vcn\.oc1\.iad\./);
    expect(c.metadata?.createdByUserId).toBe(sim.users.admin.userId);
    expect(c).not.toHaveProperty('kmsKeyId');
  });

  it('answers a bare JSON array on the wire', async () => {
    const res = await signedGet(`/20180222/clusters?compartmentId=${prod}`);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['opc-next-page']).toBeUndefined();
  });

  it('pages with limit and opc-next-page, and the SDK iterator follows it', async () => {
    const first = await ce.listClusters({ compartmentId: dev, limit: 1 });
    expect(first.items.map((c) => c.name)).toEqual(['oke-dev']);
    expect(first.opcNextPage).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await ce.listClusters({ compartmentId: dev, limit: 1, page: first.opcNextPage! });
    expect(second.items.map((c) => c.name)).toEqual(['oke-4']);
    expect(second.opcNextPage).toBeUndefined();
    const all: string[] = [];
    for await (const c of ce.listClustersRecordIterator({ compartmentId: prod, limit: 1 })) all.push(c.name!);
    expect(all).toEqual(['oke-prod', 'oke-private']);
  });

  it('filters and sorts', async () => {
    const active = await ce.listClusters({
      compartmentId: prod,
      lifecycleState: [models.ClusterLifecycleState.Active],
    });
    expect(active.items).toHaveLength(2);
    const deleted = await ce.listClusters({
      compartmentId: prod,
      lifecycleState: [models.ClusterLifecycleState.Deleted, models.ClusterLifecycleState.Failed],
    });
    expect(deleted.items).toEqual([]);
    expect(
      (await ce.listClusters({ compartmentId: prod, name: 'oke-private' })).items.map((c) => c.name),
    ).toEqual(['oke-private']);
    const byName = await ce.listClusters({
      compartmentId: dev,
      sortBy: 'NAME' as never,
      sortOrder: models.SortOrder.Desc,
    });
    expect(byName.items.map((c) => c.name)).toEqual(['oke-dev', 'oke-4']);
  });

  it('refuses missing, unknown and malformed list parameters as OCI does', async () => {
    expect(await ociError(ce.listClusters({} as never))).toMatchObject({
      statusCode: 400,
      serviceCode: 'MissingParameter',
    });
    expect(
      await ociError(ce.listClusters({ compartmentId: 'ocid1.compartment.oc1..aaaaaaaanope' })),
    ).toMatchObject({
      statusCode: 404,
      serviceCode: 'NotAuthorizedOrNotFound',
    });
    expect(
      await ociError(ce.listClusters({ compartmentId: prod, lifecycleState: ['BOGUS' as never] })),
    ).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
    });
    expect(await ociError(ce.listClusters({ compartmentId: prod, limit: 0 }))).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
    });
    expect(await ociError(ce.listClusters({ compartmentId: prod, limit: 1001 }))).toMatchObject({
      statusCode: 400,
    });
    expect(await ociError(ce.listClusters({ compartmentId: prod, page: 'not-a-page' }))).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
      message: 'Invalid page token',
    });
  });

  it('gets a cluster with its etag, and 404s an unknown one', async () => {
    const res = await ce.getCluster({ clusterId: cluster('oke-dev').id });
    expect(res.cluster).toMatchObject({ name: 'oke-dev', type: 'BASIC_CLUSTER', compartmentId: dev });
    expect(res.cluster.clusterPodNetworkOptions).toEqual([{ cniType: 'FLANNEL_OVERLAY' }]);
    expect(res.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const err = await ociError(ce.getCluster({ clusterId: 'ocid1.cluster.oc1.iad.aaaaaaaanope' }));
    expect(err).toMatchObject({
      statusCode: 404,
      serviceCode: 'NotAuthorizedOrNotFound',
      message: 'Authorization failed or requested resource not found.',
    });
  });

  it('shows a private-only cluster without a public endpoint', async () => {
    const c = (await ce.getCluster({ clusterId: cluster('oke-private').id })).cluster;
    expect(c.endpointConfig?.isPublicIpEnabled).toBe(false);
    expect(c.endpoints?.publicEndpoint ?? null).toBeNull();
    expect(c.endpoints?.privateEndpoint).toBe(`localhost:${cluster('oke-private').kube.port}`);
    expect(c.endpoints?.vcnHostnameEndpoint).toMatch(/\.oraclevcn\.com:6443$/);
  });
});

describe('CreateKubeconfig', () => {
  async function kubeconfig(name: string, details: Record<string, unknown>) {
    const res = await ce.createKubeconfig({
      clusterId: cluster(name).id,
      createClusterKubeconfigContentDetails: details as models.CreateClusterKubeconfigContentDetails,
    });
    return new Response(res.value as unknown as ReadableStream).text();
  }

  it('answers the kubeconfig YAML with an exec user running oci ce cluster generate-token', async () => {
    const c = cluster('oke-prod');
    const text = await kubeconfig('oke-prod', { tokenVersion: '2.0.0', endpoint: 'PUBLIC_ENDPOINT' });
    const short = c.id.slice(-11);
    expect(text).toContain(
      `clusters:\n- name: cluster-${short}\n  cluster:\n    server: https://127.0.0.1:${c.kube.port}\n`,
    );
    const ca = /certificate-authority-data: (\S+)/.exec(text)![1]!;
    expect(Buffer.from(ca, 'base64').toString()).toBe(c.kube.caPem);
    expect(text).toContain(
      [
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1beta1',
        '      args:',
        '      - ce',
        '      - cluster',
        '      - generate-token',
        '      - --cluster-id',
        `      - ${c.id}`,
        '      - --region',
        '      - us-ashburn-1',
        '      command: oci',
        '      env: []',
      ].join('\n'),
    );
    expect(text).toContain(`current-context: context-${short}\n`);
  });

  it('targets the endpoint asked for; without one, the public endpoint', async () => {
    const port = cluster('oke-prod').kube.port;
    expect(await kubeconfig('oke-prod', { tokenVersion: '2.0.0' })).toContain(
      `server: https://127.0.0.1:${port}\n`,
    );
    expect(
      await kubeconfig('oke-prod', {
        tokenVersion: '2.0.0',
        endpoint: 'PRIVATE_ENDPOINT',
        expiration: 2592000,
      }),
    ).toContain(`server: https://localhost:${port}\n`);
    expect(await kubeconfig('oke-prod', { tokenVersion: '2.0.0', endpoint: 'VCN_HOSTNAME' })).toMatch(
      /server: https:\/\/c[a-z2-7]{10}\.sub1\.okevcn\.oraclevcn\.com:6443\n/,
    );
  });

  it('refuses an endpoint the cluster lacks and bad details with OCI errors', async () => {
    const fails = (name: string, details: Record<string, unknown>) => ociError(kubeconfig(name, details));
    expect(await fails('oke-private', { tokenVersion: '2.0.0', endpoint: 'PUBLIC_ENDPOINT' })).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
      message: 'The cluster does not have a PUBLIC_ENDPOINT endpoint',
    });
    expect(await fails('oke-private', { tokenVersion: '2.0.0' })).toMatchObject({ statusCode: 400 });
    expect(await fails('oke-prod', { tokenVersion: '2.0.0', endpoint: 'LEGACY_KUBERNETES' })).toMatchObject({
      statusCode: 400,
      message: 'The cluster does not have a LEGACY_KUBERNETES endpoint',
    });
    expect(await fails('oke-prod', {})).toMatchObject({ statusCode: 400, serviceCode: 'MissingParameter' });
    expect(await fails('oke-prod', { tokenVersion: '1.0.0' })).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
    });
    expect(await fails('oke-prod', { tokenVersion: '2.0.0', endpoint: 'SOMEWHERE' })).toMatchObject({
      statusCode: 400,
    });
    expect(await fails('oke-prod', { tokenVersion: '2.0.0', extra: 1 })).toMatchObject({
      statusCode: 400,
      serviceCode: 'CannotParseRequest',
    });
    const private404 = await ociError(
      ce.createKubeconfig({
        clusterId: 'ocid1.cluster.oc1.iad.aaaaaaaanope',
        createClusterKubeconfigContentDetails: { tokenVersion: '2.0.0' },
      }),
    );
    expect(private404).toMatchObject({ statusCode: 404, serviceCode: 'NotAuthorizedOrNotFound' });
  });
});

describe('ListNodePools and GetNodePool', () => {
  it('lists pools of a compartment, per cluster, with the summary shape', async () => {
    const all = await ce.listNodePools({ compartmentId: prod });
    expect(all.items.map((p) => p.name)).toEqual(['pool1', 'pool-arm', 'pool1', 'pool-arm']);
    const one = await ce.listNodePools({ compartmentId: prod, clusterId: cluster('oke-prod').id });
    expect(one.items.map((p) => p.name)).toEqual(['pool1', 'pool-arm']);
    expect(one.items[0]).toMatchObject({
      clusterId: cluster('oke-prod').id,
      nodeShape: 'VM.Standard.E4.Flex',
      nodeShapeConfig: { ocpus: 2, memoryInGBs: 16 },
      nodeConfigDetails: { size: 2 },
      lifecycleState: 'ACTIVE',
      initialNodeLabels: [{ key: 'name', value: 'pool1' }],
    });
    expect(one.items[0]).not.toHaveProperty('nodes');
    const paged = await ce.listNodePools({ compartmentId: prod, limit: 3 });
    expect(paged.items).toHaveLength(3);
    expect(paged.opcNextPage).toBeDefined();
    const named = await ce.listNodePools({
      compartmentId: prod,
      name: 'pool-arm',
      sortBy: 'TIME_CREATED' as never,
    });
    expect(named.items.map((p) => p.clusterId)).toEqual([cluster('oke-private').id, cluster('oke-prod').id]);
  });

  it('gets a pool with its nodes, each a Node object of the cluster (by IP and providerID)', async () => {
    const c = cluster('oke-prod');
    const summary = (await ce.listNodePools({ compartmentId: prod, clusterId: c.id })).items[0]!;
    const res = await ce.getNodePool({ nodePoolId: summary.id! });
    expect(res.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const nodes = res.nodePool.nodes!;
    expect(nodes).toHaveLength(2);
    const kubeNodes = c.kube.store.list('v1', 'Node');
    for (const n of nodes) {
      expect(n).toMatchObject({
        nodePoolId: summary.id,
        lifecycleState: 'ACTIVE',
        kubernetesVersion: 'v1.35.0',
      });
      expect(n.id).toMatch(/^ocid1\.instance\.oc1\.iad\./);
      expect(n.name).toBe(
        `oke-c${c.id.slice(-11)}-n${summary.id!.slice(-11)}-s${n.subnetId!.slice(-11)}-${nodes.indexOf(n)}`,
      );
      expect(n.availabilityDomain).toMatch(/^[A-Z][a-z]{3}:US-ASHBURN-AD-[123]$/);
      const kn = kubeNodes.find((k) =>
        k.status.addresses.some((a: { address: string }) => a.address === n.privateIp),
      )!;
      expect(kn.spec.providerID).toBe(`oci://${n.id}`);
      expect(kn.metadata.labels).toMatchObject({
        name: 'pool1',
        displayName: n.name,
        'oci.oraclecloud.com/fault-domain': n.faultDomain,
      });
    }
    const arm = (await ce.listNodePools({ compartmentId: prod, clusterId: c.id, name: 'pool-arm' }))
      .items[0]!;
    const armNode = (await ce.getNodePool({ nodePoolId: arm.id! })).nodePool.nodes![0]!;
    expect(
      c.kube.store.get('v1', 'Node', undefined, armNode.privateIp!)?.metadata.labels['kubernetes.io/arch'],
    ).toBe('arm64');
  });

  it('404s an unknown pool and needs a compartmentId to list', async () => {
    expect(
      await ociError(ce.getNodePool({ nodePoolId: 'ocid1.nodepool.oc1.iad.aaaaaaaanope' })),
    ).toMatchObject({
      statusCode: 404,
    });
    expect(await ociError(ce.listNodePools({ clusterId: cluster('oke-prod').id } as never))).toMatchObject({
      statusCode: 400,
      serviceCode: 'MissingParameter',
    });
  });
});

describe('ListCompartments', () => {
  it('lists the children of the tenancy, in the subtree too, by name, paged', async () => {
    const res = await identity.listCompartments({ compartmentId: sim.tenancyId });
    expect(res.items.map((c) => [c.name, c.compartmentId, c.lifecycleState])).toEqual([
      ['production', sim.tenancyId, 'ACTIVE'],
      ['development', sim.tenancyId, 'ACTIVE'],
    ]);
    expect(res.items[0]).not.toHaveProperty('isAccessible');
    const subtree = await identity.listCompartments({
      compartmentId: sim.tenancyId,
      compartmentIdInSubtree: true,
      accessLevel: 'ACCESSIBLE' as never,
    });
    expect(subtree.items.map((c) => c.isAccessible)).toEqual([true, true]);
    const sortedByName = await identity.listCompartments({
      compartmentId: sim.tenancyId,
      sortBy: 'NAME' as never,
    });
    expect(sortedByName.items.map((c) => c.name)).toEqual(['development', 'production']);
    const named = await identity.listCompartments({ compartmentId: sim.tenancyId, name: 'development' });
    expect(named.items.map((c) => c.id)).toEqual([dev]);
    const page1 = await identity.listCompartments({ compartmentId: sim.tenancyId, limit: 1 });
    const page2 = await identity.listCompartments({
      compartmentId: sim.tenancyId,
      limit: 1,
      page: page1.opcNextPage!,
    });
    expect([...page1.items, ...page2.items].map((c) => c.name)).toEqual(['production', 'development']);
    expect((await identity.listCompartments({ compartmentId: prod })).items).toEqual([]);
  });

  it('refuses compartmentIdInSubtree below the tenancy and unknown compartments', async () => {
    expect(
      await ociError(identity.listCompartments({ compartmentId: prod, compartmentIdInSubtree: true })),
    ).toMatchObject({
      statusCode: 400,
      serviceCode: 'InvalidParameter',
    });
    expect(
      await ociError(identity.listCompartments({ compartmentId: 'ocid1.compartment.oc1..aaaaaaaanope' })),
    ).toMatchObject({
      statusCode: 404,
    });
  });
});

describe('routes', () => {
  it('404s what it does not serve, after authenticating, in OCI shape', async () => {
    for (const path of ['/20180222/bogus', '/20160918/clusters', '/20180222/compartments', '/']) {
      const res = await signedGet(path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        code: 'NotAuthorizedOrNotFound',
        message: 'Authorization failed or requested resource not found.',
      });
      expect(res.headers['opc-request-id']).toBeDefined();
      expect(sim.log.at(-1)).toMatchObject({
        operation: 'Unknown',
        status: 404,
        code: 'NotAuthorizedOrNotFound',
      });
    }
    expect((await raw(`${sim.url}/20180222/bogus`)).status).toBe(401);
  });
});
