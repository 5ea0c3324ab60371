/**
 * The kubeconfig user's credentials read by this package, without `@kubernetes/client-node` (a 14.6 MB
 * module that takes a third of a second to load): bearer tokens (inline or from a token file), client
 * certificates and keys (inline or files), basic auth, the cluster's CA (inline or a file),
 * `insecure-skip-tls-verify`, `tls-server-name` and `as`, each the way client-node applies it. Exec plugins
 * are run by us anyway (`exec-user.ts`); auth providers and proxies are left to client-node
 * (`leanMaterial` answers undefined for them).
 */
import type { TlsMaterial } from '../transport.js';
import { KubeconfigFiles } from './files.js';
import type { MaterialSource } from './material.js';

type Body = Record<string, unknown>;

export interface LeanOptions {
  /** Clock for re-reading files, default `Date.now`. */
  now?: () => number;
}

/** Whether client-node is needed for this user and cluster: an auth provider, or a proxy. */
export function needsClientNode(cluster: Body, user: Body | undefined): boolean {
  return text(cluster, 'proxy-url') !== undefined || Boolean(user?.['auth-provider']);
}

/**
 * The material of one request to `cluster` as `user` (a kubeconfig's cluster and user bodies, exec plugin
 * taken off), or undefined when client-node is needed (`needsClientNode`).
 */
export function leanMaterial(
  cluster: Body,
  user: Body | undefined,
  opts: LeanOptions = {},
): MaterialSource | undefined {
  if (needsClientNode(cluster, user)) return undefined;
  const files = new KubeconfigFiles(opts.now);
  const skipVerify = cluster['insecure-skip-tls-verify'] === true;
  if (String(cluster['server'] ?? '').startsWith('http:') && !skipVerify) {
    // client-node refuses this too: plain HTTP only when the kubeconfig says not to verify
    return () =>
      Promise.reject(
        new Error('the server is an http:// URL but insecure-skip-tls-verify is not set, so it is not used'),
      );
  }
  const fixedTls: TlsMaterial = {
    ...(skipVerify ? { rejectUnauthorized: false } : {}),
    ...(text(cluster, 'tls-server-name') ? { servername: text(cluster, 'tls-server-name')! } : {}),
  };
  const u = user ?? {};
  const ca = fileOrData(files, cluster, 'certificate-authority', 'certificate-authority-data', 'CA');
  const cert = fileOrData(files, u, 'client-certificate', 'client-certificate-data', 'client certificate');
  const key = fileOrData(files, u, 'client-key', 'client-key-data', 'client key');
  const bearer = bearerToken(files, u);
  const impersonate = text(u, 'as');
  const username = text(u, 'username');
  const basic = username
    ? `Basic ${Buffer.from(`${username}:${text(u, 'password') ?? ''}`).toString('base64')}`
    : undefined;

  return async () => {
    const [caBytes, certBytes, keyBytes, token] = await Promise.all([ca?.(), cert?.(), key?.(), bearer?.()]);
    const headers: Record<string, string> = {};
    if (impersonate) headers['Impersonate-User'] = impersonate;
    const authorization = basic ?? (token ? `Bearer ${token}` : undefined);
    if (authorization) headers['Authorization'] = authorization;
    return {
      headers,
      tls: {
        ...fixedTls,
        ...(caBytes ? { ca: caBytes } : {}),
        ...(certBytes ? { cert: certBytes } : {}),
        ...(keyBytes ? { key: keyBytes } : {}),
      },
    };
  };
}

/** A non-empty string field, else undefined. */
function text(body: Body, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** As client-node: the file when one is named, else the base64 data. */
function fileOrData(
  files: KubeconfigFiles,
  body: Body,
  fileKey: string,
  dataKey: string,
  what: string,
): (() => Promise<Buffer>) | undefined {
  const file = text(body, fileKey);
  if (file) return () => files.read(file, what);
  const data = text(body, dataKey);
  if (!data) return undefined;
  const bytes = Buffer.from(data, 'base64');
  return () => Promise.resolve(bytes);
}

/**
 * The user's bearer token: `token`, else the token file (kubectl's `tokenFile`, or client-node's
 * `token-file`), re-read once a minute and trimmed as client-go does.
 */
function bearerToken(files: KubeconfigFiles, user: Body): (() => Promise<string>) | undefined {
  const inline = text(user, 'token');
  if (inline) return () => Promise.resolve(inline);
  const file = text(user, 'tokenFile') ?? text(user, 'token-file');
  if (!file) return undefined;
  return async () => {
    const token = (await files.read(file, 'token')).toString('utf8').trim();
    if (!/^[\x21-\x7e]*$/.test(token)) throw new Error(`the token file ${file} does not hold a token`);
    return token;
  };
}
