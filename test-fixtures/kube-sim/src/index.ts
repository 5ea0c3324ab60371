export { healthyNodeConditions } from './node-status.js';
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
