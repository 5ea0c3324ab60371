import { badRequest, forbidden, notFound, SimError } from './errors.js';
import { isObject } from './kube-objects.js';
import type { RouteDef } from './router.js';
import type { Organization, Project, State, User } from './state.js';
import type { Environment } from './types.js';
import { type Args, argument, present } from './validate.js';

/** What handlers share across requests: the state and the deployment's names. */
export interface SimEnv {
  state: State;
  environment: Environment;
  /** ai.cloudeka.id or staging.ai.cloudeka.id */
  apiHost: string;
  registryHost: string;
  kubeServer?: string;
}

/** Owner and SuperAdmin manage; every other role (Member, custom roles) is limited. */
export const isManager = (user: User) => user.role === 'Owner' || user.role === 'SuperAdmin';

/**
 * Typed reads of one set of named values, with 400s that say where a value sits: `name` at the top level,
 * `registry_data.name` inside a `*_data` object.
 */
export class Fields {
  constructor(
    private readonly read: (name: string) => unknown,
    private readonly prefix = '',
  ) {}

  value(name: string): unknown {
    return this.read(name);
  }

  at(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  optStr(name: string): string | undefined {
    const value = this.read(name);
    if (!present(value)) return undefined;
    if (typeof value !== 'string') throw badRequest(`${this.at(name)} must be a string`);
    return value;
  }

  str(name: string): string {
    const value = this.optStr(name);
    if (value === undefined) throw badRequest(`${this.at(name)} is required`);
    return value;
  }

  /** An integer given as a JSON number or, in a query, as digits. */
  optInt(name: string): number | undefined {
    const value = this.read(name);
    if (!present(value)) return undefined;
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (!Number.isInteger(n)) throw badRequest(`${this.at(name)} must be an integer`);
    return n as number;
  }

  optBool(name: string): boolean | undefined {
    const value = this.read(name);
    if (!present(value)) return undefined;
    if (typeof value !== 'boolean') throw badRequest(`${this.at(name)} must be a boolean`);
    return value;
  }
}

/** One authenticated request as the handlers see it. */
export class Ctx extends Fields {
  constructor(
    readonly env: SimEnv,
    readonly user: User,
    readonly route: RouteDef,
    readonly args: Args,
  ) {
    super((name) => argument(args, name));
  }

  get state(): State {
    return this.env.state;
  }

  /** A named argument: the path parameter, else the query (GET, DELETE) or the JSON body (POST, PUT, PATCH). */
  arg(name: string): unknown {
    return this.value(name);
  }

  /** A required object argument (`registry_data`). */
  data(name: string): Record<string, unknown> {
    const value = this.arg(name);
    if (!present(value)) throw badRequest(`${name} is required`);
    if (!isObject(value)) throw badRequest(`${name} must be an object`);
    return value;
  }

  /** The fields of a required `*_data` object, read only there: `registry_data.name`. */
  inner(name: string): Fields {
    const data = this.data(name);
    return new Fields((field) => data[field], name);
  }

  org(): Organization {
    const org = this.user.organization_id
      ? this.state.organizations.get(this.user.organization_id)
      : undefined;
    if (!org) throw forbidden('you are not a member of any organization');
    return org;
  }

  /** A project the caller may use: 404 outside their organization, 403 when a limited role is not assigned. */
  project(id: string = this.str('project_id')): Project {
    const p = this.state.projects.get(id);
    if (!p || (this.user.role !== 'SuperAdmin' && p.organization_id !== this.user.organization_id)) {
      throw notFound('project', id);
    }
    if (!isManager(this.user) && !this.user.project_ids.includes(id)) {
      throw forbidden('you do not have access to this project');
    }
    return p;
  }

  /** Projects the caller sees without naming one: the organization's, or the assigned ones for limited roles. */
  visibleProjects(): Project[] {
    return [...this.state.projects.values()].filter(
      (p) =>
        p.organization_id === this.user.organization_id &&
        (isManager(this.user) || this.user.project_ids.includes(p.id)),
    );
  }

  requireManager(action: string): void {
    if (!isManager(this.user)) throw new SimError(403, `role ${this.user.role} is not allowed to ${action}`);
  }
}

export type Handler = (ctx: Ctx) => unknown;
export type RouteHandlers = Record<string, Handler>;
