import { withSeedListen } from '@cloudmcp/toolkit';

/**
 * The environment of the OKE MCP server this one replaces, onto our options, so its users switch without
 * reconfiguring. That server was read-only unless `ALLOW_WRITE=true` and hid sensitive values unless
 * `ALLOW_SENSITIVE=true`. Here writes are offered and every destructive call asks the user first (the
 * house default): `ALLOW_WRITE` set to anything but `true` makes the server read-only (`--read-only`), and
 * `ALLOW_SENSITIVE=true` shows Secret values (`--allow-secrets`). `PORT` (with `HOST` when set) becomes
 * `--http` (loopback without `HOST`), so deployments written for `PORT`-style variables need no change;
 * the seed's own CLI served stdio only. Our own variables win when both are set. Returns a new
 * environment; `env` is not changed.
 */
export function seedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = withSeedListen(env, { host: 'HOST', port: 'PORT' });
  const allowWrite = env['ALLOW_WRITE'];
  if (allowWrite !== undefined && out['CLOUDMCP_READ_ONLY'] === undefined) {
    if (allowWrite.trim().toLowerCase() !== 'true') out['CLOUDMCP_READ_ONLY'] = 'true';
  }
  if (
    env['ALLOW_SENSITIVE']?.trim().toLowerCase() === 'true' &&
    out['CLOUDMCP_ALLOW_SECRETS'] === undefined
  ) {
    out['CLOUDMCP_ALLOW_SECRETS'] = 'true';
  }
  return out;
}
