export { type AdminCommon, type AdminReply, type AdminRoutes, handleAdmin, sendAdminReply } from './admin.js';
export {
  type ArgValues,
  type CliCommand,
  count,
  parseSimArgs,
  type RunningCli,
  runCli,
  type SimArgs,
  spawnCli,
} from './cli.js';
export { FAULT_KINDS, type FaultKind, type FaultSpec, Faults, parseFault } from './faults.js';
export { readBody } from './http.js';
export { applyFault, type FaultBodies, nginxPage, type Timers } from './inject.js';
export {
  generateSigningKey,
  publicJwk,
  SIGNING_ALGS,
  type SigningAlg,
  type SigningKey,
  signJwt,
} from './jwt-sign.js';
export { closeServer, listen, timerSet } from './lifecycle.js';
export {
  type IssuerClient,
  type IssuerCounts,
  type MintOptions,
  type OidcIssuer,
  type OidcIssuerOptions,
  startOidcIssuer,
} from './oidc-issuer.js';
export { Prng } from './prng.js';
