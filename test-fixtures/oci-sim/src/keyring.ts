import type { KeyObject } from 'node:crypto';
import { publicKeyFromPem } from './keys.js';
import type { Sessions } from './sessions.js';
import type { ApiKeyUser, AuthKind, SimUser } from './types.js';

/** Who signed a request. */
export interface Principal {
  userId: string;
  role: SimUser;
  auth: Exclude<AuthKind, 'none'>;
  /** The security token a session request was signed with (kept in memory only, never logged). */
  sessionToken?: string;
}

/** The keys OCI checks signatures against: uploaded API keys and live session keys. */
export class Keyring {
  private readonly apiKeys = new Map<string, { publicKey: KeyObject; userId: string }>();
  private readonly roles = new Map<string, SimUser>();

  constructor(
    private readonly tenancyId: string,
    readonly sessions: Sessions,
  ) {}

  addUser(user: ApiKeyUser, role: SimUser): void {
    this.apiKeys.set(user.keyId, { publicKey: publicKeyFromPem(user.publicKeyPem), userId: user.userId });
    this.roles.set(user.userId, role);
  }

  /** How a keyId authenticates, before any key is looked up. */
  static kindOf(keyId: string): Exclude<AuthKind, 'none'> {
    return keyId.startsWith('ST$') ? 'session' : 'api_key';
  }

  /** The key and principal behind `keyId`, or why there is none. */
  resolve(keyId: string): { principal: Principal; publicKey: KeyObject } | string {
    if (keyId.startsWith('ST$')) {
      const s = this.sessions.find(keyId.slice(3));
      if (!s) return 'unknown or expired security token';
      const role = this.roles.get(s.userId);
      if (!role) return 'security token of an unknown user';
      return {
        principal: { userId: s.userId, role, auth: 'session', sessionToken: keyId.slice(3) },
        publicKey: s.publicKey,
      };
    }
    const [tenancy, user, fingerprint, ...rest] = keyId.split('/');
    if (rest.length > 0 || !fingerprint) return 'keyId is not <tenancy>/<user>/<fingerprint>';
    if (tenancy !== this.tenancyId) return 'keyId names another tenancy';
    const key = this.apiKeys.get(keyId);
    if (!key || key.userId !== user) return 'no such API key';
    return {
      principal: { userId: key.userId, role: this.roles.get(key.userId)!, auth: 'api_key' },
      publicKey: key.publicKey,
    };
  }
}
