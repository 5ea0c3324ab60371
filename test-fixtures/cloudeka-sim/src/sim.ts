import { closeServer, Faults, listen, timerSet } from 'sim-kit';
import { Auth } from './auth.js';
import type { SimEnv } from './context.js';
import { loadContracts } from './contract.js';
import { type FaultKey, faultMatches } from './inject.js';
import { Router } from './router.js';
import { PASSWORDS, seed } from './seed.js';
import { checkCoverage, createSimServer } from './server.js';
import type { CloudekaSim, CloudekaSimOptions, Fault, RouteLogEntry, SimTokens } from './types.js';

function checkOptions(o: CloudekaSimOptions): void {
  if (o.seed !== undefined && o.seed !== 'realistic' && o.seed !== 'empty') {
    throw new Error(`seed must be "realistic" or "empty", got ${String(o.seed)}`);
  }
  if (o.environment !== undefined && o.environment !== 'production' && o.environment !== 'staging') {
    throw new Error(`environment must be "production" or "staging", got ${String(o.environment)}`);
  }
  if (o.jwtTtlSeconds !== undefined && !(Number.isInteger(o.jwtTtlSeconds) && o.jwtTtlSeconds >= 0)) {
    throw new Error('jwtTtlSeconds must be a non-negative integer');
  }
}

export async function startCloudekaSim(options: CloudekaSimOptions = {}): Promise<CloudekaSim> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const environment = options.environment ?? 'production';
  const staging = environment === 'staging';
  const { state, ids, tokenIds } = seed(options.seed ?? 'realistic', environment);
  const env: SimEnv = {
    state,
    environment,
    apiHost: staging ? 'staging.ai.cloudeka.id' : 'ai.cloudeka.id',
    registryHost: staging ? 'staging-dekaregistry.cloudeka.id' : 'dekaregistry.cloudeka.id',
    ...(options.kubeServer ? { kubeServer: options.kubeServer } : {}),
  };
  const auth = new Auth(env, options.jwtTtlSeconds ?? 86_400, options.authDbError ?? false);
  const router = new Router(loadContracts());
  checkCoverage(router);
  const faults = new Faults<Fault, FaultKey>(faultMatches);
  const log: RouteLogEntry[] = [];
  const timers = timerSet();
  let exchanges = 0;

  let sim: CloudekaSim | undefined;
  const server = createSimServer({
    env,
    auth,
    router,
    faults,
    log,
    timers,
    admin: () => ({ sim: sim!, authDbError: () => auth.dbError }),
    onExchange: () => {
      exchanges += 1;
    },
  });
  const { port, urlHost } = await listen(server, options.port ?? 0, host);
  const secret = (id: string) => state.tokens.get(id)?.secret ?? '';

  sim = {
    url: `http://${urlHost}:${port}`,
    port,
    environment,
    get tokens(): SimTokens {
      return {
        owner: secret(tokenIds.owner),
        member: secret(tokenIds.member),
        superadmin: secret(tokenIds.superadmin),
        revoked: secret(tokenIds.revoked),
        ownerScript: secret(tokenIds.ownerScript),
      };
    },
    passwords: { ...PASSWORDS },
    ids,
    log,
    exchanges: () => exchanges,
    setAuthDbError: (on) => {
      auth.dbError = on;
    },
    setJwtTtl: (seconds) => {
      if (!(Number.isInteger(seconds) && seconds >= 0))
        throw new Error('JWT TTL must be a non-negative integer');
      auth.ttlSeconds = seconds;
    },
    expireAllJwts: () => auth.expireAll(),
    addFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    close: () => closeServer(server, timers),
  };
  return sim;
}
