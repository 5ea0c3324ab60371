import { AuthCache } from '@cloudmcp/auth-cache';
import { ConfigError, HttpClient, type Logger } from '@cloudmcp/toolkit';
import { CloudekaClient } from './client/client.js';
import type { CloudekaConfig } from './config.js';

/** What every Cloudeka tool handler receives as `ctx.deps`. */
export interface CloudekaDeps {
  client: CloudekaClient;
  /** `CLDKCTL_DEFAULT_PROJECT_ID`: used when a tool is called without `project_id`. */
  defaultProjectId?: string;
}

/** Builds the client from the configuration. Cheap and offline: nothing is sent until the first tool call. */
export function createDeps(config: CloudekaConfig, logger: Logger): CloudekaDeps {
  if (!config.token) {
    throw new ConfigError(
      '--token (CLDKCTL_TOKEN) is required: a cldkctl_… token from the portal (profile → API → Token)',
    );
  }
  const client = new CloudekaClient({
    token: config.token,
    urls: { production: config.baseUrl, staging: config.stagingUrl },
    mode: config.environment,
    http: new HttpClient({ timeoutMs: config.timeout * 1000, userAgent: 'cloudmcp-cloudeka' }),
    cache: new AuthCache({ provider: 'cloudeka', onWarning: (message) => logger.warn(message) }),
    logger,
  });
  return { client, ...(config.defaultProjectId ? { defaultProjectId: config.defaultProjectId } : {}) };
}
