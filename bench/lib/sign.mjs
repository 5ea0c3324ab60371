// A deliberately tiny CloudStack request signer (see /work/shared/upstream/cloudstack/SIGNING.md), written
// independently of the server's own, for the "raw upstream round trip" baseline.
import { createHmac } from 'node:crypto';

/** Java URLEncoder.encode(value, "UTF-8") with "+" → "%20": unreserved are A-Z a-z 0-9 . - _ * */
export function javaEncode(value) {
  return encodeURIComponent(value).replace(
    /[!'()~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Adds apikey, signatureversion=3, expires and signature; returns the query string. */
export function signedQuery(params, { apiKey, secretKey }, ttlMs = 5 * 60_000) {
  const all = {
    ...params,
    response: 'json',
    apikey: apiKey,
    signatureversion: '3',
    expires: new Date(Date.now() + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const names = Object.keys(all).sort();
  const pairs = names.map((n) => `${n}=${javaEncode(String(all[n]))}`);
  const signature = createHmac('sha1', secretKey).update(pairs.join('&').toLowerCase()).digest('base64');
  return `${pairs.join('&')}&signature=${encodeURIComponent(signature)}`;
}

/** One signed GET round trip; returns the parsed JSON body and the raw text. */
export async function rawCall(url, keys, params) {
  const response = await fetch(`${url}?${signedQuery(params, keys)}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`${params.command}: HTTP ${response.status}: ${text.slice(0, 200)}`);
  return { body: JSON.parse(text), text };
}
