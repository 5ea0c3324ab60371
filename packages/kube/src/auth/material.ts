/**
 * What one request to an API server authenticates with, and how a target's credentials come together: the
 * kubeconfig user's own (read by `lean.ts`, or by client-node for auth providers and proxies) and those of a
 * credential source (an exec plugin we run, OKE's tokens, the pod's service account).
 */
import type { CredentialSource } from '../kubeconfig/credential-source.js';
import type { ExecCredential } from '../kubeconfig/exec-credential.js';
import type { TransportAuth } from '../transport.js';

/** Headers and TLS material for one request. */
export interface AuthMaterial extends TransportAuth {
  headers: Record<string, string>;
}

/** Reads the kubeconfig user's material for one request (token files re-read, OIDC refreshed inside). */
export type MaterialSource = () => Promise<AuthMaterial>;

/** One request's credentials, and the source's credential it used (to drop after a 401). */
export interface RequestCredentials {
  material: AuthMaterial;
  sourceUsed?: ExecCredential;
}

/**
 * A target's credentials: the kubeconfig user's, and a credential source's when there is one. As in
 * client-node, the user's own `Authorization` (token, basic auth) wins over the source's token, and the
 * source's certificate over the user's (a source comes only with a user that has neither).
 */
export class ClusterAuth {
  constructor(
    private readonly own: MaterialSource,
    private readonly source?: CredentialSource,
  ) {}

  /** The kubeconfig user's own material, without asking the credential source. */
  ownMaterial(): Promise<AuthMaterial> {
    return this.own();
  }

  async forRequest(signal?: AbortSignal): Promise<RequestCredentials> {
    const material = await this.own();
    if (!this.source) return { material };
    const sourceUsed = await this.source.get(signal);
    const headers = { ...material.headers };
    if (sourceUsed.token && !hasHeader(headers, 'authorization')) {
      headers['Authorization'] = `Bearer ${sourceUsed.token}`;
    }
    const tls =
      sourceUsed.clientCertificateData && sourceUsed.clientKeyData
        ? {
            ...material.tls,
            cert: Buffer.from(sourceUsed.clientCertificateData),
            key: Buffer.from(sourceUsed.clientKeyData),
          }
        : material.tls;
    return { material: { ...material, headers, tls }, sourceUsed };
  }

  /** The API server answered 401 to a request that used `used`: the source makes a new one next time. */
  invalidate(used: ExecCredential): void {
    this.source?.invalidate(used);
  }
}

function hasHeader(headers: Record<string, string>, lowerName: string): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase() === lowerName);
}
