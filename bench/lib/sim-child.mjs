// The CloudStack simulator in its own process (see sim-process.mjs); reports { url, credentials }.
import { startCloudStackSim } from 'cloudstack-sim';
import { serveSimInChild } from './sim-process.mjs';

const sim = await startCloudStackSim(JSON.parse(process.argv[2] ?? '{}'));
serveSimInChild(
  { url: sim.url, credentials: sim.credentials },
  { logs: () => [sim.log], close: () => sim.close() },
);
