/**
 * What OpenShift puts in front of thanos-querier (kube-rbac-proxy): the bearer token is checked with a
 * TokenReview against the cluster's API, then a SubjectAccessReview for `get` on `namespaces`, both sent with the
 * proxy's own service-account credentials (here the cluster's admin token). Answers as kube-rbac-proxy does.
 */
import { Agent, request } from 'node:https';
import type { ProxiedResponse, SimCluster } from 'kube-sim';

interface ReviewedUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

const denied = (status: number, message: string): ProxiedResponse => ({
  status,
  headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  body: `${message}\n`,
});

export class RbacProxy {
  private readonly agent: Agent;

  constructor(private readonly cluster: SimCluster) {
    this.agent = new Agent({ keepAlive: true, ca: cluster.caPem });
  }

  /** undefined when the request may pass; otherwise kube-rbac-proxy's 401, 403 or 500. */
  async check(authorization: string | undefined): Promise<ProxiedResponse | undefined> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return denied(401, 'Unauthorized');
    let user: ReviewedUser | undefined;
    try {
      const review = await this.post('/apis/authentication.k8s.io/v1/tokenreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token: m[1] },
      });
      if (review.status?.authenticated === true) user = review.status.user;
    } catch {
      // an unreachable or failing API server authenticates nobody
    }
    if (!user?.username) return denied(401, 'Unauthorized');
    const attrs = `(user=${user.username}, verb=get, resource=namespaces, subresource=)`;
    try {
      const sar = await this.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          ...(user.uid ? { uid: user.uid } : {}),
          groups: user.groups ?? [],
          ...(user.extra ? { extra: user.extra } : {}),
          resourceAttributes: { verb: 'get', resource: 'namespaces' },
        },
      });
      return sar.status?.allowed === true ? undefined : denied(403, `Forbidden ${attrs}`);
    } catch {
      return denied(500, `Authorization error ${attrs}`);
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: review responses are read field by field
  private post(path: string, body: unknown): Promise<any> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.cluster.url),
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.cluster.tokens.admin}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'User-Agent': 'kube-rbac-proxy/v0.19.1 (ocm-sim)',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 201 && res.statusCode !== 200) {
              reject(new Error(`${path}: HTTP ${res.statusCode}`));
              return;
            }
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (e) {
              reject(e);
            }
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error(`${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
