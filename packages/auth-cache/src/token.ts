/** Non-secret metadata kept next to a token (user name, role, project id …). Never put secrets here. */
export type TokenData = Record<string, string | number | boolean>;

/** A short-lived credential as the cache hands it out. Objects returned by the cache are frozen. */
export interface CachedToken {
  /** The secret itself: a JWT, a session id, a bearer token … */
  token: string;
  /** When the upstream stops accepting it, epoch milliseconds. */
  expiresAt: number;
  /** Non-secret metadata, e.g. user name or role. Session-bound secrets belong in `token`. */
  data?: TokenData;
}

/** Checks a value that claims to be a CachedToken; returns a frozen copy, or a reason why it is not one. */
export function toCachedToken(value: unknown): CachedToken | string {
  if (typeof value !== 'object' || value === null) return 'expected an object { token, expiresAt, data? }';
  const { token, expiresAt, data } = value as Record<string, unknown>;
  if (typeof token !== 'string' || token === '') return '`token` must be a non-empty string';
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    return '`expiresAt` must be a finite number (epoch ms)';
  }
  const out: CachedToken = { token, expiresAt };
  if (data !== undefined && data !== null) {
    const checked = toTokenData(data);
    if (checked === undefined) return '`data` must map names to strings, finite numbers or booleans';
    out.data = checked;
  }
  return Object.freeze(out);
}

function toTokenData(value: unknown): TokenData | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  for (const [, v] of entries) {
    const ok =
      typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok) return undefined;
  }
  // Object.fromEntries defines own properties, so a `__proto__` key cannot touch the prototype.
  return Object.freeze(Object.fromEntries(entries) as TokenData);
}
