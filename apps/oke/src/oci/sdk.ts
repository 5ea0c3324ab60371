// The OCI SDK modules, imported on first use only: together they take most of a second to evaluate, and
// start-up must not pay for them. They are CommonJS, so the module object is the import's `default` (both
// under Node's ESM loader and in the tsup bundle). What they write to the console goes to the server's log:
// the bin routes the console there (toolkit routeConsoleToLogger), as stdout is the stdio protocol stream.

export type OciCommon = typeof import('oci-common');
export type OciContainerEngine = typeof import('oci-containerengine');
export type OciIdentity = typeof import('oci-identity');

let common: Promise<OciCommon> | undefined;
let containerEngine: Promise<OciContainerEngine> | undefined;
let identity: Promise<OciIdentity> | undefined;

function moduleOf<T>(imported: T | { default: T }): T {
  return (imported as { default?: T }).default ?? (imported as T);
}

export function loadOciCommon(): Promise<OciCommon> {
  common ??= import('oci-common').then((imported) => moduleOf<OciCommon>(imported));
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
