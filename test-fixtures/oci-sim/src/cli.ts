#!/usr/bin/env node
import { runCli } from 'sim-kit';
import { banner, type CliOptions, parseCliArgs, USAGE, writeCliConfig } from './cli-options.js';
import { startOciSim } from './sim.js';
import type { OciSim } from './types.js';

await runCli<CliOptions, { sim: OciSim; configFile: string | undefined; close(): Promise<void> }>({
  name: 'oci-sim',
  usage: USAGE,
  parse: parseCliArgs,
  start: async ({ configDir, ...options }) => {
    const sim = await startOciSim(options);
    const configFile = configDir === undefined ? undefined : writeCliConfig(sim, configDir);
    return { sim, configFile, close: () => sim.close() };
  },
  banner: ({ sim, configFile }) => banner(sim, configFile),
});
