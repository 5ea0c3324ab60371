import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@cloudmcp/toolkit';
import { type ConfigEntry, type OciConfigFile, parseOciConfig, profileValue } from './config-file.js';

// Reads ~/.oci/config without the OCI SDK: start-up must not load it, and the SDK's reader is lenient where
// we want clear errors. Errors name the file, profile, line and key, never a value.

export const OCI_AUTH_MODES = ['api_key', 'security_token', 'instance_principal'] as const;
export type OciAuthMode = (typeof OCI_AUTH_MODES)[number];

/** What the operator chose on the command line (or the server's config); each overrides the environment. */
export interface OciProfileOptions {
  /** Config file path (`~` expanded). */
  configFile?: string;
  profile?: string;
  region?: string;
  auth?: OciAuthMode;
}

/** The process environment and home directory; injectable for tests. */
export interface OciProfileContext {
  env?: Record<string, string | undefined>;
  home?: string;
  cwd?: string;
}

/**
 * The identity to sign with: paths and ids only. Keys, pass phrases and tokens are read from their files
 * when first needed, and re-read when they change.
 */
export interface OciProfile {
  authMode: OciAuthMode;
  /** Absent only for instance principal auth without a config file. */
  configFile?: string;
  profile: string;
  /** Absent only for instance principal auth, which learns it from the instance metadata service. */
  region?: string;
  tenancy?: string;
  /** API key auth only. */
  user?: string;
  fingerprint?: string;
  /** Absolute path of the PEM private key (API key or session key). */
  keyFile?: string;
  /** Absolute path of the session token (security token auth). */
  securityTokenFile?: string;
  /** Where the key's pass phrase comes from, when it has one. */
  passphraseFrom?: 'OCI_CLI_PASSPHRASE' | 'pass_phrase';
  /** Where each choice came from, for the redacted environment view. */
  sources: {
    configFile?: 'option' | 'OCI_CLI_CONFIG_FILE' | 'OCI_CONFIG_FILE' | 'default' | 'fallback';
    profile: 'option' | 'OCI_CLI_PROFILE' | 'default';
    region?: 'option' | 'OCI_CLI_REGION' | 'OCI_REGION' | 'profile';
    authMode: 'option' | 'OCI_CLI_AUTH' | 'authentication_type' | 'security_token_file' | 'default';
  };
}

const DEFAULT_CONFIG = '~/.oci/config';
const FALLBACK_CONFIG = '~/.oraclebmc/config';
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** OCIDs (`ocid1.user.oc1..aaa`) and the legacy `ocidv1:user:oc1:…` form; they go into a header's keyId. */
const IDENTIFIER = /^[A-Za-z0-9._:-]+$/;
const FINGERPRINT = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2})+$/;

/**
 * Resolves the OCI identity the way the OCI CLI does:
 * - config file: `configFile` option, `OCI_CLI_CONFIG_FILE`, `OCI_CONFIG_FILE`, else `~/.oci/config`
 *   falling back to `~/.oraclebmc/config`; a file named explicitly must exist;
 * - profile: `profile` option, `OCI_CLI_PROFILE`, else `DEFAULT`; keys missing in it come from [DEFAULT];
 * - auth: `auth` option, `OCI_CLI_AUTH`, the profile's `authentication_type`, then security token when the
 *   profile has `security_token_file`, else API key;
 * - region: `region` option, `OCI_CLI_REGION`, `OCI_REGION`, then the profile's `region` (the CLI lets the
 *   environment override the file; the TypeScript SDK only falls back to `OCI_REGION`, we follow the CLI);
 * - pass phrase: `OCI_CLI_PASSPHRASE`, else the profile's (deprecated) `pass_phrase`.
 * Throws ConfigError naming the file, profile and key; never a value.
 */
export function loadOciProfile(options: OciProfileOptions = {}, context: OciProfileContext = {}): OciProfile {
  const env = context.env ?? process.env;
  const home = context.home ?? homedir();
  const cwd = context.cwd ?? process.cwd();
  const explicitMode = options.auth
    ? { mode: options.auth, source: 'option' as const }
    : authModeFromEnv(env['OCI_CLI_AUTH']);
  const located = readConfigFile(options, env, home, cwd, explicitMode?.mode === 'instance_principal');
  const profile = options.profile
    ? { name: options.profile, source: 'option' as const }
    : env['OCI_CLI_PROFILE']
      ? { name: env['OCI_CLI_PROFILE'], source: 'OCI_CLI_PROFILE' as const }
      : { name: 'DEFAULT', source: 'default' as const };
  let reader = located && new ProfileReader(located.config, located.path, profile.name, home, cwd);
  if (located && !located.config.has(profile.name)) {
    // Instance principal auth needs no profile: only one named on purpose must exist.
    if (explicitMode?.mode === 'instance_principal' && profile.source === 'default') {
      reader = undefined;
    } else {
      const names = [...located.config.keys()].join(', ') || 'none';
      throw new ConfigError(`${located.path}: no profile [${profile.name}] (profiles: ${names})`);
    }
  }

  const mode = explicitMode ?? reader?.authMode() ?? { mode: 'api_key' as const, source: 'default' as const };
  const region = regionFrom(options.region, env, reader);
  const result: OciProfile = {
    authMode: mode.mode,
    profile: profile.name,
    sources: { profile: profile.source, authMode: mode.source },
  };
  if (located) {
    result.configFile = located.path;
    result.sources.configFile = located.source;
  }
  if (region) {
    result.region = region.value;
    result.sources.region = region.source;
  }
  if (mode.mode === 'instance_principal' || !reader) return result;

  if (!region) {
    throw new ConfigError(
      `${reader.where}: no \`region\`; set it in the profile, or set OCI_CLI_REGION or OCI_REGION`,
    );
  }
  result.keyFile = reader.path('key_file', true);
  const tenancy = reader.identifier('tenancy', IDENTIFIER, mode.mode === 'api_key');
  if (tenancy) result.tenancy = tenancy;
  const fingerprint = reader.identifier('fingerprint', FINGERPRINT, mode.mode === 'api_key');
  if (fingerprint) result.fingerprint = fingerprint;
  if (mode.mode === 'api_key') {
    result.user = reader.identifier('user', IDENTIFIER, true);
  } else {
    result.securityTokenFile = reader.path('security_token_file', true);
  }
  if (env['OCI_CLI_PASSPHRASE']) result.passphraseFrom = 'OCI_CLI_PASSPHRASE';
  else if (reader.has('pass_phrase')) result.passphraseFrom = 'pass_phrase';
  return result;
}

/**
 * The private key's pass phrase, read only when the key is loaded: from `OCI_CLI_PASSPHRASE`, or from the
 * profile's `pass_phrase` (the config file is read again, so an edit is seen).
 */
export function readPassphrase(
  profile: OciProfile,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  if (profile.passphraseFrom === 'OCI_CLI_PASSPHRASE') return env['OCI_CLI_PASSPHRASE'] || undefined;
  if (profile.passphraseFrom !== 'pass_phrase' || !profile.configFile) return undefined;
  const config = parseOciConfig(readText(profile.configFile) ?? '', profile.configFile);
  return profileValue(config, profile.profile, 'pass_phrase')?.value;
}

/** `~` and `~/…` are the home directory; relative paths are taken from the working directory, as the CLI does. */
export function expandPath(path: string, home: string, cwd: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return resolve(cwd, path);
}

function authModeFromEnv(value: string | undefined) {
  if (!value) return undefined;
  if (!isAuthMode(value)) {
    throw new ConfigError(`OCI_CLI_AUTH must be one of ${OCI_AUTH_MODES.join(', ')}`);
  }
  return { mode: value, source: 'OCI_CLI_AUTH' as const };
}

function isAuthMode(value: string): value is OciAuthMode {
  return (OCI_AUTH_MODES as readonly string[]).includes(value);
}

function regionFrom(
  option: string | undefined,
  env: Record<string, string | undefined>,
  reader?: ProfileReader,
) {
  const chosen = option
    ? { value: option, source: 'option' as const, where: 'the region option' }
    : env['OCI_CLI_REGION']
      ? { value: env['OCI_CLI_REGION'], source: 'OCI_CLI_REGION' as const, where: 'OCI_CLI_REGION' }
      : env['OCI_REGION']
        ? { value: env['OCI_REGION'], source: 'OCI_REGION' as const, where: 'OCI_REGION' }
        : undefined;
  if (chosen) {
    if (!REGION.test(chosen.value)) {
      throw new ConfigError(`${chosen.where} is not a region identifier (like us-phoenix-1)`);
    }
    return chosen;
  }
  const value = reader?.identifier('region', REGION, false);
  return value ? { value, source: 'profile' as const } : undefined;
}

interface LocatedConfig {
  path: string;
  source: NonNullable<OciProfile['sources']['configFile']>;
  config: OciConfigFile;
}

function readConfigFile(
  options: OciProfileOptions,
  env: Record<string, string | undefined>,
  home: string,
  cwd: string,
  optional: boolean,
): LocatedConfig | undefined {
  const named = options.configFile
    ? { path: options.configFile, source: 'option' as const }
    : env['OCI_CLI_CONFIG_FILE']
      ? { path: env['OCI_CLI_CONFIG_FILE'], source: 'OCI_CLI_CONFIG_FILE' as const }
      : env['OCI_CONFIG_FILE']
        ? { path: env['OCI_CONFIG_FILE'], source: 'OCI_CONFIG_FILE' as const }
        : undefined;
  const candidates = named
    ? [named]
    : [
        { path: DEFAULT_CONFIG, source: 'default' as const },
        { path: FALLBACK_CONFIG, source: 'fallback' as const },
      ];
  for (const candidate of candidates) {
    const path = expandPath(candidate.path, home, cwd);
    const text = readText(path, true);
    if (text !== undefined) return { path, source: candidate.source, config: parseOciConfig(text, path) };
  }
  if (optional && !named) return undefined;
  const where = named
    ? `${expandPath(named.path, home, cwd)} (from ${describeSource(named.source)})`
    : DEFAULT_CONFIG;
  throw new ConfigError(
    `OCI config file ${where} not found; create it with \`oci setup config\`, or point OCI_CONFIG_FILE at it`,
  );
}

function describeSource(source: string): string {
  return source === 'option' ? 'the config file option' : source;
}

/** Reads a config file; `undefined` for a missing file when `missingOk`. Errors name the path only. */
function readText(path: string, missingOk = false): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (missingOk && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
    throw new ConfigError(`cannot read OCI config file ${path} (${code ?? 'error'})`);
  }
}

/** Reads one profile's keys (with the [DEFAULT] fallback) and validates them. */
class ProfileReader {
  readonly where: string;

  constructor(
    private readonly config: OciConfigFile,
    file: string,
    private readonly profile: string,
    private readonly home: string,
    private readonly cwd: string,
  ) {
    this.where = `${file} profile [${profile}]`;
  }

  has(key: string): boolean {
    return profileValue(this.config, this.profile, key) !== undefined;
  }

  authMode() {
    const type = this.entry('authentication_type');
    if (type) {
      if (!isAuthMode(type.value)) {
        throw new ConfigError(
          `${this.at('authentication_type', type)} must be one of ${OCI_AUTH_MODES.join(', ')} (others are not supported)`,
        );
      }
      return { mode: type.value, source: 'authentication_type' as const };
    }
    if (this.has('security_token_file')) {
      return { mode: 'security_token' as const, source: 'security_token_file' as const };
    }
    return undefined;
  }

  identifier(key: string, pattern: RegExp, required: true): string;
  identifier(key: string, pattern: RegExp, required: boolean): string | undefined;
  identifier(key: string, pattern: RegExp, required: boolean): string | undefined {
    const entry = this.required(key, required);
    if (entry && !pattern.test(entry.value)) {
      throw new ConfigError(`${this.at(key, entry)} is malformed`);
    }
    return entry?.value;
  }

  path(key: string, required: true): string {
    const entry = this.required(key, required)!;
    return expandPath(entry.value, this.home, this.cwd);
  }

  private required(key: string, required: boolean): ConfigEntry | undefined {
    const entry = this.entry(key);
    if (!entry && required) throw new ConfigError(`${this.where}: missing \`${key}\` (nor in [DEFAULT])`);
    return entry;
  }

  private entry(key: string): ConfigEntry | undefined {
    return profileValue(this.config, this.profile, key);
  }

  private at(key: string, entry: ConfigEntry): string {
    return `${this.where}: \`${key}\` (line ${entry.line})`;
  }
}
