/** Keys whose values are secrets: passwords, tokens, keys. Ids (`token_id`) are not. */
const SECRET_KEY =
  /pass(word)?|secret|token|jwt|authorization|api[-_]?key|access[-_]?key|private[-_]?key|credential|kubeconfig/i;
const ID_KEY = /(^|_)ids?$|Id$/;
/** Secrets recognisable by shape wherever they appear: JWTs and cldkctl tokens. */
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const CLDK = /\bcldk(?:ctl)?_[A-Za-z0-9_-]+/g;

export const MASK = '***';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !ID_KEY.test(key);
}

export function redactText(text: string): string {
  return text.replace(JWT, MASK).replace(CLDK, MASK);
}

/**
 * A copy of a request body fit for the log: values under secret-looking keys, Secret data and anything shaped
 * like a JWT or a cldkctl token become '***'. Secret data is `stringData` anywhere, and `data` of an object
 * whose kind is Secret or, with `secretRoute` (a request to the secrets resource), of any object.
 */
export function redact(value: unknown, key = '', secretRoute = false): unknown {
  if (typeof value === 'string') return isSecretKey(key) ? MASK : redactText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return isSecretKey(key) ? MASK : value;
  if (Array.isArray(value)) return value.map((v) => redact(v, key, secretRoute));
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    const secretData = secretRoute || obj.kind === 'Secret';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const masked = k === 'stringData' || (k === 'data' && secretData);
      out[k] =
        masked && typeof v === 'object' && v !== null
          ? Object.fromEntries(Object.keys(v).map((name) => [name, MASK]))
          : redact(v, k, secretRoute);
    }
    return out;
  }
  return value;
}

export function redactRecord(record: Record<string, string>): Record<string, string> {
  return redact(record) as Record<string, string>;
}

/** The decoded path with secret path parameters (a console token) masked. */
export function redactPath(path: string, params: Record<string, string>): string {
  let out = path;
  for (const [key, value] of Object.entries(params))
    if (isSecretKey(key) && value) out = out.split(value).join(MASK);
  return redactText(out);
}
