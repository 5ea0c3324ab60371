import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Keyring, type Principal } from './keyring.js';
import {
  MAX_SKEW_MS,
  parseHttpDate,
  parseSignatureHeader,
  signingString,
  verifyRsaSha256,
} from './signature.js';
import type { AuthKind } from './types.js';

export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent: what `(request-target)` covers. */
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; auth: AuthKind; reason: string };

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const BODY_HEADERS = ['content-type', 'content-length', 'x-content-sha256'];

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Which signed headers OCI insists on for this method; the first one missing, or undefined. */
function missingRequired(method: string, signed: string[]): string | undefined {
  const required = ['(request-target)', 'host'];
  if (BODY_METHODS.has(method)) required.push(...BODY_HEADERS);
  const absent = required.find((h) => !signed.includes(h));
  if (absent) return absent;
  return signed.includes('date') || signed.includes('x-date') ? undefined : 'date';
}

/**
 * OCI request-signature verification (Signature version 1): the Authorization header's parameters, the
 * headers OCI requires signed, the signed date within 5 minutes, the body against x-content-sha256 and
 * content-length, then the RSA-SHA256 signature with the key the keyId names.
 */
export function authenticate(keyring: Keyring, req: SignedRequest): AuthOutcome {
  const authorization = header(req.headers, 'authorization');
  if (!authorization) return { ok: false, auth: 'none', reason: 'no Authorization header' };
  const params = parseSignatureHeader(authorization);
  if (typeof params === 'string') return { ok: false, auth: 'none', reason: params };
  const auth = Keyring.kindOf(params.keyId);
  const fail = (reason: string): AuthOutcome => ({ ok: false, auth, reason });

  const absent = missingRequired(req.method, params.headers);
  if (absent) return fail(`${absent} is not signed`);
  const signed = signingString(params.headers, (name) =>
    name === '(request-target)' ? `${req.method.toLowerCase()} ${req.rawUrl}` : header(req.headers, name),
  );
  if ('missing' in signed) return fail(`signed header ${signed.missing} is missing`);

  const dateName = params.headers.includes('x-date') ? 'x-date' : 'date';
  const date = parseHttpDate(header(req.headers, dateName)!);
  if (date === undefined) return fail(`${dateName} is not an HTTP date`);
  if (Math.abs(Date.now() - date) > MAX_SKEW_MS) return fail(`${dateName} is more than 5 minutes off`);

  if (params.headers.includes('x-content-sha256')) {
    const sha = createHash('sha256').update(req.body).digest('base64');
    if (header(req.headers, 'x-content-sha256') !== sha)
      return fail('x-content-sha256 does not match the body');
  }
  if (
    params.headers.includes('content-length') &&
    header(req.headers, 'content-length') !== String(req.body.length)
  ) {
    return fail('content-length does not match the body');
  }

  const key = keyring.resolve(params.keyId);
  if (typeof key === 'string') return fail(key);
  if (!verifyRsaSha256(key.publicKey, signed.text, params.signature))
    return fail('signature does not verify');
  return { ok: true, principal: key.principal };
}
