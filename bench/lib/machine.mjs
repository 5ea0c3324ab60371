import os from 'node:os';
import { round } from './stats.mjs';

/** What a result file records about the machine it was measured on, load included. */
export function machineInfo() {
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${os.release()}`,
    loadavgBefore: os.loadavg().map((v) => round(v, 2)),
  };
}
