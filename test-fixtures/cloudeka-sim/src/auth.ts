import { randomBytes } from 'node:crypto';
import type { SimEnv } from './context.js';
import { isManager } from './context.js';
import { SimError } from './errors.js';
import { type JwtClaims, signJwt, verifyJwt } from './jwt.js';
import { isObject } from './kube-objects.js';
import type { RouteDef } from './router.js';
import type { User } from './state.js';

/** The body production answers the exchange with when its token table is gone (the seed's fallback trigger). */
export const AUTH_DB_ERROR = 'pq: relation "cldkctl_tokens" does not exist';

export const AUTH_ROUTE = 'POST /core/cldkctl/auth';
export const LOGIN_ROUTE = 'POST /core/user/login';

/** Routes only Owner and SuperAdmin may call, and what the 403 says they tried. */
export const MANAGER_ONLY: Readonly<Record<string, string>> = {
  'DELETE /core/user/projects/:project_id': 'delete projects',
  'DELETE /core/user/checking/projects/:project_id': 'delete projects',
  'POST /core/user/organization/member': 'manage organization members',
  'PUT /core/user/organization/member/:user_id': 'manage organization members',
  'DELETE /core/user/organization/member/:user_id': 'manage organization members',
  'PUT /core/user/manageuser/active/:user_id': 'manage organization members',
  'PUT /core/user/manageuser/deactive/:user_id': 'manage organization members',
  'POST /core/user/organization/role': 'manage organization roles',
  'PUT /core/user/organization/role/:role_id': 'manage organization roles',
  'DELETE /core/user/organization/role/:role_id': 'manage organization roles',
  'PUT /core/user/organization/edit/:organization_id': 'edit the organization',
};

export type Presented =
  | { kind: 'none' }
  | { kind: 'invalid'; message: string }
  | { kind: 'jwt'; claims: JwtClaims };

export interface Answer {
  status: number;
  body: unknown;
  /** Set for the plain-text database error. */
  text?: string;
}

const unauthorized = (message: string) => new SimError(401, message);

/** Token exchange, login, JWT issue and verification, and the role rules, for one instance. */
export class Auth {
  /** Per instance: a JWT from another instance (the other environment) fails with "signature is invalid". */
  private readonly secret = randomBytes(32);
  private readonly issued = new Set<string>();
  private readonly expired = new Set<string>();

  constructor(
    private readonly env: SimEnv,
    public ttlSeconds: number,
    public dbError: boolean,
  ) {}

  private issue(user: User): Record<string, unknown> {
    const iat = Math.floor(Date.now() / 1000);
    const claims: JwtClaims = {
      sub: user.id,
      user_id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      organization_id: user.organization_id,
      iss: `https://${this.env.apiHost}`,
      iat,
      exp: iat + this.ttlSeconds,
      jti: randomBytes(12).toString('hex'),
    };
    this.issued.add(claims.jti);
    return {
      token: signJwt(claims, this.secret),
      user_id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      organization_id: user.organization_id,
      organization_role_id: user.role_id,
      expired_at: new Date(claims.exp * 1000).toISOString(),
    };
  }

  expireAll(): void {
    for (const jti of this.issued) this.expired.add(jti);
  }

  /** What an Authorization header presents, for the request log and for authenticate(). */
  inspect(header: string | undefined): Presented {
    if (header === undefined || header === '') return { kind: 'none' };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return { kind: 'invalid', message: 'Authorization header format must be Bearer {token}' };
    const result = verifyJwt(m[1]!, this.secret, Date.now() / 1000, (jti) => this.expired.has(jti));
    return result.ok ? { kind: 'jwt', claims: result.claims } : { kind: 'invalid', message: result.message };
  }

  /** The caller of a bearer-protected route, or a 401. */
  authenticate(header: string | undefined): User {
    const presented = this.inspect(header);
    if (presented.kind === 'none') throw unauthorized('Authorization header is required');
    if (presented.kind === 'invalid') throw unauthorized(presented.message);
    const user = this.env.state.users.get(presented.claims.sub);
    if (!user) throw unauthorized('user not found');
    if (user.status !== 'active') throw unauthorized('user is inactive');
    return user;
  }

  /** 403 for SuperAdmin-only routes and for what only an Owner may do. */
  authorize(route: RouteDef, user: User): void {
    if (route.path.startsWith('/core/superadmin/') && user.role !== 'SuperAdmin') {
      throw new SimError(403, 'only SuperAdmin can access this endpoint');
    }
    const action = MANAGER_ONLY[route.key];
    if (action && !isManager(user)) throw new SimError(403, `role ${user.role} is not allowed to ${action}`);
  }

  /** POST /core/cldkctl/auth: `{"token": "cldkctl_…"}` (or `cldk_…`) for a JWT. No Authorization header. */
  exchange(body: unknown): Answer {
    const b = isObject(body) ? body : {};
    if (b.token === undefined || b.token === null || b.token === '')
      throw new SimError(400, 'token is required');
    if (typeof b.token !== 'string') throw new SimError(400, 'token must be a string');
    if (b.force_staging !== undefined && typeof b.force_staging !== 'boolean') {
      throw new SimError(400, 'force_staging must be a boolean');
    }
    if (this.dbError) return { status: 400, body: undefined, text: AUTH_DB_ERROR };
    if (!/^(cldkctl|cldk)_[A-Za-z0-9_-]+$/.test(b.token)) throw unauthorized('invalid token format');
    const token = this.env.state.tokenBySecret(b.token);
    if (!token) throw unauthorized('invalid token');
    if (token.status === 'revoked') throw unauthorized('token has been revoked');
    if (token.expired_at && Date.parse(token.expired_at) <= Date.now())
      throw unauthorized('token has expired');
    const user = this.env.state.users.get(token.user_id);
    if (!user) throw unauthorized('invalid token');
    if (user.status !== 'active') throw unauthorized('user is inactive');
    token.last_used_at = new Date().toISOString();
    return { status: 200, body: this.issue(user) };
  }

  /** POST /core/user/login: the portal's email + password login; answers like the exchange. */
  login(body: unknown): Answer {
    const b = isObject(body) ? body : {};
    for (const field of ['username', 'password']) {
      if (b[field] === undefined || b[field] === null || b[field] === '')
        throw new SimError(400, `${field} is required`);
      if (typeof b[field] !== 'string') throw new SimError(400, `${field} must be a string`);
    }
    const user = this.env.state.userByEmail(b.username as string);
    if (!user || user.password !== b.password) throw unauthorized('invalid username or password');
    if (user.status === 'pending') throw unauthorized('user is not verified');
    if (user.status !== 'active') throw unauthorized('user is inactive');
    return { status: 200, body: this.issue(user) };
  }
}
