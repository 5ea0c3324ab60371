/**
 * The environment of every program this package starts on the server's behalf: CLI children (kubectl,
 * helm…) and kubeconfig exec plugins. Only what a program needs to run is passed on from this process;
 * everything else (the HTTP token, cloud keys, tokens of other servers) is dropped.
 */

/** Variables passed on from this process when set; nothing else is inherited. */
export const PASSED_ENV: readonly string[] = [
  'PATH',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'LC_MESSAGES',
  'TZ',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'SystemRoot',
  'SYSTEMROOT',
  'WINDIR',
  'PATHEXT',
];

/**
 * What credential plugins of the operator's own kubeconfig (`aws eks get-token`, `gke-gcloud-auth-plugin`,
 * `kubelogin`, `oci ce cluster generate-token`) need on top of {@link PASSED_ENV}: the user's home and name,
 * where their CLIs keep config and caches, and the operator's settings for those CLIs. The server's own
 * secrets (`CLOUDMCP_*`, other tools' tokens) are still dropped.
 */
const PLUGIN_ENV: readonly string[] = ['HOME', 'USER', 'LOGNAME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME'];
const PLUGIN_ENV_PREFIXES: readonly string[] = ['AWS_', 'AZURE_', 'GOOGLE_', 'CLOUDSDK_', 'OCI_CLI_'];

/** The environment of an exec plugin of a trusted kubeconfig: the scrubbed one plus what plugins need. */
export function execPluginEnv(
  extra: Readonly<Record<string, string | undefined>> = {},
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    if (PLUGIN_ENV.includes(name) || PLUGIN_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      kept[name] = value;
    }
  }
  return scrubbedEnv({ ...kept, ...extra }, from);
}

/**
 * The passed-on variables of `from` (default this process), then `extra` on top: a value replaces, and
 * `undefined` removes one.
 */
export function scrubbedEnv(
  extra: Readonly<Record<string, string | undefined>> = {},
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_ENV) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
