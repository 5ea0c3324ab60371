#!/usr/bin/env node
import { banner, type CliCommand, parseCliArgs, USAGE } from './cli-options.js';
import { startCloudekaSim } from './sim.js';

let command: CliCommand;
try {
  command = parseCliArgs(process.argv.slice(2));
} catch (err) {
  console.error(`cloudeka-sim: ${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (command.help) {
  console.log(USAGE);
  process.exit(0);
}

const sim = await startCloudekaSim(command.options).catch((err: Error) => {
  console.error(`cloudeka-sim: ${err.message}`);
  process.exit(1);
});
console.log(banner(sim));

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
