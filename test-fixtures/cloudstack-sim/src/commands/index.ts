import { addressCommands } from './addresses.js';
import { apiCommands } from './apis.js';
import { catalogCommands } from './catalog.js';
import { jobCommands } from './jobs.js';
import { networkCommands } from './networks.js';
import { projectCommands } from './projects.js';
import { snapshotCommands } from './snapshots.js';
import { sshKeyCommands } from './sshkeys.js';
import { templateCommands } from './templates.js';
import type { CommandDef } from './types.js';
import { userCommands } from './users.js';
import { vmLifecycleCommands } from './vm-lifecycle.js';
import { vmCommands } from './vms.js';
import { volumeCommands } from './volumes.js';

export const COMMANDS: readonly CommandDef[] = [
  ...catalogCommands,
  ...templateCommands,
  ...networkCommands,
  ...vmCommands,
  ...vmLifecycleCommands,
  ...volumeCommands,
  ...snapshotCommands,
  ...sshKeyCommands,
  ...addressCommands,
  ...jobCommands,
  ...userCommands,
  ...projectCommands,
  ...apiCommands,
];

/** Command names are case-sensitive, as in ApiServer's command map. */
export const COMMANDS_BY_NAME: ReadonlyMap<string, CommandDef> = new Map(COMMANDS.map((c) => [c.name, c]));

export type { Caller, CommandDef, Ctx } from './types.js';
