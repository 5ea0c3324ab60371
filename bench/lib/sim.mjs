// Starts lib/sim-child.mjs (the CloudStack simulator) and resolves with { url, credentials, pid, close() }.
import { forkSim } from './sim-process.mjs';

export function startSimProcess(options) {
  return forkSim(new URL('./sim-child.mjs', import.meta.url), [JSON.stringify(options)], 'the simulator');
}
