export { containerUsage, cpuNano, isRunning, memBytes, nodeUsage } from './metrics.js';
export { healthyNodeConditions } from './node-status.js';
export { issueServingCertificate, type ServingCertificate } from './pki.js';
export {
  type ProxiedRequest,
  type ProxiedResponse,
  registerServiceProxy,
  type ServiceBackend,
} from './service-proxy.js';
export { buildKubeconfig, startKubeSim } from './sim.js';
export type {
  Fault,
  FaultKind,
  KubeconfigOptions,
  KubeSim,
  KubeSimOptions,
  RequestLogEntry,
  SeedKind,
  SimCluster,
  SimStore,
  TokenAuthenticator,
  TokenUser,
  UserRole,
} from './types.js';
