import { createHmac } from 'node:crypto';
import type { CloudStackSim } from '../src/index.js';

/**
 * The test's own CloudStack signer, written from SIGNING.md byte by byte (independent of the simulator):
 * unreserved = A-Z a-z 0-9 . - _ *, space = %20, everything else %XX of the UTF-8 bytes, upper-case hex.
 */
export function encodeValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-_*]/.test(ch)) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function signParams(params: Record<string, string>, secretKey: string): string {
  const plain = Object.keys(params)
    .filter((n) => n.toLowerCase() !== 'signature')
    .sort()
    .map((n) => `${n}=${encodeValue(params[n]!)}`)
    .join('&')
    .toLowerCase();
  return createHmac('sha1', secretKey).update(plain).digest('base64');
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
export type Json = any;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** A raw request: params as given, GET query or POST form. */
export async function raw(
  sim: CloudStackSim,
  params: Record<string, string>,
  opts: { method?: 'GET' | 'POST'; cookie?: string; signal?: AbortSignal } = {},
): Promise<Reply> {
  const headers: Record<string, string> = opts.cookie ? { cookie: opts.cookie } : {};
  const qs = new URLSearchParams(params).toString();
  const res =
    opts.method === 'POST'
      ? await fetch(sim.url, {
          method: 'POST',
          body: qs,
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          ...(opts.signal ? { signal: opts.signal } : {}),
        })
      : await fetch(`${sim.url}?${qs}`, { headers, ...(opts.signal ? { signal: opts.signal } : {}) });
  return reply(res);
}

export interface Keys {
  apiKey: string;
  secretKey: string;
}

/** A signed call as `who` (admin or alice) or with explicit keys, asking for JSON. */
export async function call(
  sim: CloudStackSim,
  params: Record<string, string>,
  opts: { who?: 'admin' | 'user'; keys?: Keys; method?: 'GET' | 'POST' } = {},
): Promise<Reply> {
  return signed(sim, { ...params, response: 'json' }, opts);
}

/** A signed call with exactly these parameters: no `response` unless given, as a careless client sends it. */
export async function signed(
  sim: CloudStackSim,
  params: Record<string, string>,
  opts: { who?: 'admin' | 'user'; keys?: Keys; method?: 'GET' | 'POST' } = {},
): Promise<Reply> {
  const keys = opts.keys ?? sim.credentials[opts.who ?? 'admin'];
  const p = { ...params, apiKey: keys.apiKey };
  return raw(sim, { ...p, signature: signParams(p, keys.secretKey) }, { method: opts.method ?? 'GET' });
}

/** The inner object of a successful response, failing loudly otherwise. */
export async function ok(
  sim: CloudStackSim,
  params: Record<string, string>,
  opts: Parameters<typeof call>[2] = {},
): Promise<Json> {
  const r = await call(sim, params, opts);
  const key = `${params.command!.toLowerCase()}response`;
  if (r.status !== 200) throw new Error(`${params.command} → ${r.status} ${r.text}`);
  return r.body[key];
}

/** Polls queryAsyncJobResult until the job is no longer pending; returns every answer seen. */
export async function pollJob(
  sim: CloudStackSim,
  jobid: string,
  who: 'admin' | 'user' = 'admin',
): Promise<Json[]> {
  const seen = [];
  for (let i = 0; i < 20; i++) {
    const r = await ok(sim, { command: 'queryAsyncJobResult', jobid }, { who });
    seen.push(r);
    if (r.jobstatus !== 0) return seen;
  }
  throw new Error(`job ${jobid} still pending after 20 polls`);
}

/** Runs an async command to completion and returns its final queryAsyncJobResult answer. */
export async function runJob(
  sim: CloudStackSim,
  params: Record<string, string>,
  who: 'admin' | 'user' = 'admin',
): Promise<Json> {
  const started = await ok(sim, params, { who });
  return (await pollJob(sim, started.jobid, who)).at(-1);
}

export async function login(
  sim: CloudStackSim,
  user: { username: string; password: string },
): Promise<{ jsessionid: string; sessionkey: string; reply: Reply }> {
  const r = await raw(
    sim,
    { command: 'login', username: user.username, password: user.password, domain: '/', response: 'json' },
    { method: 'POST' },
  );
  const cookies = r.headers.getSetCookie();
  const jsessionid = /JSESSIONID=([^;]+)/.exec(cookies.join('\n'))?.[1] ?? '';
  return { jsessionid, sessionkey: r.body?.loginresponse?.sessionkey ?? '', reply: r };
}

/** Looks an entity up by name through the API, as a client would. */
export async function idOf(
  sim: CloudStackSim,
  command: string,
  key: string,
  name: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const r = await ok(sim, { command, listall: 'true', ...extra });
  const found = (r[key] ?? []).find((e: Json) => e.name === name);
  if (!found) throw new Error(`${command}: no ${name}`);
  return found.id;
}
