import { fstatSync } from 'node:fs';

/** Where a seed server we replace read its listen address from (see `withSeedListen`). */
export interface SeedListenVariables {
  /** One variable holding `host:port` (Go style: `:8250`, which there means every interface). */
  address?: string;
  /** Two variables, the host (optional) and the port (uvicorn style); nothing happens without the port. */
  host?: string;
  port?: string;
  /** Also serve the legacy SSE transport (`CLOUDMCP_SSE`): the seed spoke nothing else. */
  sse?: boolean;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * Whether an MCP client holds our standard input: a pipe or a socket is what every stdio client gives its
 * server; a service under a container runtime or systemd gets /dev/null (or a terminal when run by hand).
 */
export function stdinIsClientPipe(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/**
 * A seed server's listen variables onto ours, so its users switch without reconfiguring: the address
 * becomes `CLOUDMCP_HTTP` (serving HTTP), and with `sse` the old transport is served too. Our own
 * variables win (and flags win over both). A bare port, `:8250` included, binds to loopback as `--http
 * 8250` does: a server that listened on every interface without a token is not repeated; name the host
 * (`0.0.0.0:8250`) and set a token to listen beyond loopback. `PORT`-style variables are generic names a
 * shell may export for anything else: they are ignored while an MCP client holds our standard input
 * (`stdioClient`, a pipe or a socket), so a client that starts the server over stdio is never left waiting
 * on a server that went off to serve HTTP. Returns a new environment.
 */
export function withSeedListen(
  env: NodeJS.ProcessEnv,
  seed: SeedListenVariables,
  stdioClient: () => boolean = stdinIsClientPipe,
): NodeJS.ProcessEnv {
  if (present(env['CLOUDMCP_HTTP'])) return { ...env };
  const address = seed.address ? env[seed.address] : undefined;
  const port = seed.port && !stdioClient() ? env[seed.port] : undefined;
  let listen: string | undefined;
  if (present(address)) listen = address.trim().replace(/^:/, '');
  else if (present(port)) {
    const host = seed.host ? env[seed.host]?.trim() : undefined;
    // a bare IPv6 address needs its brackets before `:port`
    const bracketed = host?.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    listen = bracketed ? `${bracketed}:${port.trim()}` : port.trim();
  }
  if (listen === undefined) return { ...env };
  const out: NodeJS.ProcessEnv = { ...env, CLOUDMCP_HTTP: listen };
  if (seed.sse && !present(env['CLOUDMCP_SSE'])) out['CLOUDMCP_SSE'] = 'true';
  return out;
}
