// Starts lib/cloudeka-sim-child.mjs and resolves with { url, tokens, ids, pid, close() }.
import { forkSim } from './sim-process.mjs';

export function startCloudekaSimProcess(options) {
  return forkSim(
    new URL('./cloudeka-sim-child.mjs', import.meta.url),
    [JSON.stringify(options)],
    'cloudeka-sim',
  );
}
