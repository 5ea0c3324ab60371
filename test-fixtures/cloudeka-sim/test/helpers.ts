import type { CloudekaSim } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
export type Json = any;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

export interface CallOptions {
  jwt?: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Sent as is (a malformed JSON body). */
  raw?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export async function call(
  sim: CloudekaSim,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Reply> {
  const qs = opts.query ? `?${new URLSearchParams(opts.query)}` : '';
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.jwt) headers.authorization = `Bearer ${opts.jwt}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}${qs}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** POST /core/cldkctl/auth as a client does; the whole reply. */
export function exchange(
  sim: CloudekaSim,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<Reply> {
  return call(sim, 'POST', '/core/cldkctl/auth', { body: { token, ...extra } });
}

/** A JWT for one of the seeded tokens. */
export async function jwtFor(sim: CloudekaSim, who: 'owner' | 'member' | 'superadmin'): Promise<string> {
  const r = await exchange(sim, sim.tokens[who]);
  if (r.status !== 200) throw new Error(`exchange for ${who} → ${r.status} ${r.text}`);
  return r.body.data.token;
}

/** `data` of a successful call, failing loudly otherwise. */
export async function ok(
  sim: CloudekaSim,
  jwt: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Json> {
  const r = await call(sim, method, path, { ...opts, jwt });
  if (r.status !== 200) throw new Error(`${method} ${path} → ${r.status} ${r.text}`);
  return r.body.data;
}

export function decodeJwt(jwt: string): { header: Json; payload: Json } {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')),
  };
}

/**
 * Calls a route the way the seed mcp-cldkctl does: `:name` segments filled from the arguments (which stay in
 * the arguments), then every argument as the query for GET/DELETE or as the JSON body otherwise.
 */
export function seedCall(
  sim: CloudekaSim,
  jwt: string | undefined,
  method: string,
  template: string,
  args: Record<string, unknown>,
): Promise<Reply> {
  const path = template
    .split('/')
    .map((seg) =>
      seg.startsWith(':') && seg.slice(1) in args ? encodeURIComponent(String(args[seg.slice(1)])) : seg,
    )
    .join('/');
  if (method === 'GET' || method === 'DELETE') {
    const query = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)]));
    return call(sim, method, path, { ...(jwt ? { jwt } : {}), query });
  }
  return call(sim, method, path, { ...(jwt ? { jwt } : {}), body: args });
}
