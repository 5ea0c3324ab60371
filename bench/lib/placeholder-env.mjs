// The settings each of our servers needs before it will start, all placeholders: nothing is ever contacted,
// because tools/list never touches the network. For counting what a tools/list costs (tool-tokens.mjs,
// lean.mjs) without a simulator. Files go to a fresh temporary HOME, 0600.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function placeholderEnv() {
  const home = mkdtempSync(join(tmpdir(), 'tool-tokens-'));
  const kubeconfig = join(home, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\n' +
      'users: [{name: u, user: {token: placeholder}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n' +
      'current-context: c\n',
    { mode: 0o600 },
  );
  const oci = join(home, 'oci-config');
  const key = join(home, 'oci-key.pem');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(
    oci,
    '[DEFAULT]\nuser=ocid1.user.oc1..x\ntenancy=ocid1.tenancy.oc1..x\nregion=us-ashburn-1\n' +
      `fingerprint=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff\nkey_file=${key}\n`,
    { mode: 0o600 },
  );
  return {
    PATH: process.env.PATH,
    HOME: home,
    CLOUDMCP_LOG_LEVEL: 'error',
    KUBECONFIG: kubeconfig,
    CLOUDSTACK_API_URL: 'http://127.0.0.1:9/client/api',
    CLOUDSTACK_API_KEY: 'placeholder',
    CLOUDSTACK_SECRET_KEY: 'placeholder',
    CLDKCTL_TOKEN: 'cldkctl_placeholder',
    OCI_CONFIG_FILE: oci,
  };
}
