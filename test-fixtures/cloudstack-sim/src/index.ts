export { startCloudStackSim } from './sim.js';
export type {
  CloudStackSim,
  Fault,
  FaultKind,
  KeyedCredentials,
  LogEntry,
  PasswordCredentials,
  SimCredentials,
  SimOptions,
} from './types.js';
