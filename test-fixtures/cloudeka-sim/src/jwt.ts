import { createHmac, timingSafeEqual } from 'node:crypto';

export interface JwtClaims {
  sub: string;
  user_id: string;
  name: string;
  email: string;
  role: string;
  organization_id: string | null;
  iss: string;
  iat: number;
  exp: number;
  jti: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function mac(input: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(input).digest();
}

/** A real HS256 JWT. */
export function signJwt(claims: JwtClaims, secret: Buffer): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${mac(input, secret).toString('base64url')}`;
}

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; message: string };

function parsePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies like golang-jwt v4 with an HS256 key, using its messages: segments, encoding, signing method,
 * signature, then expiry. `expired(jti)` reports tokens invalidated by expireAllJwts.
 */
export function verifyJwt(
  token: string,
  secret: Buffer,
  nowSec: number,
  expired: (jti: string) => boolean,
): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, message: 'token contains an invalid number of segments' };
  const header = parsePart(parts[0]!);
  const payload = parsePart(parts[1]!);
  if (!header || !payload || !/^[A-Za-z0-9_-]*$/.test(parts[2]!))
    return { ok: false, message: 'token is malformed' };
  if (header.alg !== 'HS256')
    return { ok: false, message: `unexpected signing method: ${String(header.alg)}` };
  const expected = mac(`${parts[0]}.${parts[1]}`, secret);
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, message: 'signature is invalid' };
  }
  const claims = payload as unknown as JwtClaims;
  if (typeof claims.exp !== 'number' || nowSec >= claims.exp || expired(String(claims.jti))) {
    return { ok: false, message: 'Token is expired' };
  }
  return { ok: true, claims };
}
