/**
 * The kubeconfig user's credentials through `@kubernetes/client-node`'s `KubeConfig`, for what the lean path
 * (`lean.ts`) leaves to it: auth providers (OIDC refreshes there) and proxies, and for callers that hand a
 * `KubeConfig` in. Exec plugins never get here (see `exec-user.ts`).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { MaterialSource } from './material.js';

/** What `applyToHTTPSOptions` fills in. */
interface HttpsOptions {
  headers?: Record<string, unknown>;
  auth?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  servername?: string;
  agent?: unknown;
}

export function clientNodeMaterial(kc: KubeConfig): MaterialSource {
  return async () => {
    const opts: HttpsOptions = {};
    await kc.applyToHTTPSOptions(opts as never);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
    }
    if (opts.auth) headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return {
      headers,
      tls: {
        ...(opts.ca ? { ca: opts.ca } : {}),
        ...(opts.cert ? { cert: opts.cert } : {}),
        ...(opts.key ? { key: opts.key } : {}),
        ...(opts.rejectUnauthorized !== undefined ? { rejectUnauthorized: opts.rejectUnauthorized } : {}),
        ...(opts.servername ? { servername: opts.servername } : {}),
      },
      ...(kc.getCurrentCluster()?.proxyUrl && opts.agent ? { proxyAgent: opts.agent as never } : {}),
    };
  };
}
