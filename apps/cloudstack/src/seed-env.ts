import { withSeedListen } from '@cloudmcp/toolkit';

/**
 * The environment of the CloudStack MCP server this one replaces (walteh/cloudstack-mcp), onto our
 * options, so its users switch without reconfiguring. That server always served HTTP, on `MCP_ADDR`
 * (`:8250` by default), with the legacy HTTP+SSE transport (mcp-go's `/sse` and `/message`): `MCP_ADDR`
 * becomes `--http` and turns on `--sse`. A bare `:port` listens on loopback here (the seed listened on every
 * interface, without a token); name the host and set `--http-token` to listen beyond it. Our own
 * variables win. Returns a new environment; `env` is not changed.
 */
export function seedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return withSeedListen(env, { address: 'MCP_ADDR', sse: true });
}
