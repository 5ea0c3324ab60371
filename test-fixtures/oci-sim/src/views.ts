/** The JSON shapes the APIs answer (containerengine-models.txt, examples/*.json), built from the state. */
import type { Compartment, NodePool, OkeCluster, OkeNode, WorkRequest } from './state.js';

export function clusterSummary(c: OkeCluster): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    compartmentId: c.compartmentId,
    endpointConfig: { subnetId: c.endpointSubnetId, nsgIds: [], isPublicIpEnabled: c.isPublicIpEnabled },
    vcnId: c.vcnId,
    kubernetesVersion: c.kubernetesVersion,
    freeformTags: c.freeformTags,
    definedTags: c.definedTags,
    systemTags: {},
    options: {
      serviceLbSubnetIds: [c.serviceLbSubnetId],
      ipFamilies: ['IPv4'],
      kubernetesNetworkConfig: { podsCidr: c.podsCidr, servicesCidr: c.servicesCidr },
      addOns: { isKubernetesDashboardEnabled: false, isTillerEnabled: false },
      admissionControllerOptions: { isPodSecurityPolicyEnabled: false },
    },
    metadata: {
      timeCreated: c.timeCreated,
      createdByUserId: c.createdByUserId,
      createdByWorkRequestId: c.createdByWorkRequestId,
      timeUpdated: null,
      updatedByUserId: null,
      updatedByWorkRequestId: null,
      timeCredentialExpiration: c.timeCredentialExpiration,
    },
    lifecycleState: c.lifecycleState,
    lifecycleDetails: '',
    endpoints: {
      kubernetes: null,
      publicEndpoint: c.endpoints.publicEndpoint ?? null,
      privateEndpoint: c.endpoints.privateEndpoint,
      vcnHostnameEndpoint: c.endpoints.vcnHostnameEndpoint,
      ipv6Endpoint: null,
    },
    availableKubernetesUpgrades: [],
    imagePolicyConfig: { isPolicyEnabled: false, keyDetails: [] },
    clusterPodNetworkOptions: [{ cniType: c.cniType }],
    type: c.type,
  };
}

export function cluster(c: OkeCluster): Record<string, unknown> {
  return { ...clusterSummary(c), kmsKeyId: null, openIdConnectDiscoveryEndpoint: null };
}

function node(n: OkeNode, p: NodePool): Record<string, unknown> {
  return {
    id: n.id,
    name: n.name,
    kubernetesVersion: p.kubernetesVersion,
    availabilityDomain: n.availabilityDomain,
    subnetId: n.subnetId,
    nodePoolId: p.id,
    faultDomain: n.faultDomain,
    privateIp: n.privateIp,
    publicIp: null,
    nodeError: null,
    freeformTags: {},
    definedTags: {},
    systemTags: {},
    lifecycleState: n.lifecycleState,
    lifecycleDetails: n.lifecycleDetails,
  };
}

export function nodePoolSummary(p: NodePool, cniType: OkeCluster['cniType']): Record<string, unknown> {
  const source = { sourceType: 'IMAGE', sourceName: p.imageName, imageId: p.imageId };
  return {
    id: p.id,
    compartmentId: p.compartmentId,
    clusterId: p.clusterId,
    name: p.name,
    kubernetesVersion: p.kubernetesVersion,
    nodeImageId: p.imageId,
    nodeImageName: p.imageName,
    nodeShape: p.nodeShape,
    nodeShapeConfig: { ocpus: p.ocpus, memoryInGBs: p.memoryInGBs },
    nodeSource: source,
    nodeSourceDetails: {
      sourceType: 'IMAGE',
      imageId: p.imageId,
      bootVolumeSizeInGBs: p.bootVolumeSizeInGBs,
    },
    initialNodeLabels: p.initialNodeLabels,
    sshPublicKey: p.sshPublicKey,
    quantityPerSubnet: 0,
    subnetIds: [],
    nodeConfigDetails: {
      size: p.size,
      nsgIds: p.nsgIds,
      isPvEncryptionInTransitEnabled: p.isPvEncryptionInTransitEnabled,
      freeformTags: {},
      definedTags: {},
      placementConfigs: p.availabilityDomains.map((ad) => ({
        availabilityDomain: ad,
        subnetId: p.subnetId,
        faultDomains: null,
      })),
      nodePoolPodNetworkOptionDetails:
        cniType === 'OCI_VCN_IP_NATIVE'
          ? { cniType, podSubnetIds: [p.subnetId], maxPodsPerNode: p.maxPodsPerNode, podNsgIds: [] }
          : { cniType },
    },
    freeformTags: p.freeformTags,
    definedTags: p.definedTags,
    systemTags: {},
    lifecycleState: p.lifecycleState,
    lifecycleDetails: p.lifecycleDetails,
  };
}

export function nodePool(p: NodePool, cniType: OkeCluster['cniType']): Record<string, unknown> {
  return {
    ...nodePoolSummary(p, cniType),
    nodeMetadata: p.nodeMetadata,
    nodes: p.nodes.map((n) => node(n, p)),
  };
}

export function workRequest(w: WorkRequest): Record<string, unknown> {
  return {
    id: w.id,
    operationType: w.operationType,
    status: w.status,
    compartmentId: w.compartmentId,
    resources: w.resources,
    timeAccepted: w.timeAccepted,
    timeStarted: w.timeStarted ?? null,
    timeFinished: w.timeFinished ?? null,
  };
}

export function compartment(c: Compartment, withAccess: boolean): Record<string, unknown> {
  return {
    id: c.id,
    compartmentId: c.parentId,
    name: c.name,
    description: c.description,
    timeCreated: c.timeCreated,
    lifecycleState: c.lifecycleState,
    freeformTags: {},
    definedTags: {},
    ...(withAccess ? { isAccessible: true } : {}),
  };
}
