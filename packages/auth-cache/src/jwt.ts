const SEGMENT = /^[A-Za-z0-9_-]+$/;
const SIGNATURE = /^[A-Za-z0-9_-]*$/;
/** The largest epoch-ms value a Date can hold. */
const MAX_TIME = 8.64e15;

function decodeObject(segment: string): Record<string, unknown> | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

/**
 * Expiry of a JWT (compact JWS) from its `exp` claim, in epoch milliseconds. `undefined` when the value is
 * not a JWT, has no numeric `exp`, or cannot be decoded. The signature is not verified. Never throws.
 */
export function jwtExpiry(token: string): number | undefined {
  try {
    if (typeof token !== 'string') return undefined;
    const parts = token.trim().split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    if (!SIGNATURE.test(signature) || decodeObject(header) === undefined) return undefined;
    const exp = decodeObject(payload)?.['exp'];
    if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= 0) return undefined;
    const ms = Math.floor(exp * 1000);
    return ms <= MAX_TIME ? ms : undefined;
  } catch {
    return undefined;
  }
}
