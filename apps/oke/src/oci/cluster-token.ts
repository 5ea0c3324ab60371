import { type KeyObject, sign } from 'node:crypto';
import type { SigningKey } from './auth.js';
import { assertOcid } from './ocid.js';

/** A bearer token for an OKE cluster's API server. */
export interface ClusterToken {
  token: string;
  /** Epoch ms after which the token must not be sent. */
  expiresAt: number;
}

/**
 * A credential source for one cluster, the shape packages/kube accepts for a KubeClient: `token()` as
 * often as needed (cached), `invalidate()` when the API server answered 401.
 */
export interface ClusterCredentialSource {
  token(signal?: AbortSignal): Promise<ClusterToken>;
  invalidate(): void;
}

export interface PresignInput {
  region: string;
  clusterId: string;
  keyId: string;
  privateKey: KeyObject;
  /** The signing time; it becomes the `date` header and query parameter. */
  date: Date;
}

/**
 * The OKE cluster token, built exactly as `oci ce cluster generate-token` builds it: a GET of
 * `https://containerengine.<region>.oraclecloud.com/cluster_request/<cluster-ocid>` signed over
 * `date (request-target) host` (the CLI's Python signer; oci-common's signer would sign `x-date`, which
 * OKE does not take in a token, hence node:crypto here), then `authorization` and `date` appended as query
 * parameters (form-encoded, as Python's urlencode does) and the whole URL base64url-encoded with padding
 * (Python's urlsafe_b64encode).
 */
export function presignClusterToken({ region, clusterId, keyId, privateKey, date }: PresignInput): string {
  const host = `containerengine.${region}.oraclecloud.com`;
  const path = `/cluster_request/${clusterId}`;
  const dateHeader = date.toUTCString();
  const signingString = `date: ${dateHeader}\n(request-target): get ${path}\nhost: ${host}`;
  const signature = sign('sha256', Buffer.from(signingString, 'utf8'), privateKey).toString('base64');
  const authorization = `Signature version="1",headers="date (request-target) host",keyId="${keyId}",algorithm="rsa-sha256",signature="${signature}"`;
  const query = new URLSearchParams({ authorization, date: dateHeader });
  const url = `https://${host}${path}?${query.toString()}`;
  return Buffer.from(url, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** What ClusterTokens needs from OciAuth. */
export interface TokenSigner {
  signingKey(): Promise<SigningKey>;
  region(): Promise<string>;
  /** Changes when the identity may have changed; cached tokens of an older generation are not reused. */
  readonly generation: number;
}

export interface ClusterTokensOptions {
  auth: TokenSigner;
  /** Epoch ms; the signature's date and the cache's clock. */
  now?: () => number;
  /** How long a token is used, default 4 minutes (the CLI's ExecCredential expirationTimestamp). */
  lifetimeMs?: number;
  /** Renew this long before expiry, default 30 s. */
  renewBeforeMs?: number;
}

interface Entry {
  promise: Promise<ClusterToken>;
  generation: number;
  token?: ClusterToken;
}

const LIFETIME_MS = 4 * 60_000;
const RENEW_BEFORE_MS = 30_000;

/**
 * OKE cluster tokens made in-process and cached per cluster: one presign per cluster per token lifetime,
 * shared by concurrent callers, renewed shortly before expiry (or before the session token behind it
 * expires), dropped after `OciAuth.refresh()` and when a source is invalidated (the API server said 401).
 */
export class ClusterTokens {
  private readonly auth: TokenSigner;
  private readonly now: () => number;
  private readonly lifetimeMs: number;
  private readonly renewBeforeMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly sources = new Map<string, ClusterCredentialSource>();
  private count = 0;

  constructor(options: ClusterTokensOptions) {
    this.auth = options.auth;
    this.now = options.now ?? Date.now;
    this.lifetimeMs = options.lifetimeMs ?? LIFETIME_MS;
    this.renewBeforeMs = options.renewBeforeMs ?? RENEW_BEFORE_MS;
  }

  /** How many tokens have been signed (for tests and the bench). */
  get presigns(): number {
    return this.count;
  }

  /** The credential source of one cluster (the same object for the same OCID). */
  source(clusterId: string): ClusterCredentialSource {
    assertOcid(clusterId, 'cluster');
    let source = this.sources.get(clusterId);
    if (!source) {
      source = {
        token: (signal) => this.token(clusterId, signal),
        invalidate: () => this.invalidate(clusterId),
      };
      this.sources.set(clusterId, source);
    }
    return source;
  }

  async token(clusterId: string, signal?: AbortSignal): Promise<ClusterToken> {
    assertOcid(clusterId, 'cluster');
    signal?.throwIfAborted();
    let entry = this.entries.get(clusterId);
    if (!entry || !this.fresh(entry)) {
      entry = this.presign(clusterId);
      this.entries.set(clusterId, entry);
    }
    return signal ? abortable(entry.promise, signal) : entry.promise;
  }

  /** Drops the cached token of one cluster, or of all. */
  invalidate(clusterId?: string): void {
    if (clusterId === undefined) this.entries.clear();
    else this.entries.delete(clusterId);
  }

  private fresh(entry: Entry): boolean {
    if (entry.generation !== this.auth.generation) return false;
    return !entry.token || this.now() < entry.token.expiresAt - this.renewBeforeMs;
  }

  private presign(clusterId: string): Entry {
    // The promise settles into the entry it belongs to, so it is created once the entry exists.
    const entry = { generation: this.auth.generation } as Entry;
    entry.promise = this.sign(clusterId).then(
      ({ token, generation }) => {
        // The key was read just now: a file change it noticed is already in this token.
        entry.generation = generation;
        entry.token = token;
        return token;
      },
      (error: unknown) => {
        if (this.entries.get(clusterId) === entry) this.entries.delete(clusterId);
        throw error;
      },
    );
    return entry;
  }

  private async sign(clusterId: string): Promise<{ token: ClusterToken; generation: number }> {
    const [key, region] = await Promise.all([this.auth.signingKey(), this.auth.region()]);
    const now = this.now();
    this.count++;
    const token = presignClusterToken({
      region,
      clusterId,
      keyId: key.keyId,
      privateKey: key.privateKey,
      date: new Date(now),
    });
    const expiresAt = Math.min(now + this.lifetimeMs, key.expiresAt ?? Number.POSITIVE_INFINITY);
    return { token: { token, expiresAt }, generation: this.auth.generation };
  }
}

/** `promise`, or the signal's reason as soon as it aborts (the shared presign itself goes on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
