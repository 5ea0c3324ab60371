export type { ClientSetup, Connected, ElicitAnswer } from './client.js';
export { type DeclineThenAccept, expectDeclineThenAccept } from './confirm.js';
export { ERAS, type Era, eraOf } from './era.js';
export { connectHttp, type HttpConnectOptions, type HttpServer, startHttpServer } from './http.js';
export { connectInProcess, type InProcess, type InProcessOptions } from './in-process.js';
export { type Packed, type PackOptions, packAndRun } from './pack.js';
export { type BinResult, runBin } from './run-bin.js';
export { type StdioServer, type StdioServerOptions, startStdioServer } from './stdio.js';
export { type ListContent, tableRows } from './table.js';
export {
  type ListedTool,
  type ToolListTokens,
  toolListSnapshot,
  toolListSnapshotHint,
  toolListTokens,
  toolsetsByName,
  toolTokens,
} from './tool-list.js';
