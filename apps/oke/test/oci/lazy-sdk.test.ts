import { createRequire } from 'node:module';
import { afterAll, expect, it } from 'vitest';
import { CLUSTER, makeKey, TENANCY, TempHome, USER } from './helpers.js';

// Start-up must not pay for the OCI SDK (most of a second to evaluate): nothing under src/oci may load it
// before the first API call, and cluster tokens never need it. Node's CommonJS cache shows what was loaded;
// this file imports nothing else that could load it (vitest runs each test file in a fresh worker).

const require = createRequire(import.meta.url);
const home = new TempHome();
afterAll(() => home.dispose());

function loadedOciModules(): string[] {
  return Object.keys(require.cache).filter((path) =>
    /[\\/]oci-(common|containerengine|identity)[\\/]/.test(path),
  );
}

it('loads no OCI SDK module before the first API call', async () => {
  const key = makeKey();
  home.write(
    '.oci/config',
    `[DEFAULT]\nuser=${USER}\nfingerprint=${key.fingerprint}\nkey_file=~/.oci/key.pem\ntenancy=${TENANCY}\nregion=us-phoenix-1\n`,
  );
  home.write('.oci/key.pem', key.pem);

  const oci = await import('../../src/oci/index.js');
  const auth = new oci.OciAuth({ env: {}, home: home.dir, cwd: home.dir });
  const api = new oci.OciApi({ auth, endpoint: 'http://127.0.0.1:9' });
  const tokens = new oci.ClusterTokens({ auth });
  await tokens.token(CLUSTER);
  await auth.describe();
  await auth.refresh();
  expect(loadedOciModules()).toEqual([]);
  expect(oci.ociSdkLoaded()).toBe(false);

  // The first call loads the SDK (and fails here: nothing listens on port 9).
  await api.getCluster(CLUSTER).catch(() => undefined);
  expect(oci.ociSdkLoaded()).toBe(true);
  expect(loadedOciModules().some((path) => path.includes('oci-common'))).toBe(true);
  expect(loadedOciModules().some((path) => path.includes('oci-containerengine'))).toBe(true);
  expect(loadedOciModules().some((path) => path.includes('oci-identity'))).toBe(false);
});
