import { AuthCache } from '@cloudmcp/auth-cache';
import { type CommonConfig, ConfigError, HttpClient, type Logger } from '@cloudmcp/toolkit';
import { type CloudStackAuth, CloudStackClient } from './client/client.js';
import { defaultCmkConfigPath, readCmkProfile } from './cmk.js';
import type { CloudStackConfig } from './config.js';
import { type KeyDir, keyDirFrom } from './key-dir.js';

/** What every CloudStack tool handler receives as `ctx.deps`. */
export interface CloudStackDeps {
  client: CloudStackClient;
  jobs: { timeoutMs: number; pollIntervalMs: number };
  /** Where `ssh_key_create` saves private keys. */
  sshKeyDir: KeyDir;
}

/** Fills unset options from a CloudMonkey profile, when one is named. */
function withCmkProfile(config: CloudStackConfig): CloudStackConfig {
  if (!config.cmkProfile) return config;
  let profile: ReturnType<typeof readCmkProfile>;
  try {
    profile = readCmkProfile(config.cmkConfig ?? defaultCmkConfigPath(), config.cmkProfile);
  } catch (error) {
    throw new ConfigError(`--cmk-profile: ${(error as Error).message}`);
  }
  return {
    ...config,
    apiUrl: config.apiUrl ?? profile.url,
    apiKey: config.apiKey ?? profile.apikey,
    secretKey: config.secretKey ?? profile.secretkey,
    username: config.username ?? profile.username,
    password: config.password ?? profile.password,
    domain: config.domain !== '/' ? config.domain : (profile.domain ?? '/'),
  };
}

export function resolveAuth(config: CloudStackConfig): CloudStackAuth {
  if (config.apiKey || config.secretKey) {
    if (!config.apiKey || !config.secretKey) {
      throw new ConfigError(
        '--api-key and --secret-key (CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY) go together',
      );
    }
    return { kind: 'keys', apiKey: config.apiKey, secretKey: config.secretKey };
  }
  if (config.username && config.password) {
    const login = { username: config.username, password: config.password, domain: config.domain };
    return config.bootstrapKeys ? { kind: 'bootstrap', ...login } : { kind: 'session', ...login };
  }
  throw new ConfigError(
    'no credentials: set CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY, or CLOUDSTACK_USERNAME and CLOUDSTACK_PASSWORD',
  );
}

/**
 * Builds the client from the configuration. Cheap and offline: nothing is sent until the first tool call.
 * `http` (set by the CLI when serving HTTP) turns off the default key directory.
 */
export function createDeps(
  input: CloudStackConfig & Partial<Pick<CommonConfig, 'http'>>,
  logger: Logger,
): CloudStackDeps {
  const config = withCmkProfile(input);
  if (!config.apiUrl) {
    throw new ConfigError(
      '--api-url (CLOUDSTACK_API_URL) is required, e.g. https://cloud.example.com/client/api',
    );
  }
  const auth = resolveAuth(config);
  const client = new CloudStackClient({
    apiUrl: config.apiUrl,
    auth,
    http: new HttpClient({
      timeoutMs: config.timeout * 1000,
      userAgent: 'cloudmcp-cloudstack',
      name: 'cloudstack',
    }),
    cache: new AuthCache({ provider: 'cloudstack', onWarning: (message) => logger.warn(message) }),
    logger,
  });
  return {
    client,
    jobs: { timeoutMs: config.jobTimeout * 1000, pollIntervalMs: config.jobPollMs },
    sshKeyDir: keyDirFrom(config),
  };
}
