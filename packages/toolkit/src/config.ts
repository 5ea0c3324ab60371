import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from './logger.js';
import { COMMON_OPTIONS, camelCase, type OptionSpec } from './options.js';

/** A configuration problem: the CLI prints its message as one line and exits non-zero. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface HttpListen {
  host: string;
  port: number;
}

/** Parses `--http [host:]port`; a bare port binds to loopback. */
export function parseListen(value: string): HttpListen {
  const match = /^(?:(\[[0-9a-fA-F:]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[2]) : Number.NaN;
  if (!match || port > 65535) throw new Error('expected [host:]port, e.g. 8080 or 127.0.0.1:8080');
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1'), port };
}

const list = z.array(z.string().min(1));

/** The validated common options; every server's config extends it. */
export const commonConfigSchema = z.object({
  readOnly: z.boolean().default(false),
  disableDestructive: z.boolean().default(false),
  toolsets: list.optional(),
  enableTools: list.optional(),
  disableTools: list.optional(),
  confirm: z.enum(['destructive', 'never']).default('destructive'),
  allowModelConfirm: z.boolean().default(false),
  stateKey: z.string().min(32, 'use at least 32 characters').optional(),
  output: z.enum(['table', 'yaml', 'json']).optional(),
  maxOutputTokens: z.number().int().min(500).max(1_000_000).default(20_000),
  allowSecrets: z.boolean().default(false),
  http: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      try {
        return parseListen(v);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  httpToken: z.string().min(16, 'use at least 16 characters').optional(),
  httpAllowUnauthenticated: z.boolean().default(false),
  oauthIssuer: z.string().optional(),
  oauthAudience: z.string().optional(),
  oauthScopeRead: z.string().optional(),
  oauthScopeWrite: z.string().optional(),
  oauthJwksUrl: z.string().optional(),
  sse: z.boolean().default(false),
  shutdownTimeout: z.number().min(0).max(3600).default(25),
  httpMaxConnections: z.number().int().min(1).max(65_535).default(512),
  allowedHosts: list.optional(),
  allowedOrigins: list.optional(),
  logLevel: z.enum(LOG_LEVELS as [string, ...string[]]).default('info'),
  logFormat: z.enum(LOG_FORMATS as [string, ...string[]]).default('text'),
  config: z.string().optional(),
});
export type CommonConfig = z.output<typeof commonConfigSchema>;

type Raw = Record<string, unknown>;

function coerce(spec: OptionSpec, value: unknown, source: string): unknown {
  const where = source === '--' ? `--${spec.name}` : `${source} ${spec.name}`;
  switch (spec.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (/^(1|true|yes|on)$/i.test(String(value))) return true;
      if (/^(0|false|no|off|)$/i.test(String(value))) return false;
      throw new ConfigError(`${where}: expected true or false, got "${value}"`);
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (String(value).trim() === '' || !Number.isFinite(n)) {
        throw new ConfigError(`${where}: expected a number, got "${value}"`);
      }
      return n;
    }
    case 'list':
      if (Array.isArray(value)) return value.map(String);
      return String(value)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      if (typeof value !== 'string') throw new ConfigError(`${where}: expected a string`);
      return value;
  }
}

function readConfigFile(path: string, specs: OptionSpec[]): Raw {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path}: expected a JSON object`);
  }
  const byKey = new Map<string, OptionSpec>();
  for (const spec of specs) {
    byKey.set(spec.name, spec);
    byKey.set(camelCase(spec.name), spec);
  }
  const out: Raw = {};
  for (const [key, value] of Object.entries(parsed)) {
    const spec = byKey.get(key);
    if (!spec || spec.name === 'config')
      throw new ConfigError(`config file ${path}: unknown option "${key}"`);
    out[camelCase(spec.name)] = coerce(spec, value, `config file ${path}:`);
  }
  return out;
}

export interface LoadedArgs {
  raw: Raw;
  help: boolean;
  version: boolean;
  listTools: boolean;
}

/** Reads flags, then environment, then the config file; the first that sets an option wins. */
export function readRawConfig(argv: string[], env: NodeJS.ProcessEnv, appOptions: OptionSpec[]): LoadedArgs {
  const specs = [...appOptions, ...COMMON_OPTIONS];
  const parseOptions: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    help: { type: 'boolean' },
    version: { type: 'boolean' },
    'list-tools': { type: 'boolean' },
  };
  for (const spec of specs) {
    parseOptions[spec.name] = { type: spec.type === 'boolean' ? 'boolean' : 'string' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: parseOptions, strict: true, allowPositionals: false });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.split('\n')[0]} (see --help)`);
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  const raw: Raw = {};
  const fileSpec = COMMON_OPTIONS.find((s) => s.name === 'config')!;
  const configPath = (flags['config'] as string | undefined) ?? firstEnv(fileSpec, env);
  const fromFile = configPath ? readConfigFile(configPath, specs) : {};
  for (const spec of specs) {
    const key = camelCase(spec.name);
    const flag = flags[spec.name];
    const envValue = firstEnv(spec, env);
    if (flag !== undefined) raw[key] = coerce(spec, flag, '--');
    else if (envValue !== undefined)
      raw[key] = coerce(spec, envValue, `environment ${spec.env?.join('/')} for`);
    else if (key in fromFile) raw[key] = fromFile[key];
  }
  return {
    raw,
    help: flags['help'] === true,
    version: flags['version'] === true,
    listTools: flags['list-tools'] === true,
  };
}

function firstEnv(spec: OptionSpec, env: NodeJS.ProcessEnv): string | undefined {
  for (const name of spec.env ?? []) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Validates raw values with a zod schema; the first problem becomes one line naming the option. */
export function validateConfig<S extends z.ZodType>(schema: S, raw: Raw, specs: OptionSpec[]): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const spec = [...specs, ...COMMON_OPTIONS].find((s) => camelCase(s.name) === key);
  const name = spec
    ? `--${spec.name}${spec.env?.length ? ` (${spec.env.join(' or ')})` : ''}`
    : key || 'config';
  throw new ConfigError(`${name}: ${issue.message}`);
}
