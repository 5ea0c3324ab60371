/**
 * Stands in for `@modelcontextprotocol/server/_shims` in the servers' bundles (an esbuild alias, see
 * scripts/server-bundle.ts). The SDK's Node shim makes Ajv the default JSON Schema validator, which puts
 * 281 KB of Ajv on the start-up path. The SDK uses that validator only for `server.elicitInput` answers, which
 * our servers never call: a confirmation's answer comes back into the tool's handler in both eras, and the
 * toolkit reads it itself (confirm.ts). The SDK's CfWorker validator (its default on edge runtimes, 42 KB)
 * stands in should anything call it, and the bin answers its first tools/list in about 8 % fewer
 * instructions (bench/cold-instructions.mjs).
 */

export { default as process } from 'node:process';
export { CfWorkerJsonSchemaValidator as DefaultJsonSchemaValidator } from '@modelcontextprotocol/server/validators/cf-worker';
