import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ConfigError,
  helpText,
  loadServerConfig,
  type OptionSpec,
  parseListen,
  policyFrom,
  runServerCli,
} from '../src/index.js';

const options: OptionSpec[] = [
  { name: 'api-url', type: 'string', env: ['SEED_API_URL'], description: 'API URL.' },
  { name: 'timeout', type: 'number', env: ['SEED_TIMEOUT'], description: 'Timeout.' },
  { name: 'api-key', type: 'string', env: ['SEED_API_KEY'], secret: true, description: 'Key.' },
];
const spec = {
  bin: 'demo-mcp',
  version: '1.2.3',
  description: 'demo',
  optionsTitle: 'Demo options',
  options,
  configSchema: z.object({
    apiUrl: z.string().url(),
    timeout: z.number().default(30),
    apiKey: z.string().optional(),
  }),
  server: { name: 'demo', version: '1.2.3', tools: [] },
  createDeps: () => ({}),
};

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('configuration', () => {
  it('flags win over environment, environment over the config file', () => {
    const file = configFile({ 'api-url': 'https://file.example/api', timeout: 5, 'read-only': true });
    const env = { SEED_API_URL: 'https://env.example/api', SEED_TIMEOUT: '9' };
    const { config } = loadServerConfig(spec, ['--config', file, '--timeout', '12'], env);
    expect(config).toMatchObject({ apiUrl: 'https://env.example/api', timeout: 12, readOnly: true });
  });

  it('defaults the common options', () => {
    const { config } = loadServerConfig(spec, ['--api-url', 'https://x.example/api'], {});
    expect(config).toMatchObject({
      confirm: 'destructive',
      maxOutputTokens: 20000,
      readOnly: false,
      logLevel: 'info',
    });
    expect(policyFrom(config!)).toEqual({
      readOnly: false,
      disableDestructive: false,
      confirm: 'destructive',
      allowModelConfirm: false,
    });
  });

  it('reads lists, booleans and --http from the environment', () => {
    const env = {
      SEED_API_URL: 'https://x.example/api',
      CLOUDMCP_TOOLSETS: 'vm, storage',
      CLOUDMCP_READ_ONLY: 'yes',
      CLOUDMCP_HTTP: '9000',
    };
    const { config } = loadServerConfig(spec, [], env);
    expect(config).toMatchObject({
      toolsets: ['vm', 'storage'],
      readOnly: true,
      http: { host: '127.0.0.1', port: 9000 },
    });
  });

  it.each([
    [['--api-url', 'not a url'], /^--api-url \(SEED_API_URL\): /],
    [['--api-url', 'https://x/api', '--timeout', 'soon'], /^--timeout: expected a number, got "soon"$/],
    [['--api-url', 'https://x/api', '--confirm', 'always'], /^--confirm \(CLOUDMCP_CONFIRM\): /],
    [
      ['--api-url', 'https://x/api', '--http', 'everywhere'],
      /^--http \(CLOUDMCP_HTTP\): expected \[host:\]port/,
    ],
    [
      ['--api-url', 'https://x/api', '--http-token', 'short'],
      /^--http-token \(CLOUDMCP_HTTP_TOKEN\): use at least 16/,
    ],
    [['--nope'], /Unknown option '--nope' \(see --help\)/],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(() => loadServerConfig(spec, argv, {})).toThrow(ConfigError);
    expect(() => loadServerConfig(spec, argv, {})).toThrow(message);
  });

  it('rejects unknown keys and bad JSON in the config file', () => {
    expect(() => loadServerConfig(spec, ['--config', configFile({ colour: 'blue' })], {})).toThrow(
      /unknown option "colour"/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'bad.json'), '{nope');
    expect(() => loadServerConfig(spec, ['--config', join(dir, 'bad.json')], {})).toThrow(
      /config file .*bad\.json/,
    );
  });

  it('parses listen addresses', () => {
    expect(parseListen('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseListen('[::1]:7')).toEqual({ host: '::1', port: 7 });
    expect(() => parseListen('70000')).toThrow();
  });

  it('help lists every option with its environment variable', () => {
    const help = helpText({ ...spec, tools: [] });
    expect(help).toContain('--api-url STRING');
    expect(help).toContain('env SEED_API_URL');
    expect(help).toMatch(/--api-key STRING\s+Key\. \[env SEED_API_KEY; prefer the env: flags show in ps\]/);
    expect(help).toContain('--max-output-tokens N');
    expect(help).toContain('env CLOUDMCP_HTTP_TOKEN');
  });

  it('takes the HTTP service options: --sse, --log-format, --shutdown-timeout', () => {
    const env = { CLOUDMCP_SSE: 'true', CLOUDMCP_LOG_FORMAT: 'json', CLOUDMCP_SHUTDOWN_TIMEOUT: '5' };
    const { config } = loadServerConfig(spec, ['--api-url', 'https://x/api', '--http', '9000'], env);
    expect(config).toMatchObject({ sse: true, logFormat: 'json', shutdownTimeout: 5 });
    const defaults = loadServerConfig(spec, ['--api-url', 'https://x/api'], {}).config;
    expect(defaults).toMatchObject({ sse: false, logFormat: 'text', shutdownTimeout: 25 });
    expect(() => loadServerConfig(spec, ['--api-url', 'https://x/api', '--log-format', 'xml'], {})).toThrow(
      /^--log-format \(CLOUDMCP_LOG_FORMAT\): /,
    );
    const help = helpText({ ...spec, tools: [] });
    expect(help).toMatch(
      /--sse\s+With --http, also serve the legacy HTTP\+SSE transport .* \[env CLOUDMCP_SSE\]/,
    );
    expect(help).toMatch(/--log-format text\|json\s+.* \[default text; env CLOUDMCP_LOG_FORMAT\]/);
    expect(help).toMatch(/--shutdown-timeout SECONDS\s+.* \[default 25; env CLOUDMCP_SHUTDOWN_TIMEOUT\]/);
  });

  it('refuses --sse without --http, in one line', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runServerCli(spec, ['--api-url', 'https://x/api', '--sse'], {});
      expect(stderr.mock.calls).toEqual([
        ['demo-mcp: --sse (CLOUDMCP_SSE) serves the legacy transport over HTTP: add --http\n'],
      ]);
      expect(process.exitCode).toBe(2);
    } finally {
      stderr.mockRestore();
      process.exitCode = 0;
    }
  });
});
