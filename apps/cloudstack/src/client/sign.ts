import { createHmac } from 'node:crypto';

/**
 * Encodes a value the way Java's `URLEncoder.encode(value, "UTF-8")` does, then `+` → `%20`, which is
 * what CloudStack's ApiServer re-computes: unreserved are A-Z a-z 0-9 . - _ * (so `*` stays, `~` does not).
 */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The string CloudStack signs: names sorted, values encoded, joined with `&`, all lower-cased. */
export function stringToSign(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== 'signature')
    .sort()
    .map((name) => `${name}=${javaUrlEncode(params[name]!)}`)
    .join('&')
    .toLowerCase();
}

/** HMAC-SHA1 of the string to sign with the secret key, standard base64. */
export function signParams(params: Record<string, string>, secretKey: string): string {
  return createHmac('sha1', secretKey).update(stringToSign(params)).digest('base64');
}

/** `expires` for signatureversion 3: ISO-8601 UTC without milliseconds, as cloudstack-go sends it. */
export function expiresAt(now: number, ttlMs: number): string {
  return new Date(now + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Adds apiKey, signatureversion 3, expires and the signature to a request's parameters. */
export function signedParams(
  params: Record<string, string>,
  keys: { apiKey: string; secretKey: string },
  now: number,
  ttlMs: number,
): Record<string, string> {
  const all = { ...params, apikey: keys.apiKey, signatureversion: '3', expires: expiresAt(now, ttlMs) };
  return { ...all, signature: signParams(all, keys.secretKey) };
}

/** A form/query string whose values the server decodes back to exactly what was signed. */
export function encodeForm(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${encodeURIComponent(name)}=${javaUrlEncode(value)}`)
    .join('&');
}
