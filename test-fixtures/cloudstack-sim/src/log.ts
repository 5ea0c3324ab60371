import type { Sessions } from './session.js';
import type { LogEntry } from './types.js';

const SECRET = new Set(['signature', 'password', 'sessionkey', 'secretkey', 'apikey']);

export function redact(params: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) out[name] = SECRET.has(name.toLowerCase()) ? '***' : value;
  return out;
}

/** How a request authenticates: a live session cookie wins over signature parameters, as in the servlet. */
export function authKind(
  sessions: Sessions,
  params: Map<string, string>,
  cookies: Map<string, string>,
): LogEntry['auth'] {
  if (sessions.find(cookies.get('JSESSIONID'))) return 'session';
  for (const name of params.keys()) {
    const lower = name.toLowerCase();
    if (lower === 'signature' || lower === 'apikey') return 'signature';
  }
  return 'none';
}
