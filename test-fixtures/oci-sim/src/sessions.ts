import { createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import { generateRsaKeyPair, publicKeyFromPem, type RsaKeyPair } from './keys.js';
import type { SessionCredentials } from './types.js';

export const DEFAULT_SESSION_TTL_MS = 60 * 60 * 1000;
/** `oci session refresh` works until the session's overall limit (24 h after it was authenticated). */
const SESSION_MAX_MS = 24 * 60 * 60 * 1000;

interface Session {
  userId: string;
  key: RsaKeyPair;
  expiresAt: number;
  /** When the whole session (all its refreshed tokens) ends. */
  sessionEnds: number;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * Security tokens as the OCI auth service issues them for `oci session authenticate`: an RS256 JWT naming the
 * user, the tenancy and the session's public key (`jwk`), valid for `ttlMs`. The simulator keeps each token it
 * issued, so an unknown, expired or expired-on-purpose token is refused.
 */
export class Sessions {
  private readonly byToken = new Map<string, Session>();
  private readonly issuer: KeyObject;

  constructor(private readonly tenancyId: string) {
    this.issuer = createPrivateKey(generateRsaKeyPair().privateKeyPem);
  }

  create(userId: string, ttlMs = DEFAULT_SESSION_TTL_MS): SessionCredentials {
    const now = Date.now();
    return this.issue(
      { userId, key: generateRsaKeyPair(), expiresAt: 0, sessionEnds: now + SESSION_MAX_MS },
      ttlMs,
    );
  }

  /** A new token for the session `token` belongs to (same key); undefined when it is unknown or expired. */
  refresh(token: string, ttlMs = DEFAULT_SESSION_TTL_MS): SessionCredentials | undefined {
    const s = this.live(token);
    if (!s || Date.now() >= s.sessionEnds) return undefined;
    return this.issue({ ...s }, ttlMs);
  }

  expire(token: string): void {
    const s = this.byToken.get(token);
    if (s) s.expiresAt = 0;
  }

  /** The live session of a token: its user and public key. */
  find(token: string): { userId: string; publicKey: KeyObject } | undefined {
    const s = this.live(token);
    return s && { userId: s.userId, publicKey: s.key.publicKey };
  }

  private live(token: string): Session | undefined {
    const s = this.byToken.get(token);
    return s && Date.now() < s.expiresAt ? s : undefined;
  }

  private issue(session: Session, ttlMs: number): SessionCredentials {
    if (!(ttlMs > 0)) throw new Error('ttlMs must be > 0');
    const now = Date.now();
    session.expiresAt = Math.min(now + ttlMs, session.sessionEnds);
    const jwk = publicKeyFromPem(session.key.publicKeyPem).export({ format: 'jwk' });
    const header = { alg: 'RS256', typ: 'JWT', kid: 'asw' };
    const claims = {
      sub: session.userId,
      tenant: this.tenancyId,
      ptype: 'user',
      iss: 'authService.oracle.com',
      aud: 'oci',
      iat: Math.floor(now / 1000),
      exp: Math.floor(session.expiresAt / 1000),
      sess_exp: new Date(session.sessionEnds).toUTCString(),
      jti: randomUUID(),
      jwk: JSON.stringify({ kid: randomUUID(), ...jwk, alg: 'RS256', use: 'sig' }),
    };
    const unsigned = `${b64url(header)}.${b64url(claims)}`;
    const signature = sign('sha256', Buffer.from(unsigned), this.issuer).toString('base64url');
    const token = `${unsigned}.${signature}`;
    this.byToken.set(token, session);
    return {
      token,
      privateKeyPem: session.key.privateKeyPem,
      publicKeyPem: session.key.publicKeyPem,
      expiresAt: session.expiresAt,
    };
  }
}
