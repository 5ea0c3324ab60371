import { withSeedListen } from '@cloudmcp/toolkit';

/**
 * The environment of the K8s MCP Server (fastapi-mcp) this one replaces, onto our options, so its users
 * switch without reconfiguring. That server listened on `HOST`:`PORT` (0.0.0.0:9096 by default, read by its
 * uvicorn start): `PORT` (with `HOST` when set) becomes `--http`. Without `HOST` it listens on loopback
 * (the seed listened on every interface, without a token); set `HOST=0.0.0.0` and `--http-token` to listen
 * beyond it. Our own variables win. Returns a new environment; `env` is not changed.
 */
export function seedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return withSeedListen(env, { host: 'HOST', port: 'PORT' });
}
