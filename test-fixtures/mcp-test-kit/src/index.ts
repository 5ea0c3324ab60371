export { type HttpServer, startHttpServer } from './http.js';
export { type Packed, type PackOptions, packAndRun } from './pack.js';
export { type BinResult, runBin } from './run-bin.js';
export { type StdioServer, type StdioServerOptions, startStdioServer } from './stdio.js';
