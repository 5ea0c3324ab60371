import { isAbsolute } from 'node:path';
import type { OptionSpec } from '@cloudmcp/toolkit';
import * as z from 'zod';

export const PRODUCTION_URL = 'https://ai.cloudeka.id';
export const STAGING_URL = 'https://staging.ai.cloudeka.id';

/** The Cloudeka server's own options; the seed's environment variables keep working. */
export const cloudekaOptions: OptionSpec[] = [
  {
    name: 'token',
    type: 'string',
    env: ['CLDKCTL_TOKEN'],
    valueName: 'TOKEN',
    secret: true,
    description:
      'cldkctl token (cldkctl_… or cldk_…, from the portal: profile → API → Token). Exchanged for a JWT; ' +
      'only the JWT is cached.',
  },
  {
    name: 'base-url',
    type: 'string',
    env: ['CLDKCTL_BASE_URL'],
    valueName: 'URL',
    defaultText: PRODUCTION_URL,
    description: 'Production API base URL (any URL: a proxy, a private install, a simulator).',
  },
  {
    name: 'staging-url',
    type: 'string',
    env: ['CLDKCTL_STAGING_URL'],
    valueName: 'URL',
    defaultText: STAGING_URL,
    description: 'Staging API base URL, used by --environment staging and the auto fallback.',
  },
  {
    name: 'environment',
    type: 'string',
    env: ['CLDKCTL_ENVIRONMENT'],
    valueName: 'production|staging|auto',
    defaultText: 'auto',
    description:
      'Which API to use. auto: production, falling back to staging only when production cannot be ' +
      'reached or its auth answers the known "cldkctl_tokens" database error.',
  },
  {
    name: 'default-project-id',
    type: 'string',
    env: ['CLDKCTL_DEFAULT_PROJECT_ID'],
    valueName: 'ID',
    description: 'Project used when a tool is called without `project_id`.',
  },
  {
    name: 'token-dir',
    type: 'string',
    env: ['CLDKCTL_TOKEN_DIR'],
    valueName: 'DIR',
    defaultText: '~/.cldkctl/cloudmcp over stdio; none over HTTP',
    description:
      'The one directory token_regenerate saves new cldkctl tokens in: absolute, owned by this user, not group/world-writable. Over HTTP, regenerating needs it.',
  },
  {
    name: 'timeout',
    type: 'number',
    env: ['CLDKCTL_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '30',
    description: 'Timeout of one HTTP request.',
  },
];

const url = z
  .string()
  .url('must be a URL such as https://ai.cloudeka.id')
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

export const cloudekaConfigSchema = z.object({
  token: z
    .string()
    .min(1)
    .regex(/^cldk(ctl)?_\S+$/, 'a cldkctl token starts with cldkctl_ (or cldk_)')
    .optional(),
  baseUrl: url.default(PRODUCTION_URL),
  stagingUrl: url.default(STAGING_URL),
  environment: z
    .enum(['production', 'staging', 'auto'], { message: 'expected production, staging or auto' })
    .default('auto'),
  defaultProjectId: z.string().min(1).optional(),
  timeout: z.number().positive().max(3600).default(30),
  tokenDir: z.string().refine(isAbsolute, 'must be an absolute path').optional(),
});
export type CloudekaConfig = z.output<typeof cloudekaConfigSchema>;
