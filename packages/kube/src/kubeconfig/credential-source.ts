/**
 * Where a target's credentials come from when the kubeconfig user does not carry them itself: an exec plugin
 * (`ExecCredentials`), a service-account token file (`inClusterKubeconfig`), or tokens a server makes in
 * process (OKE's presigned cluster tokens). `KubeClient` asks the source before every request and tells it
 * when the API server answered 401.
 */
import type { ExecCredential } from './exec-credential.js';

/** Credentials for one target, made or read by this process (never by the kubeconfig document). */
export interface CredentialSource {
  /**
   * A bearer token (or client certificate and key) valid now; `expiresAt` epoch ms when known. Shared by
   * concurrent callers: a source makes one credential at a time, however many requests wait for it.
   */
  get(signal?: AbortSignal): Promise<ExecCredential>;
  /**
   * The API server answered 401 to `used`: drop it, so the next `get()` makes a new one. A source that
   * renewed meanwhile keeps its newer credential; one that tracks no identity may ignore the argument.
   */
  invalidate(used: ExecCredential): void;
}

/** A bearer-token maker in the shape OKE's cluster tokens have: `token()` and `invalidate()`. */
export interface BearerTokenSource {
  token(signal?: AbortSignal): Promise<{ token: string; expiresAt?: number }>;
  invalidate(): void;
}

/** A `BearerTokenSource` as a `CredentialSource` (it caches and shares its tokens itself). */
export function bearerTokenCredentials(tokens: BearerTokenSource): CredentialSource {
  return {
    get: async (signal) => {
      const { token, expiresAt } = await tokens.token(signal);
      return expiresAt === undefined ? { token } : { token, expiresAt };
    },
    invalidate: () => tokens.invalidate(),
  };
}

export interface SharedCredentialOptions {
  /** Clock for expiry and age, default `Date.now`. */
  now?: () => number;
  /** Load again once the credential is this old (ms), whatever its expiry says; default never. */
  maxAgeMs?: number;
}

/** A credential this close to its expiry is renewed before use, so it does not expire in flight. */
const EXPIRY_MARGIN_MS = 10_000;

/**
 * One credential shared by every caller: loaded on first use, reused until 10 s before its `expiresAt` (or
 * until `maxAgeMs` has passed, or a 401 invalidated it), one load at a time for all who wait. A caller's
 * `signal` stops its own wait, not the load others share.
 */
export class SharedCredential implements CredentialSource {
  private cached: { credential: ExecCredential; loadedAt: number } | undefined;
  private loading: Promise<ExecCredential> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly load: () => Promise<ExecCredential>,
    private readonly opts: SharedCredentialOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  get(signal?: AbortSignal): Promise<ExecCredential> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const cached = this.cached;
    if (cached && this.fresh(cached.credential, cached.loadedAt)) return Promise.resolve(cached.credential);
    this.loading ??= this.load().then(
      (credential) => {
        this.cached = { credential, loadedAt: this.now() };
        this.loading = undefined;
        return credential;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return signal ? untilAborted(this.loading, signal) : this.loading;
  }

  invalidate(used: ExecCredential): void {
    if (this.cached?.credential === used) this.cached = undefined;
  }

  /**
   * Loads again now, whatever the cached credential's age, for a user that cannot answer a 401 with a
   * retry (a CLI child gets one credential for its whole run). Joins a load already under way.
   */
  refresh(signal?: AbortSignal): Promise<ExecCredential> {
    this.cached = undefined;
    return this.get(signal);
  }

  private fresh(credential: ExecCredential, loadedAt: number): boolean {
    const now = this.now();
    if (credential.expiresAt !== undefined && credential.expiresAt - EXPIRY_MARGIN_MS <= now) return false;
    return this.opts.maxAgeMs === undefined || now - loadedAt < this.opts.maxAgeMs;
  }
}

/** `promise`, or the signal's reason as soon as it aborts (the promise itself runs on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
