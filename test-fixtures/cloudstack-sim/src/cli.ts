#!/usr/bin/env node
import { runCli } from 'sim-kit';
import { banner, parseCliArgs, USAGE } from './cli-options.js';
import { startCloudStackSim } from './sim.js';

await runCli({
  name: 'cloudstack-sim',
  usage: USAGE,
  parse: parseCliArgs,
  start: startCloudStackSim,
  banner,
});
