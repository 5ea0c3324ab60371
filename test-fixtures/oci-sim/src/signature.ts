import { type KeyObject, verify } from 'node:crypto';

/** The parameters of an `Authorization: Signature …` header (OCI Signature version 1, draft-cavage-08). */
export interface SignatureParams {
  keyId: string;
  /** Lower-cased names in the order they were signed. */
  headers: string[];
  signature: Buffer;
}

const PARAM = /\s*([A-Za-z]+)="([^"]*)"\s*(?:,|$)/y;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KNOWN = new Set(['version', 'keyId', 'algorithm', 'headers', 'signature']);

/**
 * Parses `Signature version="1",keyId="…",algorithm="rsa-sha256",headers="…",signature="…"` as a key=value
 * list in any order (the TS SDK puts `version` first, Python and Go differ). Returns a reason on failure.
 */
export function parseSignatureHeader(value: string): SignatureParams | string {
  const m = /^Signature\s+/i.exec(value);
  if (!m) return 'authorization scheme is not Signature';
  const params = new Map<string, string>();
  PARAM.lastIndex = m[0].length;
  while (PARAM.lastIndex < value.length) {
    const start = PARAM.lastIndex;
    const p = PARAM.exec(value);
    if (!p || p.index !== start) return 'malformed signature parameters';
    if (!KNOWN.has(p[1]!)) return `unknown signature parameter ${p[1]}`;
    if (params.has(p[1]!)) return `duplicate signature parameter ${p[1]}`;
    params.set(p[1]!, p[2]!);
  }
  const version = params.get('version');
  if (version !== undefined && version !== '1') return `unsupported signature version ${version}`;
  if (params.get('algorithm') !== 'rsa-sha256') return 'algorithm must be rsa-sha256';
  const keyId = params.get('keyId');
  if (!keyId) return 'keyId missing';
  const signature = params.get('signature');
  if (!signature || !BASE64.test(signature)) return 'signature missing or not base64';
  // draft-cavage: without a headers parameter only `date` is signed.
  const headers = (params.get('headers') ?? 'date').toLowerCase().split(' ').filter(Boolean);
  if (new Set(headers).size !== headers.length) return 'a signed header is listed twice';
  return { keyId, headers, signature: Buffer.from(signature, 'base64') };
}

/**
 * The signing string: one `name: value` line per signed header, in the signed order, joined by `\n`.
 * `value(name)` is undefined for a header the request lacks; then the name of the first one missing is returned.
 */
export function signingString(
  headers: string[],
  value: (name: string) => string | undefined,
): { text: string } | { missing: string } {
  const lines: string[] = [];
  for (const name of headers) {
    const v = value(name);
    if (v === undefined) return { missing: name };
    lines.push(`${name}: ${v}`);
  }
  return { text: lines.join('\n') };
}

export function verifyRsaSha256(publicKey: KeyObject, text: string, signature: Buffer): boolean {
  return verify('sha256', Buffer.from(text, 'utf8'), publicKey, signature);
}

/** Clock skew OCI tolerates between the signed date and its own clock. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

/** Epoch ms of an HTTP date (RFC 7231 IMF-fixdate, as the SDKs send it), or undefined. */
export function parseHttpDate(value: string): number | undefined {
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
