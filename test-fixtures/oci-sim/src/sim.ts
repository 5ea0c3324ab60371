import { createHash } from 'node:crypto';
import { startKubeSim } from 'kube-sim';
import { closeServer, Faults, listen, Prng, timerSet } from 'sim-kit';
import { clusterTokenAuthenticator } from './cluster-token.js';
import { writeConfig } from './config-file.js';
import { faultMatches } from './inject.js';
import { Keyring } from './keyring.js';
import { generateRsaKeyPair } from './keys.js';
import { OcidFactory, REGION_ID } from './ocid.js';
import { seed } from './seed.js';
import { createOciServer } from './server.js';
import { Sessions } from './sessions.js';
import type { OkeCluster } from './state.js';
import type { ApiKeyUser, OciFault, OciRequestLogEntry, OciSim, OciSimOptions, SimUser } from './types.js';
import { WorkRequestEngine } from './workrequests.js';

function checkOptions(o: OciSimOptions): void {
  const int = (name: keyof OciSimOptions, min: number, max: number) => {
    const v = o[name];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) {
      throw new Error(`${name} must be an integer between ${min} and ${max}`);
    }
  };
  int('clusters', 1, 20);
  int('pageLimitDefault', 1, 1000);
  int('maxNodesPerPool', 1, 1000);
  if (o.region !== undefined && !REGION_ID.test(o.region))
    throw new Error(`region "${o.region}" is not a region id`);
  if (o.workRequestStepMs !== undefined && !(o.workRequestStepMs >= 0)) {
    throw new Error('workRequestStepMs must be >= 0 (Infinity: only advanceWorkRequests moves them)');
  }
}

function apiKeyUser(tenancyId: string, userId: string): ApiKeyUser {
  const key = generateRsaKeyPair();
  return {
    userId,
    fingerprint: key.fingerprint,
    keyId: `${tenancyId}/${userId}/${key.fingerprint}`,
    privateKeyPem: key.privateKeyPem,
    publicKeyPem: key.publicKeyPem,
  };
}

function userOf(users: Record<SimUser, ApiKeyUser>, user: SimUser | undefined): ApiKeyUser {
  const u = users[user ?? 'admin'];
  if (!u) throw new Error('user must be admin or reader');
  return u;
}

/** The reader is a Kubernetes viewer in every cluster (the admin is cluster-admin through system:masters). */
function bindReader(c: OkeCluster, readerId: string): void {
  const rbac = 'rbac.authorization.k8s.io';
  c.kube.store.put({
    apiVersion: `${rbac}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'oci-reader-view' },
    roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: rbac, kind: 'User', name: readerId }],
  });
}

export async function startOciSim(options: OciSimOptions = {}): Promise<OciSim> {
  checkOptions(options);
  const region = options.region ?? 'us-ashburn-1';
  const host = options.host ?? '127.0.0.1';
  const prng = new Prng(`oci-sim/${region}`);
  const ocids = new OcidFactory(prng, region);
  const tenancyId = ocids.global('tenancy');
  const users = {
    admin: apiKeyUser(tenancyId, ocids.global('user')),
    reader: apiKeyUser(tenancyId, ocids.global('user')),
  };
  const sessions = new Sessions(tenancyId);
  const keyring = new Keyring(tenancyId, sessions);
  keyring.addUser(users.admin, 'admin');
  keyring.addUser(users.reader, 'reader');

  const kube = await startKubeSim({ clusters: options.clusters ?? 2, host });
  const timers = timerSet();
  let workRequests: WorkRequestEngine | undefined;
  try {
    const state = seed({
      prng,
      ocids,
      region,
      tenancyId,
      adminUserId: users.admin.userId,
      kubes: kube.clusters,
      now: Date.now(),
    });
    const engine = new WorkRequestEngine(
      state,
      options.workRequestStepMs ?? 150,
      options.maxNodesPerPool ?? 10,
    );
    workRequests = engine;

    const clusterTokenChecks = new Map<string, number>();
    for (const c of state.clusters) {
      bindReader(c, users.reader.userId);
      const accepted = new Set<string>();
      clusterTokenChecks.set(c.id, 0);
      c.kube.setTokenAuthenticator(
        clusterTokenAuthenticator({ id: c.id, region }, keyring, (token) => {
          accepted.add(createHash('sha256').update(token).digest('base64'));
          clusterTokenChecks.set(c.id, accepted.size);
        }),
      );
    }

    const faults = new Faults<OciFault, { operation: string; path: string }>(faultMatches);
    const log: OciRequestLogEntry[] = [];
    let sim: OciSim | undefined;
    const server = createOciServer({
      keyring,
      faults,
      log,
      timers,
      context: { state, engine, sessions, pageLimit: options.pageLimitDefault ?? 100 },
      admin: () => sim!,
    });
    const { port, urlHost } = await listen(server, options.port ?? 0, host);

    sim = {
      url: `http://${urlHost}:${port}`,
      region,
      tenancyId,
      compartments: state.compartments.map((c) => ({ id: c.id, name: c.name, parentId: c.parentId })),
      clusters: state.clusters.map((c) => ({
        id: c.id,
        name: c.name,
        compartmentId: c.compartmentId,
        kube: c.kube,
      })),
      users,
      createSession: (opts = {}) => sessions.create(userOf(users, opts.user).userId, opts.ttlMs),
      refreshSession: (token, opts = {}) => {
        const next = sessions.refresh(token, opts.ttlMs);
        if (!next) throw new Error('unknown or expired security token');
        return next;
      },
      expireSession: (token) => sessions.expire(token),
      writeConfig: (dir, opts) => writeConfig({ tenancyId, region, users, sessions }, dir, opts),
      addFault: (f) => faults.add(f),
      clearFaults: () => faults.clear(),
      log,
      clusterTokenChecks,
      advanceWorkRequests: () => engine.advanceAll(),
      close: async () => {
        engine.stop();
        await closeServer(server, timers);
        await kube.close();
      },
    };
    return sim;
  } catch (err) {
    workRequests?.stop();
    await kube.close();
    throw err;
  }
}
