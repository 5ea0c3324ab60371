import type { Jobs } from '../jobs.js';
import type { ParamDef, Params } from '../params.js';
import type { Account, Project, State, User } from '../state.js';

export interface Caller {
  user: User;
  account: Account;
  isAdmin: boolean;
}

/** No `projectid`, one project, or `-1`: every project of the caller. */
export type ProjectScope = Project | 'all' | undefined;

export interface Ctx {
  state: State;
  jobs: Jobs;
  caller: Caller;
  p: Params;
  /** The `projectid` of a list call that takes one (see projectScope). */
  project: ProjectScope;
  /** Every command definition, for listApis. */
  commands: readonly CommandDef[];
}

export interface CommandDef {
  /** API name, case-sensitive as CloudStack registers it (listVirtualMachines). */
  name: string;
  description: string;
  params: readonly ParamDef[];
  isAsync?: boolean;
  /** Not in the User role: answers 432 to normal users. */
  adminOnly?: boolean;
  /** BaseListCmd: page/pagesize must come together. */
  isList?: boolean;
  since?: string;
  related?: readonly string[];
  /** Returns the object placed under `<name lower-cased>response`. */
  handle(ctx: Ctx): Record<string, unknown>;
}
