import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadServerConfig, withSeedListen } from '../src/index.js';

// The seeds' listen variables onto ours (each app's seed-env.ts names its seed's).

const uvicorn = { host: 'HOST', port: 'PORT' };
/** As under a container runtime or systemd: standard input is not a client's pipe. */
const service = () => false;
const goAddr = { address: 'MCP_ADDR', sse: true };

describe('withSeedListen', () => {
  it('a Go-style host:port, `:port` on loopback, and the old transport with it', () => {
    expect(withSeedListen({ MCP_ADDR: ':8250' }, goAddr)).toMatchObject({
      CLOUDMCP_HTTP: '8250',
      CLOUDMCP_SSE: 'true',
    });
    expect(withSeedListen({ MCP_ADDR: '0.0.0.0:8250' }, goAddr)['CLOUDMCP_HTTP']).toBe('0.0.0.0:8250');
    expect(withSeedListen({ MCP_ADDR: ':8250', CLOUDMCP_SSE: 'false' }, goAddr)['CLOUDMCP_SSE']).toBe(
      'false',
    );
  });

  it('HOST and PORT apart; nothing without the port', () => {
    expect(withSeedListen({ PORT: '9096' }, uvicorn, service)['CLOUDMCP_HTTP']).toBe('9096');
    expect(withSeedListen({ PORT: '9096', HOST: '0.0.0.0' }, uvicorn, service)['CLOUDMCP_HTTP']).toBe(
      '0.0.0.0:9096',
    );
    expect(withSeedListen({ PORT: '9096', HOST: '::1' }, uvicorn, service)['CLOUDMCP_HTTP']).toBe(
      '[::1]:9096',
    );
    expect(withSeedListen({ HOST: 'box' }, uvicorn, service)).toEqual({ HOST: 'box' });
    expect(withSeedListen({ PORT: '9096' }, uvicorn, service)['CLOUDMCP_SSE']).toBeUndefined();
  });

  it('PORT is ignored while an MCP client holds standard input (a stdio start), MCP_ADDR is not', () => {
    const client = () => true;
    expect(
      withSeedListen({ PORT: '9096', HOST: '0.0.0.0' }, uvicorn, client)['CLOUDMCP_HTTP'],
    ).toBeUndefined();
    expect(withSeedListen({ MCP_ADDR: ':8250' }, goAddr, client)['CLOUDMCP_HTTP']).toBe('8250');
  });

  it('our own variable wins, and the flag wins over both', () => {
    const env = withSeedListen({ PORT: '9096', CLOUDMCP_HTTP: '7000' }, uvicorn, service);
    expect(env['CLOUDMCP_HTTP']).toBe('7000');
    const spec = {
      bin: 'x',
      version: '1',
      description: 'x',
      optionsTitle: 'x',
      options: [],
      configSchema: z.object({}),
      server: { name: 'x', version: '1', tools: [] },
      createDeps: () => ({}),
    };
    const seeded = withSeedListen({ PORT: '9096' }, uvicorn, service);
    expect(loadServerConfig(spec, [], seeded).config?.http).toEqual({ host: '127.0.0.1', port: 9096 });
    expect(loadServerConfig(spec, ['--http', '7001'], seeded).config?.http).toEqual({
      host: '127.0.0.1',
      port: 7001,
    });
  });

  it('returns a new environment, mapped or not', () => {
    for (const env of [{ PORT: '9096' }, { OTHER: '1' }, { PORT: '1', CLOUDMCP_HTTP: '2' }]) {
      const before = { ...env };
      const out = withSeedListen(env, uvicorn, service);
      expect(out).not.toBe(env);
      expect(env).toEqual(before);
    }
  });
});
