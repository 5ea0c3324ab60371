export { startOciSim } from './sim.js';
export type {
  ApiKeyUser,
  AuthKind,
  OciFault,
  OciRequestLogEntry,
  OciSim,
  OciSimCluster,
  OciSimOptions,
  SessionCredentials,
  SimUser,
  WriteConfigOptions,
  WrittenConfig,
} from './types.js';
