import { randomBytes } from 'node:crypto';

export interface Session {
  /** Full JSESSIONID cookie value, Jetty style: node0<random>.node0 */
  id: string;
  /** ApiServer.loginUser: URL-safe Base64 of 20 random bytes. */
  key: string;
  userId: string;
  lastAccess: number;
}

/** Servlet sessions: a session idle longer than the timeout is gone, exactly as if it never existed. */
export class Sessions {
  private readonly byId = new Map<string, Session>();

  constructor(readonly timeoutSec: number) {}

  create(userId: string): Session {
    const session: Session = {
      id: `node0${randomBytes(12).toString('hex')}.node0`,
      key: randomBytes(20).toString('base64url'),
      userId,
      lastAccess: Date.now(),
    };
    this.byId.set(session.id, session);
    return session;
  }

  /** The live session for a JSESSIONID cookie, without touching it. */
  find(id: string | undefined): Session | undefined {
    const session = id === undefined ? undefined : this.byId.get(id);
    if (!session) return undefined;
    if (Date.now() - session.lastAccess > this.timeoutSec * 1000) {
      this.byId.delete(session.id);
      return undefined;
    }
    return session;
  }

  touch(session: Session): void {
    session.lastAccess = Date.now();
  }

  invalidate(id: string): void {
    this.byId.delete(id);
  }
}

/**
 * HttpUtils.validateSessionKey (default check option CookieOrParameter): the key must match either the
 * `sessionkey` cookie or the `sessionkey` parameter.
 */
export function sessionKeyValid(
  session: Session,
  cookieKey: string | undefined,
  paramKey: string | undefined,
): boolean {
  return cookieKey === session.key || paramKey === session.key;
}
