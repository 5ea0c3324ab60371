import { createPrivateKey, type KeyObject } from 'node:crypto';
import { homedir } from 'node:os';
import { jwtExpiry } from '@cloudmcp/auth-cache';
import { ConfigError, ToolError } from '@cloudmcp/toolkit';
import type { AuthenticationDetailsProvider } from 'oci-common';
import { keyFingerprint, parsePrivateKey, parseSessionToken } from './key-material.js';
import {
  loadOciProfile,
  type OciAuthMode,
  type OciProfile,
  type OciProfileContext,
  type OciProfileOptions,
  readPassphrase,
} from './profile.js';
import { loadOciCommon } from './sdk.js';
import { WatchedFile } from './watched-file.js';

/** What a request is signed with: the keyId of the Authorization header and its private key. */
export interface SigningKey {
  /** `<tenancy>/<user>/<fingerprint>` for an API key, `ST$<token>` for a session or instance principal. */
  keyId: string;
  privateKey: KeyObject;
  /** When signatures stop being accepted (the session token's expiry), epoch ms; absent for API keys. */
  expiresAt?: number;
}

export interface OciAuthOptions extends OciProfileContext {
  /** The operator's choices (flags); the environment and config file fill in the rest. */
  profile?: OciProfileOptions;
  /** Clock for session expiry, epoch ms. */
  now?: () => number;
  /** How long instance principal federation may take (instance metadata service), default 30 000. */
  federationTimeoutMs?: number;
}

/** A redacted view of the identity: ids, paths, sources and times, never key, pass phrase or token text. */
export interface OciAuthDescription {
  mode: OciAuthMode;
  profile: string;
  configFile?: string;
  region?: string;
  sources: OciProfile['sources'];
  tenancy?: string;
  user?: string;
  /** The fingerprint configured in the profile. */
  fingerprint?: string;
  keyFile?: string;
  passphraseFrom?: OciProfile['passphraseFrom'];
  securityTokenFile?: string;
  /** The fingerprint of the key in `keyFile`, once it could be read. */
  keyFingerprint?: string;
  /** Whether `fingerprint` is the key's own: a mismatch is the usual cause of a 401 with an API key. */
  fingerprintMatchesKey?: boolean;
  /** The session token's expiry (security token and instance principal auth), ISO 8601. */
  sessionExpiresAt?: string;
  /** Instance principal: whether the instance metadata service has been asked yet. */
  federated?: boolean;
  /** Why the identity cannot sign right now (our own wording). */
  problem?: string;
}

interface FileMaterial {
  keyId: string;
  privateKey: KeyObject;
  /** The same key as unencrypted PKCS#8 PEM, for the SDK's signer (which wants text). */
  pem: string;
  fingerprint: string;
  expiresAt?: number;
}

/** oci-common's instance principal provider (typed by what we call on it). */
interface InstancePrincipalProvider extends AuthenticationDetailsProvider {
  getRegion(): { regionId: string };
  refresh(): Promise<string>;
}

const FEDERATION_TIMEOUT_MS = 30_000;

/**
 * The OCI identity of the server, resolved from the config file at construction (a ConfigError there is a
 * start-up error) and used lazily: no key, token or SDK module is read before the first signature.
 *
 * - API key: `key_file` (with its pass phrase) is read on first use.
 * - Security token: the token file and the session key are checked on every signature and re-read when
 *   they change (`oci session refresh` rewrites the token file); an expired token is an error telling the
 *   user to refresh. A session is never replaced by the profile's API key, not even by `refresh()`.
 * - Instance principal: oci-common's provider (certificates from the instance metadata service, loaded on
 *   first use). It cannot be exercised off OCI, so it is not tested here.
 */
export class OciAuth {
  private current: OciProfile;
  private readonly context: Required<OciProfileContext>;
  private readonly options: OciProfileOptions | undefined;
  private readonly now: () => number;
  private readonly federationTimeoutMs: number;
  private keyFile: WatchedFile | undefined;
  private tokenFile: WatchedFile | undefined;
  private material: FileMaterial | undefined;
  private loading: Promise<FileMaterial> | undefined;
  private provider: AuthenticationDetailsProvider | undefined;
  private instance: Promise<InstancePrincipalProvider> | undefined;
  private instanceKey: { pem: string; key: KeyObject } | undefined;
  private changes = 0;

  constructor(options: OciAuthOptions = {}) {
    this.context = {
      env: options.env ?? process.env,
      home: options.home ?? homedir(),
      cwd: options.cwd ?? process.cwd(),
    };
    this.options = options.profile;
    this.now = options.now ?? Date.now;
    this.federationTimeoutMs = options.federationTimeoutMs ?? FEDERATION_TIMEOUT_MS;
    this.current = loadOciProfile(this.options, this.context);
    this.watchFiles();
  }

  get profile(): OciProfile {
    return this.current;
  }

  get mode(): OciAuthMode {
    return this.current.authMode;
  }

  /**
   * Changes whenever the signing identity may have: after `refresh()`, and when a key or token file was
   * found changed. Caches of signed material (cluster tokens) compare it.
   */
  get generation(): number {
    return this.changes;
  }

  /** The region to call and to name in cluster tokens. Instance principal auth may ask the instance. */
  async region(): Promise<string> {
    if (this.current.region) return this.current.region;
    return (await this.instanceProvider()).getRegion().regionId;
  }

  /** The current keyId and private key; re-reads changed files, refuses an expired session. */
  async signingKey(): Promise<SigningKey> {
    if (this.mode === 'instance_principal') return this.instanceSigningKey();
    const material = await this.fileMaterial();
    const key: SigningKey = { keyId: material.keyId, privateKey: material.privateKey };
    if (material.expiresAt !== undefined) key.expiresAt = material.expiresAt;
    return key;
  }

  /** oci-common's AuthenticationDetailsProvider for the SDK clients' signer (the key is loaded first). */
  async sdkProvider(): Promise<AuthenticationDetailsProvider> {
    if (this.mode === 'instance_principal') return this.instanceProvider();
    await this.fileMaterial();
    this.provider ??= this.fileProvider();
    return this.provider;
  }

  /**
   * Re-reads the config file, key, pass phrase and token (the `auth refresh` tool). The auth mode the
   * server started with is kept: a profile that now selects another mode is an error, never a silent
   * switch. Returns the new description; throws a ToolError when the identity cannot sign.
   */
  async refresh(): Promise<OciAuthDescription> {
    let next: OciProfile;
    try {
      next = loadOciProfile(this.options, this.context);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw new ToolError(`The OCI config could not be read again: ${error.message}`, {
        next: 'Fix the config file and call the auth refresh tool again; the server keeps signing as before meanwhile.',
      });
    }
    if (next.authMode !== this.current.authMode) {
      throw new ToolError(
        `Profile [${next.profile}] now selects ${next.authMode} auth, but this server signs with ${this.current.authMode}; it never switches on its own.`,
        { next: 'Restart the server to use the new auth mode.' },
      );
    }
    await this.loading?.catch(() => undefined);
    this.current = next;
    this.watchFiles();
    this.material = undefined;
    this.changes++;
    if (this.mode === 'instance_principal') {
      if (this.instance) await this.refreshFederation(await this.instance);
    } else {
      await this.fileMaterial();
    }
    return this.describe();
  }

  /** The redacted view of the identity; reads the key and token to report on them, never throws for them. */
  async describe(): Promise<OciAuthDescription> {
    const p = this.current;
    const view: OciAuthDescription = { mode: p.authMode, profile: p.profile, sources: p.sources };
    for (const key of ['configFile', 'region', 'tenancy', 'user', 'fingerprint', 'keyFile'] as const) {
      if (p[key] !== undefined) view[key] = p[key];
    }
    if (p.passphraseFrom) view.passphraseFrom = p.passphraseFrom;
    if (p.securityTokenFile) view.securityTokenFile = p.securityTokenFile;
    try {
      if (this.mode === 'instance_principal') {
        view.federated = this.instance !== undefined;
        if (view.federated) {
          const expiresAt = (await this.instanceSigningKey()).expiresAt;
          if (expiresAt !== undefined) view.sessionExpiresAt = new Date(expiresAt).toISOString();
        }
        return view;
      }
      await this.fileMaterial();
    } catch (error) {
      view.problem = error instanceof ToolError ? error.message : 'The identity could not be loaded.';
    }
    const material = this.material;
    if (material) {
      view.keyFingerprint = material.fingerprint;
      if (p.fingerprint) view.fingerprintMatchesKey = material.fingerprint === p.fingerprint.toLowerCase();
      if (material.expiresAt !== undefined)
        view.sessionExpiresAt = new Date(material.expiresAt).toISOString();
    }
    return view;
  }

  private watchFiles(): void {
    const { keyFile, securityTokenFile } = this.current;
    this.keyFile = keyFile ? sameOrNew(this.keyFile, keyFile) : undefined;
    this.tokenFile = securityTokenFile ? sameOrNew(this.tokenFile, securityTokenFile) : undefined;
  }

  /** Concurrent callers share one load. */
  private fileMaterial(): Promise<FileMaterial> {
    this.loading ??= this.loadFileMaterial().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async loadFileMaterial(): Promise<FileMaterial> {
    const profile = this.current;
    const keyFile = this.keyFile!;
    const key = await this.readFile(keyFile, 'key_file');
    const token = this.tokenFile && (await this.readFile(this.tokenFile, 'security_token_file'));
    let material = this.material;
    if (!material || key.changed || token?.changed) {
      const privateKey =
        material && !key.changed
          ? material.privateKey
          : parsePrivateKey(key.text, this.passphrase(), keyFile.path);
      const session = token && this.tokenFile && parseSessionToken(token.text, this.tokenFile.path);
      material = {
        keyId: session ? `ST$${session.token}` : `${profile.tenancy}/${profile.user}/${profile.fingerprint}`,
        privateKey,
        pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        fingerprint: keyFingerprint(privateKey),
      };
      if (session?.expiresAt !== undefined) material.expiresAt = session.expiresAt;
      if (this.material) this.changes++;
      this.material = material;
    }
    if (material.expiresAt !== undefined && material.expiresAt <= this.now()) {
      throw new ToolError(
        `The OCI session token of profile [${profile.profile}] expired at ${new Date(material.expiresAt).toISOString()}.`,
        {
          next: `Run \`oci session refresh --profile ${profile.profile}\` (or \`oci session authenticate --profile-name ${profile.profile}\` once it can no longer be refreshed), then try again: the token file is re-read when it changes.`,
        },
      );
    }
    return material;
  }

  private async readFile(file: WatchedFile, key: 'key_file' | 'security_token_file') {
    try {
      return await file.read();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      const profile = this.current.profile;
      throw new ToolError(`Cannot read ${key} ${file.path} of profile [${profile}] (${code}).`, {
        next:
          key === 'key_file'
            ? `Check \`key_file\` in profile [${profile}], then call the auth refresh tool.`
            : `Run \`oci session authenticate --profile-name ${profile}\` to create the session, then try again.`,
      });
    }
  }

  private passphrase(): string | undefined {
    try {
      return readPassphrase(this.current, this.context.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new ToolError(error.message);
      throw error;
    }
  }

  /** The SDK signer asks for the keyId, then (synchronously) for the key that goes with it. */
  private fileProvider(): AuthenticationDetailsProvider {
    let issued: FileMaterial | undefined;
    return {
      getKeyId: async () => {
        issued = await this.fileMaterial();
        return issued.keyId;
      },
      getPrivateKey: () => (issued ?? this.material)?.pem ?? '',
      getPassphrase: () => null,
    };
  }

  private instanceProvider(): Promise<InstancePrincipalProvider> {
    this.instance ??= this.federate().catch((error: unknown) => {
      this.instance = undefined;
      throw error;
    });
    return this.instance;
  }

  private async federate(): Promise<InstancePrincipalProvider> {
    const common = await loadOciCommon();
    const build = new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
    try {
      return (await withTimeout(build, this.federationTimeoutMs)) as unknown as InstancePrincipalProvider;
    } catch {
      throw new ToolError(
        'Instance principal auth failed: no certificate could be obtained from the instance metadata service.',
        {
          next: 'Instance principal auth works only on an OCI compute instance in a dynamic group; elsewhere use an API key or `oci session authenticate`.',
        },
      );
    }
  }

  private async refreshFederation(provider: InstancePrincipalProvider): Promise<void> {
    try {
      await provider.refresh();
    } catch {
      throw new ToolError('Instance principal auth could not refresh its session token.', {
        next: 'Check that the instance metadata service and the OCI auth endpoint are reachable, then try again.',
      });
    }
  }

  private async instanceSigningKey(): Promise<SigningKey> {
    const provider = await this.instanceProvider();
    let keyId: string;
    try {
      keyId = await provider.getKeyId();
    } catch {
      throw new ToolError('Instance principal auth could not get a session token.', {
        next: 'Check that this instance is in a dynamic group and that the OCI auth endpoint is reachable.',
      });
    }
    const pem = provider.getPrivateKey();
    if (this.instanceKey?.pem !== pem) {
      if (this.instanceKey) this.changes++;
      this.instanceKey = { pem, key: createPrivateKey(pem) };
    }
    const key: SigningKey = { keyId, privateKey: this.instanceKey.key };
    const expiresAt = jwtExpiry(keyId.replace(/^ST\$/, ''));
    if (expiresAt !== undefined) key.expiresAt = expiresAt;
    return key;
  }
}

function sameOrNew(file: WatchedFile | undefined, path: string): WatchedFile {
  if (file?.path !== path) return new WatchedFile(path);
  file.forget();
  return file;
}

/** Races `promise` against a timer; the loser's rejection is swallowed. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
