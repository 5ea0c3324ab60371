/**
 * Credentials from a kubeconfig exec plugin (`users[].user.exec`), run the way kubectl runs it but with the
 * scrubbed child environment: the plugin gets `PASSED_ENV` from this process, its own `env` entries and
 * `KUBERNETES_EXEC_INFO`, never the server's secrets (`CLOUDMCP_HTTP_TOKEN`, cloud keys). client-node's
 * own ExecAuth hands a plugin the whole `process.env`, so the typed tools do not use it (see exec-user.ts).
 * Only trusted (operator) kubeconfigs get here: `rebuildKubeconfig` refuses exec plugins from outside.
 */
import { type ExecFileException, execFile } from 'node:child_process';
import { basename } from 'node:path';
import { execPluginEnv } from '../child-env.js';
import { type CredentialSource, SharedCredential } from './credential-source.js';

/** The `exec` entry of a kubeconfig user. */
export interface ExecPluginConfig {
  command: string;
  args?: string[] | null;
  env?: Array<{ name: string; value: string }> | null;
  apiVersion?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

/** What `provideClusterInfo` passes to the plugin in `KUBERNETES_EXEC_INFO` (`spec.cluster`). */
export interface ExecClusterInfo {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
}

/** A credential a plugin printed (`ExecCredential.status`). */
export interface ExecCredential {
  token?: string;
  /** PEM. */
  clientCertificateData?: string;
  /** PEM. */
  clientKeyData?: string;
  /** Epoch ms of `expirationTimestamp`; none means valid until the API server answers 401. */
  expiresAt?: number;
}

export interface ExecCredentialsOptions {
  cluster?: ExecClusterInfo;
  /** How long the plugin may run, default 60 s (then it is killed). */
  timeoutMs?: number;
  /** Clock for expiry, default `Date.now`. */
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;
const DEFAULT_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/**
 * One plugin's credentials: run on first use, reused until they expire (or a 401 says they are stale), one
 * run shared by concurrent callers.
 */
export class ExecCredentials implements CredentialSource {
  private readonly shared: SharedCredential;

  constructor(
    private readonly plugin: ExecPluginConfig,
    private readonly opts: ExecCredentialsOptions = {},
  ) {
    this.shared = new SharedCredential(() => this.run(), opts.now ? { now: opts.now } : {});
  }

  /** A valid credential, running the plugin when there is none. */
  get(signal?: AbortSignal): Promise<ExecCredential> {
    return this.shared.get(signal);
  }

  /** The API server refused `used` (401): the next `get()` runs the plugin again, once for every caller. */
  invalidate(used: ExecCredential): void {
    this.shared.invalidate(used);
  }

  /** The scrubbed environment, the plugin's own `env` entries, and what kubectl also sets. */
  private environment(): Record<string, string> {
    const own = Object.fromEntries((this.plugin.env ?? []).map(({ name, value }) => [name, value]));
    return execPluginEnv({ ...own, KUBERNETES_EXEC_INFO: JSON.stringify(this.execInfo()) });
  }

  private execInfo(): object {
    const { cluster } = this.opts;
    return {
      apiVersion: this.plugin.apiVersion ?? DEFAULT_API_VERSION,
      kind: 'ExecCredential',
      spec: { interactive: false, ...(this.plugin.provideClusterInfo && cluster ? { cluster } : {}) },
    };
  }

  private run(): Promise<ExecCredential> {
    const { command } = this.plugin;
    const name = basename(command);
    if (this.plugin.interactiveMode === 'Always') {
      return Promise.reject(
        new Error(
          `exec plugin "${name}" needs an interactive terminal (interactiveMode: Always); a server has none`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      const child = execFile(
        command,
        this.plugin.args ?? [],
        {
          env: this.environment(),
          timeout: this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBuffer: MAX_OUTPUT_BYTES,
          windowsHide: true,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          if (error) {
            reject(new Error(`exec plugin "${name}" failed: ${failure(error, stderr)}`));
            return;
          }
          try {
            resolve(this.parse(stdout, name));
          } catch (problem) {
            reject(problem);
          }
        },
      );
      child.stdin?.end(); // not interactive: the plugin reads no input
    });
  }

  /** Reads the plugin's ExecCredential JSON. Messages never repeat the output (it holds the credential). */
  private parse(stdout: string, name: string): ExecCredential {
    const bad = (why: string): Error => new Error(`exec plugin "${name}" printed ${why}`);
    let output: unknown;
    try {
      output = JSON.parse(stdout);
    } catch {
      throw bad('something that is not ExecCredential JSON');
    }
    const { kind, apiVersion, status } = (output ?? {}) as Record<string, unknown>;
    if (kind !== 'ExecCredential') throw bad('JSON whose kind is not ExecCredential');
    const wanted = this.plugin.apiVersion ?? DEFAULT_API_VERSION;
    if (apiVersion !== wanted) throw bad(`an ExecCredential whose apiVersion is not ${wanted}`);
    if (typeof status !== 'object' || status === null) throw bad('an ExecCredential without status');
    const s = status as Record<string, unknown>;
    const text = (key: string): string | undefined =>
      typeof s[key] === 'string' && s[key] !== '' ? (s[key] as string) : undefined;
    const token = text('token');
    const cert = text('clientCertificateData');
    const key = text('clientKeyData');
    if (!token && !(cert && key))
      throw bad('an ExecCredential with neither a token nor a certificate and key');
    if (token && !/^[\x21-\x7e]+$/.test(token)) throw bad('a token that is not printable ASCII');
    const expiry = text('expirationTimestamp');
    const expiresAt = expiry === undefined ? undefined : Date.parse(expiry);
    if (expiresAt !== undefined && Number.isNaN(expiresAt))
      throw bad('an expirationTimestamp that is no date');
    return {
      ...(token ? { token } : {}),
      ...(cert && key ? { clientCertificateData: cert, clientKeyData: key } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
  }
}

function failure(error: ExecFileException, stderr: string): string {
  if (error.code === 'ENOENT') return 'command not found';
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return 'it printed more than 1 MiB';
  if (error.killed) return 'it did not finish in time and was stopped';
  const line = stderr.trim().split('\n')[0]?.slice(0, 200);
  return `exit code ${String(error.code)}${line ? `: ${line}` : ''}`;
}
