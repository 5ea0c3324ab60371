#!/usr/bin/env node
import { runCli } from 'sim-kit';
import { banner, type CliOptions, parseCliArgs, USAGE } from './cli-options.js';
import { startOcmSim } from './sim.js';
import type { OcmSim } from './types.js';

await runCli<CliOptions, { sim: OcmSim; kubeconfigOut: string | undefined; close(): Promise<void> }>({
  name: 'ocm-sim',
  usage: USAGE,
  parse: parseCliArgs,
  start: async ({ kubeconfigOut, user, ...options }) => {
    const sim = await startOcmSim(options);
    if (kubeconfigOut) sim.writeHubKubeconfig(kubeconfigOut, { user: user ?? 'admin' });
    return { sim, kubeconfigOut, close: () => sim.close() };
  },
  banner: ({ sim, kubeconfigOut }) => banner(sim, kubeconfigOut),
});
