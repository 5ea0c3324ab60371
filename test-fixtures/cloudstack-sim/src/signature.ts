import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Java `URLEncoder.encode(value, "UTF-8")` followed by `replaceAll("\\+", "%20")`, as ApiServer.verifyRequest
 * does: only A-Z a-z 0-9 . - _ * stay literal; encodeURIComponent additionally keeps ! ' ( ) ~.
 */
export function javaUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The lower-cased string ApiServer signs: every parameter except `signature`, names in code-unit order. */
export function stringToSign(params: Map<string, string>): string {
  const names = [...params.keys()].filter((n) => n.toLowerCase() !== 'signature').sort();
  return names
    .map((n) => `${n}=${javaUrlEncode(params.get(n)!)}`)
    .join('&')
    .toLowerCase();
}

export function computeSignature(params: Map<string, string>, secretKey: string): string {
  return createHmac('sha1', secretKey).update(stringToSign(params)).digest('base64');
}

export function signaturesEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// DateUtil.parseTZDateString accepts `yyyy-MM-dd'T'HH:mm:ssZ` (+0530) and `yyyy-MM-dd'T'HH:mm:ss'Z'`.
const EXPIRES = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch milliseconds of an `expires` value, or undefined when CloudStack could not parse it. */
export function parseExpires(value: string): number | undefined {
  const m = EXPIRES.exec(value);
  if (!m) return undefined;
  const zone = m[7] === 'Z' ? 'Z' : `${m[7]!.slice(0, 3)}:${m[7]!.slice(-2)}`;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}
