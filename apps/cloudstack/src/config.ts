import { isAbsolute } from 'node:path';
import type { OptionSpec } from '@cloudmcp/toolkit';
import * as z from 'zod';

/** The CloudStack server's own options; the seed's environment variables keep working. */
export const cloudstackOptions: OptionSpec[] = [
  {
    name: 'api-url',
    type: 'string',
    env: ['CLOUDSTACK_API_URL'],
    valueName: 'URL',
    description: 'API endpoint, e.g. https://cloud.example.com/client/api.',
  },
  {
    name: 'api-key',
    type: 'string',
    env: ['CLOUDSTACK_API_KEY'],
    secret: true,
    description: 'API key; with --secret-key, requests are signed (signatureversion 3).',
  },
  {
    name: 'secret-key',
    type: 'string',
    env: ['CLOUDSTACK_SECRET_KEY'],
    secret: true,
    description: 'Secret key.',
  },
  {
    name: 'username',
    type: 'string',
    env: ['CLOUDSTACK_USERNAME'],
    description: 'Log in with a username and password instead of keys (session, renewed on expiry).',
  },
  { name: 'password', type: 'string', env: ['CLOUDSTACK_PASSWORD'], secret: true, description: 'Password.' },
  {
    name: 'domain',
    type: 'string',
    env: ['CLOUDSTACK_DOMAIN'],
    defaultText: '/',
    description: 'Domain path of the user for login.',
  },
  {
    name: 'bootstrap-keys',
    type: 'boolean',
    env: ['CLOUDSTACK_BOOTSTRAP_KEYS'],
    description:
      "With username/password: use the user's API keys, registering them only if the user has none.",
  },
  {
    name: 'timeout',
    type: 'number',
    env: ['CLOUDSTACK_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '60',
    description: 'Timeout of one HTTP request.',
  },
  {
    name: 'job-timeout',
    type: 'number',
    env: ['CLOUDSTACK_JOB_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '600',
    description: 'How long a tool waits for an async job before returning its id.',
  },
  {
    name: 'job-poll-ms',
    type: 'number',
    env: ['CLOUDSTACK_JOB_POLL_MS'],
    valueName: 'MS',
    defaultText: '2000',
    description: 'First wait between async job polls (it grows up to 5x).',
  },
  {
    name: 'cmk-profile',
    type: 'string',
    env: ['CLOUDSTACK_CMK_PROFILE'],
    valueName: 'NAME',
    description: 'Read url, keys or username/password from this CloudMonkey profile (flags and env win).',
  },
  {
    name: 'cmk-config',
    type: 'string',
    env: ['CLOUDSTACK_CMK_CONFIG'],
    valueName: 'FILE',
    defaultText: '~/.cmk/config',
    description: 'CloudMonkey config file.',
  },
  {
    name: 'ssh-key-dir',
    type: 'string',
    env: ['CLOUDSTACK_SSH_KEY_DIR'],
    valueName: 'DIR',
    defaultText: '~/.ssh/cloudmcp over stdio; none over HTTP',
    description:
      'The one directory ssh_key_create saves private keys in: absolute, owned by this user, not group/world-writable. Over HTTP, saving keys needs it.',
  },
];

export const cloudstackConfigSchema = z.object({
  apiUrl: z.string().url('must be a URL such as https://cloud.example.com/client/api').optional(),
  apiKey: z.string().min(1).optional(),
  secretKey: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  domain: z.string().default('/'),
  bootstrapKeys: z.boolean().default(false),
  timeout: z.number().positive().max(3600).default(60),
  jobTimeout: z.number().positive().max(86_400).default(600),
  jobPollMs: z.number().int().min(10).max(60_000).default(2000),
  cmkProfile: z.string().optional(),
  cmkConfig: z.string().optional(),
  sshKeyDir: z.string().refine(isAbsolute, 'must be an absolute path').optional(),
});
export type CloudStackConfig = z.output<typeof cloudstackConfigSchema>;
