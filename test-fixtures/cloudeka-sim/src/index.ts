export { AUTH_DB_ERROR } from './auth.js';
export { type BodyShape, type Evidence, loadContracts, type RouteContract } from './contract.js';
export { contractTable } from './contract-table.js';
export { EXTENSION_TOOLS, loadRoutes, type RouteSummary, routeKey } from './endpoints.js';
export { LIVE_TEST } from './live-test.js';
export { startCloudekaSim } from './sim.js';
export type {
  CloudekaSim,
  CloudekaSimOptions,
  Environment,
  Fault,
  FaultKind,
  KubeRef,
  RouteLogEntry,
  SimIds,
  SimTokens,
} from './types.js';
