/** One command-line option, with where else its value may come from. */
export interface OptionSpec {
  /** Flag name without dashes, kebab-case: `api-url` → `--api-url`, config key `apiUrl`. */
  name: string;
  type: 'string' | 'boolean' | 'number' | 'list';
  description: string;
  /** Environment variables read for it, first set wins (seed names such as `CLOUDSTACK_API_URL`). */
  env?: string[];
  /** Placeholder shown in `--help`: `URL`, `SECONDS`. */
  valueName?: string;
  /** Shown in `--help`; the zod schema applies it. */
  defaultText?: string;
  /** A credential: `--help` says to prefer the environment; never echoed. */
  secret?: boolean;
}

/** Options every cloudmcp server takes, with the same names and environment variables. */
export const COMMON_OPTIONS: OptionSpec[] = [
  {
    name: 'read-only',
    type: 'boolean',
    env: ['CLOUDMCP_READ_ONLY'],
    description: 'Expose only tools that read (readOnlyHint).',
  },
  {
    name: 'disable-destructive',
    type: 'boolean',
    env: ['CLOUDMCP_DISABLE_DESTRUCTIVE'],
    description: 'Hide tools that delete or overwrite (destructiveHint).',
  },
  {
    name: 'toolsets',
    type: 'list',
    env: ['CLOUDMCP_TOOLSETS'],
    valueName: 'a,b',
    description:
      'Only these toolsets, up front (`all`: every one); unset: the defaults, and over stdio the model may enable the rest.',
  },
  {
    name: 'enable-tools',
    type: 'list',
    env: ['CLOUDMCP_ENABLE_TOOLS'],
    valueName: 'a,b',
    description: 'Add these tools on top of the toolsets.',
  },
  {
    name: 'disable-tools',
    type: 'list',
    env: ['CLOUDMCP_DISABLE_TOOLS'],
    valueName: 'a,b',
    description: 'Remove these tools.',
  },
  {
    name: 'confirm',
    type: 'string',
    env: ['CLOUDMCP_CONFIRM'],
    valueName: 'destructive|never',
    defaultText: 'destructive',
    description:
      'Ask the user before destructive calls (MCP elicitation); refused where the client cannot ask.',
  },
  {
    name: 'allow-model-confirm',
    type: 'boolean',
    env: ['CLOUDMCP_ALLOW_MODEL_CONFIRM'],
    description:
      "Where the client cannot ask its user, accept the model's `confirm: true` instead of refusing.",
  },
  {
    name: 'state-key',
    type: 'string',
    env: ['CLOUDMCP_STATE_KEY'],
    secret: true,
    description:
      'HMAC key (32+ characters) sealing confirmation state; give every process behind one load balancer the same.',
  },
  {
    name: 'output',
    type: 'string',
    env: ['CLOUDMCP_OUTPUT'],
    valueName: 'table|yaml|json',
    description: 'Render every result this way instead of tables for lists and YAML for objects.',
  },
  {
    name: 'max-output-tokens',
    type: 'number',
    env: ['CLOUDMCP_MAX_OUTPUT_TOKENS'],
    valueName: 'N',
    defaultText: '20000',
    description: 'Token budget of one result; longer lists are cut at a row and say how to page on.',
  },
  {
    name: 'allow-secrets',
    type: 'boolean',
    env: ['CLOUDMCP_ALLOW_SECRETS'],
    description: 'Show secret values (e.g. Kubernetes Secret data). Credentials stay redacted.',
  },
  {
    name: 'http',
    type: 'string',
    env: ['CLOUDMCP_HTTP'],
    valueName: '[host:]port',
    description:
      'Serve Streamable HTTP on /mcp (stateless) instead of stdio, with /healthz, /readyz and /metrics; host defaults to 127.0.0.1.',
  },
  {
    name: 'http-token',
    type: 'string',
    env: ['CLOUDMCP_HTTP_TOKEN'],
    secret: true,
    description:
      "Require `Authorization: Bearer <token>` on /mcp (beside --oauth-issuer: the operator's own credential); a host beyond loopback needs this or --oauth-issuer.",
  },
  {
    name: 'oauth-issuer',
    type: 'string',
    env: ['CLOUDMCP_OAUTH_ISSUER'],
    valueName: 'URL',
    description:
      'With --http, accept OAuth access tokens (JWTs) from this authorization server (https; its metadata names the keys). Needs --oauth-audience.',
  },
  {
    name: 'oauth-audience',
    type: 'string',
    env: ['CLOUDMCP_OAUTH_AUDIENCE'],
    valueName: 'URL',
    description:
      "This server's canonical URL (e.g. https://mcp.example.com/mcp): tokens must be issued for it (aud).",
  },
  {
    name: 'oauth-scope-read',
    type: 'string',
    env: ['CLOUDMCP_OAUTH_SCOPE_READ'],
    valueName: 'NAME',
    defaultText: 'mcp:read',
    description: 'The scope that lets a token use the reading tools only.',
  },
  {
    name: 'oauth-scope-write',
    type: 'string',
    env: ['CLOUDMCP_OAUTH_SCOPE_WRITE'],
    valueName: 'NAME',
    defaultText: 'mcp:write',
    description: "The scope that lets a token use every tool the server's policy allows.",
  },
  {
    name: 'oauth-jwks-url',
    type: 'string',
    env: ['CLOUDMCP_OAUTH_JWKS_URL'],
    valueName: 'URL',
    description:
      "The issuer's JWKS, only for an issuer that publishes no metadata (otherwise found through it).",
  },
  {
    name: 'http-allow-unauthenticated',
    type: 'boolean',
    env: ['CLOUDMCP_HTTP_ALLOW_UNAUTHENTICATED'],
    description:
      'Let --http listen beyond loopback without --http-token or --oauth-issuer (only behind a proxy that authenticates).',
  },
  {
    name: 'sse',
    type: 'boolean',
    env: ['CLOUDMCP_SSE'],
    description:
      'With --http, also serve the legacy HTTP+SSE transport (2024-11-05) for older clients: GET /sse, POST /message.',
  },
  {
    name: 'shutdown-timeout',
    type: 'number',
    env: ['CLOUDMCP_SHUTDOWN_TIMEOUT'],
    valueName: 'SECONDS',
    defaultText: '25',
    description:
      'On SIGTERM/SIGINT over --http, how long running calls may take to finish; new work gets 503 meanwhile.',
  },
  {
    name: 'http-max-connections',
    type: 'number',
    env: ['CLOUDMCP_HTTP_MAX_CONNECTIONS'],
    valueName: 'N',
    defaultText: '512',
    description: 'Connections open at once on --http; past it new ones are closed at once, unanswered.',
  },
  {
    name: 'allowed-hosts',
    type: 'list',
    env: ['CLOUDMCP_ALLOWED_HOSTS'],
    valueName: 'HOST,HOST',
    description:
      "Host names served besides loopback and the bound address. Unset on 0.0.0.0/::, any Host with a token, else only this machine's addresses.",
  },
  {
    name: 'allowed-origins',
    type: 'list',
    env: ['CLOUDMCP_ALLOWED_ORIGINS'],
    valueName: 'a,b',
    description: 'Browser origins allowed to call /mcp (default: loopback origins only).',
  },
  {
    name: 'log-level',
    type: 'string',
    env: ['CLOUDMCP_LOG_LEVEL'],
    valueName: 'debug|info|warn|error',
    defaultText: 'info',
    description: 'Log verbosity (stderr and MCP logging).',
  },
  {
    name: 'log-format',
    type: 'string',
    env: ['CLOUDMCP_LOG_FORMAT'],
    valueName: 'text|json',
    defaultText: 'text',
    description: 'Lines on stderr as text, or as JSON objects (over --http with request_id and caller).',
  },
  {
    name: 'config',
    type: 'string',
    env: ['CLOUDMCP_CONFIG'],
    valueName: 'FILE',
    description: 'JSON file of options (keys as flag names); flags and environment win over it.',
  },
];

export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
