// Records every file: module a Node process loads through the ESM loader, one URL a line, in the file named
// by MODULE_LOG. Start the process with NODE_OPTIONS=--import=<this file's URL>: the main thread registers
// this same file as loader hooks, and the hooks thread appends each URL as it is loaded. The bundles load
// their chunks (the lazily imported OCI SDK and client-node ones too) as ESM, so each shows up here.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.env.MODULE_LOG) register(import.meta.url, { data: process.env.MODULE_LOG });

let logFile;

export function initialize(file) {
  logFile = file;
}

export async function load(url, context, nextLoad) {
  if (logFile && url.startsWith('file:')) appendFileSync(logFile, `${url}\n`);
  return nextLoad(url, context);
}
