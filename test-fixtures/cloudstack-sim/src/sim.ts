import { closeServer, Faults, listen, timerSet } from 'sim-kit';
import { Jobs } from './jobs.js';
import { PASSWORDS, seed } from './seed.js';
import { createSimServer } from './server.js';
import { Sessions } from './session.js';
import { ROOT_DOMAIN } from './state.js';
import type { CloudStackSim, Fault, LogEntry, SimCredentials, SimOptions } from './types.js';

function checkOptions(o: SimOptions): void {
  if (o.seed !== undefined && o.seed !== 'realistic' && o.seed !== 'empty') {
    throw new Error(`seed must be "realistic" or "empty", got ${o.seed}`);
  }
  if (o.vms !== undefined && !(Number.isInteger(o.vms) && o.vms >= 0)) {
    throw new Error('vms must be a non-negative integer');
  }
  if (o.jobSteps !== undefined && !(o.jobSteps >= 0)) throw new Error('jobSteps must be >= 0');
  if (o.zones !== undefined && !(Number.isInteger(o.zones) && o.zones >= 1 && o.zones <= 3)) {
    throw new Error('zones must be 1, 2 or 3');
  }
  if (o.sessionTimeoutSec !== undefined && !(o.sessionTimeoutSec > 0)) {
    throw new Error('sessionTimeoutSec must be > 0');
  }
}

export async function startCloudStackSim(options: SimOptions = {}): Promise<CloudStackSim> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const { state, userIds } = seed(options.seed ?? 'realistic', options.vms ?? 0, options.zones);
  const jobs = new Jobs(state.maps.job, options.jobSteps ?? 2);
  const sessions = new Sessions(options.sessionTimeoutSec ?? 1800);
  const faults = new Faults<Fault, string>(
    (f, command) => f.command === undefined || f.command.toLowerCase() === command.toLowerCase(),
  );
  const log: LogEntry[] = [];
  const timers = timerSet();

  const credentials = (): SimCredentials => {
    const keyed = (id: string, password: string) => {
      const u = state.get('user', id)!;
      return {
        username: u.username,
        password,
        domain: ROOT_DOMAIN.path,
        apiKey: u.apiKey ?? '',
        secretKey: u.secretKey ?? '',
      };
    };
    return {
      admin: keyed(userIds.admin, PASSWORDS.admin),
      user: keyed(userIds.alice, PASSWORDS.alice),
      keyless: {
        username: state.get('user', userIds.bob)!.username,
        password: PASSWORDS.bob,
        domain: ROOT_DOMAIN.path,
      },
    };
  };

  let sim: CloudStackSim | undefined;
  const server = createSimServer({
    engine: { state, sessions, jobs },
    faults,
    log,
    timers,
    admin: () => sim!,
  });
  const { port, urlHost } = await listen(server, options.port ?? 0, host);

  sim = {
    url: `http://${urlHost}:${port}/client/api`,
    port,
    get credentials() {
      return credentials();
    },
    log,
    addFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    setJobSteps: (n) => {
      jobs.steps = n;
    },
    releaseJobs: () => jobs.releaseAll(),
    close: () => closeServer(server, timers),
  };
  return sim;
}
