/**
 * The pod's own service account as a kubeconfig, the way client-go's `rest.InClusterConfig` finds it: the
 * API server from `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT`, the CA and namespace from the mounted
 * service-account directory, and the token from its file. Projected tokens rotate (the kubelet rewrites the
 * file well before the old token expires), so the token is a credential source that reads the file again
 * every few seconds and after a 401, not a value copied into the document.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';
import { ConfigError } from '@cloudmcp/toolkit';
import type { KubeconfigDocument } from '../targets.js';
import { type CredentialSource, SharedCredential } from './credential-source.js';

/** Where the kubelet mounts the service account's token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The context, cluster and user name of the in-cluster kubeconfig. */
export const IN_CLUSTER = 'in-cluster';
/** How long a token read from the file is used before the file is read again. */
const TOKEN_RECHECK_MS = 5_000;

export interface InClusterOptions {
  /** Prefix of the service-account directory (tests); default `/`. */
  root?: string;
  /** Where `KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT` and `POD_NAMESPACE` are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Clock for re-reading the token file, default `Date.now`. */
  now?: () => number;
}

export interface InClusterKubeconfig {
  /** One context, cluster and user named `in-cluster`; the user holds no credentials (see `credentials`). */
  source: KubeconfigDocument;
  /** The service account's token, read from its file again every 5 s and after a 401. */
  credentials: CredentialSource;
  /** `POD_NAMESPACE`, else the mounted `namespace` file, else `default`. */
  namespace: string;
}

/**
 * The pod's service account as a kubeconfig and credential source. Throws `ConfigError` with one clear line
 * when this process does not run in a pod (no service environment) or has no service account mounted.
 * Reads three small files; loads nothing else.
 */
export function inClusterKubeconfig(opts: InClusterOptions = {}): InClusterKubeconfig {
  const env = opts.env ?? process.env;
  const server = serverUrl(env['KUBERNETES_SERVICE_HOST'], env['KUBERNETES_SERVICE_PORT']);
  const dir = join(opts.root ?? '/', SERVICE_ACCOUNT_DIR);
  const tokenPath = join(dir, 'token');
  try {
    tokenOf(readFileSync(tokenPath, 'utf8'), tokenPath);
  } catch (error) {
    throw new ConfigError(`no service-account token: ${problem(error, tokenPath)}`);
  }
  const namespace = namespaceOf(env, join(dir, 'namespace'));
  const source: KubeconfigDocument = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: IN_CLUSTER,
        cluster: { server, 'certificate-authority-data': caData(join(dir, 'ca.crt')) },
      },
    ],
    users: [{ name: IN_CLUSTER, user: {} }],
    contexts: [{ name: IN_CLUSTER, context: { cluster: IN_CLUSTER, user: IN_CLUSTER, namespace } }],
    'current-context': IN_CLUSTER,
  };
  const credentials = new SharedCredential(
    async () => {
      try {
        return { token: tokenOf(await readFile(tokenPath, 'utf8'), tokenPath) };
      } catch (error) {
        throw new Error(`the service-account token could not be read: ${problem(error, tokenPath)}`);
      }
    },
    { maxAgeMs: TOKEN_RECHECK_MS, ...(opts.now ? { now: opts.now } : {}) },
  );
  return { source, credentials, namespace };
}

/** `https://host:port`, IPv6 addresses bracketed; anything but a host name or address is refused. */
function serverUrl(host: string | undefined, port: string | undefined): string {
  if (!host || !port) {
    const missing = [!host && 'KUBERNETES_SERVICE_HOST', !port && 'KUBERNETES_SERVICE_PORT'].filter(Boolean);
    throw new ConfigError(
      `not running in a Kubernetes pod: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`,
    );
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const name = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;
  if (!isIPv6(bare) && !isIPv4(bare) && !(bare.length <= 253 && name.test(bare))) {
    throw new ConfigError(`KUBERNETES_SERVICE_HOST ${JSON.stringify(host)} is not a host name or IP address`);
  }
  const number = /^\d{1,5}$/.test(port) ? Number(port) : 0;
  if (number < 1 || number > 65_535) {
    throw new ConfigError(`KUBERNETES_SERVICE_PORT ${JSON.stringify(port)} is not a port number (1-65535)`);
  }
  return `https://${isIPv6(bare) ? `[${bare}]` : bare}:${number}`;
}

/** The token in a token file's text; errors name the file, never its content. */
function tokenOf(text: string, path: string): string {
  const token = text.trim();
  if (token === '') throw new Error(`${path} is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new Error(`${path} does not hold a token (not printable ASCII)`);
  return token;
}

/** The mounted CA bundle as `certificate-authority-data`. */
function caData(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`no cluster CA: ${problem(error, path)}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`no cluster CA: ${path} holds no PEM certificate`);
  }
  return Buffer.from(pem, 'utf8').toString('base64');
}

/** As client-go's in-cluster config: `POD_NAMESPACE`, the mounted file, else `default`. */
function namespaceOf(env: NodeJS.ProcessEnv, path: string): string {
  let namespace = env['POD_NAMESPACE']?.trim();
  let from = 'POD_NAMESPACE';
  if (!namespace) {
    from = path;
    try {
      namespace = readFileSync(path, 'utf8').trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new ConfigError(`the pod's namespace: ${problem(error, path)}`);
      }
    }
  }
  if (!namespace) return 'default';
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new ConfigError(`the pod's namespace in ${from} is not a namespace name`);
  }
  return namespace;
}

/** What went wrong reading `path`, without the file's content. */
function problem(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path} does not exist (is a service account mounted in this pod?)`;
  if (code) return `${path} cannot be read (${code})`;
  return error instanceof Error ? error.message : String(error);
}
