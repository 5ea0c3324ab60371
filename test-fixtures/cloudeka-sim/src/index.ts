export { AUTH_DB_ERROR } from './auth.js';
export { EXTENSION_TOOLS, loadRoutes, type RouteSummary, routeKey } from './endpoints.js';
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
