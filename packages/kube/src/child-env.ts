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
