import { format } from 'node:util';
import type { Logger } from '@cloudmcp/toolkit';

// The OCI SDK modules, imported on first use only: together they take most of a second to evaluate, and
// start-up must not pay for them. They are CommonJS, so the module object is the import's `default` (both
// under Node's ESM loader and in the tsup bundle).

export type OciCommon = typeof import('oci-common');
export type OciContainerEngine = typeof import('oci-containerengine');
export type OciIdentity = typeof import('oci-identity');

let common: Promise<OciCommon> | undefined;
let containerEngine: Promise<OciContainerEngine> | undefined;
let identity: Promise<OciIdentity> | undefined;
let sdkLogger: Logger | undefined;

function moduleOf<T>(imported: T | { default: T }): T {
  return (imported as { default?: T }).default ?? (imported as T);
}

export function loadOciCommon(): Promise<OciCommon> {
  common ??= import('oci-common').then((imported) => {
    routeConsole();
    return moduleOf<OciCommon>(imported);
  });
  return common;
}

export function loadContainerEngine(): Promise<OciContainerEngine> {
  containerEngine ??= loadOciCommon().then(async () =>
    moduleOf<OciContainerEngine>(await import('oci-containerengine')),
  );
  return containerEngine;
}

export function loadIdentity(): Promise<OciIdentity> {
  identity ??= loadOciCommon().then(async () => moduleOf<OciIdentity>(await import('oci-identity')));
  return identity;
}

/** Whether any OCI SDK module has been imported (start-up and the token path must not). */
export function ociSdkLoaded(): boolean {
  return common !== undefined;
}

/** Where the SDK's console output goes (see `routeConsole`); the last logger given wins. */
export function setOciSdkLogger(logger: Logger | undefined): void {
  if (logger) sdkLogger = logger;
}

let routed = false;

/**
 * The SDK writes to the console on its own: a `console.warn` for every failed call (its retrier), and
 * `console.log` from the instance-principal federation client, which would corrupt stdout, the stdio
 * transport's protocol stream. Once the SDK is loaded, the process's console.log/info/debug/warn go to the
 * server's logger at debug level instead (redacted there; dropped when no logger was given). Nothing of
 * ours writes to the console, and console.error is left alone.
 */
function routeConsole(): void {
  if (routed) return;
  routed = true;
  const forward = (...args: unknown[]): void => sdkLogger?.debug(`oci sdk: ${format(...args)}`);
  console.log = forward;
  console.info = forward;
  console.debug = forward;
  console.warn = forward;
}
