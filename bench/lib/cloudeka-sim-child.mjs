// cloudeka-sim in its own process (see sim-process.mjs); reports { url, tokens, ids }.
import { startCloudekaSim } from 'cloudeka-sim';
import { serveSimInChild } from './sim-process.mjs';

const sim = await startCloudekaSim(JSON.parse(process.argv[2] ?? '{}'));
serveSimInChild(
  { url: sim.url, tokens: sim.tokens, ids: sim.ids },
  { logs: () => [sim.log], close: () => sim.close() },
);
