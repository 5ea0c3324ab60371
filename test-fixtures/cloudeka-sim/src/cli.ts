#!/usr/bin/env node
import { runCli } from 'sim-kit';
import { banner, parseCliArgs, USAGE } from './cli-options.js';
import { startCloudekaSim } from './sim.js';

await runCli({ name: 'cloudeka-sim', usage: USAGE, parse: parseCliArgs, start: startCloudekaSim, banner });
