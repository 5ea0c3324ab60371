export { startOcmSim } from './sim.js';
export type {
  ManagedClusterOptions,
  OcmSim,
  OcmSimOptions,
  PrometheusExposure,
  SimManagedCluster,
} from './types.js';
