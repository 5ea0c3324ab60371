import { missingParam, paramError } from './errors.js';
import type { EntityKind, EntityTypes, State } from './state.js';

export type ParamType = 'uuid' | 'string' | 'boolean' | 'integer' | 'long' | 'list';

export interface ParamDef {
  /** Lower-case, as in the @Parameter annotation. */
  name: string;
  type: ParamType;
  description: string;
  required?: boolean;
  /** For uuid (and list-of-uuid) parameters: the entity the id must translate to. */
  entity?: EntityKind;
  length?: number;
}

/** A translated id: the entity, or `gone` when it passes translation but the manager finds nothing. */
export type Ref<T> = { found: T } | { gone: string };

const INT_MAX = 2 ** 31 - 1;

/** Typed access to parameters already validated in declaration order by {@link processParams}. */
export class Params {
  constructor(
    private readonly raw: Map<string, string>,
    private readonly refsByName: Map<string, Ref<unknown>[]>,
  ) {}

  str(name: string): string | undefined {
    return this.raw.get(name);
  }

  /** Boolean.valueOf: anything but "true" (any case) is false. */
  bool(name: string): boolean | undefined {
    const v = this.raw.get(name);
    return v === undefined ? undefined : v.toLowerCase() === 'true';
  }

  /** Blank numbers count as absent, as setFieldValue leaves the field unset. */
  int(name: string): number | undefined {
    const v = this.raw.get(name);
    return v === undefined || v.trim() === '' ? undefined : Number(v);
  }

  ref<K extends EntityKind>(name: string, _kind: K): Ref<EntityTypes[K]> | undefined {
    return this.refsByName.get(name)?.[0] as Ref<EntityTypes[K]> | undefined;
  }

  refs<K extends EntityKind>(name: string, _kind: K): Ref<EntityTypes[K]>[] {
    return (this.refsByName.get(name) ?? []) as Ref<EntityTypes[K]>[];
  }
}

/** ParamProcessWorker: the first parameter (in declaration order) that is missing or invalid fails the call. */
export function processParams(
  command: string,
  defs: readonly ParamDef[],
  raw: Map<string, string>,
  state: State,
): Params {
  const api = command.toLowerCase();
  const refs = new Map<string, Ref<unknown>[]>();
  for (const def of defs) {
    const value = raw.get(def.name);
    if (value === undefined) {
      if (def.required) throw missingParam(command, def.name);
      continue;
    }
    switch (def.type) {
      case 'integer':
      case 'long': {
        if (value.trim() === '') break;
        const n = Number(value);
        const max = def.type === 'integer' ? INT_MAX : Number.MAX_SAFE_INTEGER;
        if (!/^-?\d+$/.test(value) || Math.abs(n) > max) {
          throw paramError(
            `Unable to execute API command ${api} due to invalid value ${value} for parameter ${def.name}`,
          );
        }
        break;
      }
      case 'string':
        if (value.length > (def.length ?? 255)) {
          throw paramError(
            `Unable to execute API command ${api} due to invalid value. Value greater than max allowed length ${def.length ?? 255} for param: ${def.name}`,
          );
        }
        break;
      case 'uuid':
      case 'list': {
        if (!def.entity) break;
        const tokens = def.type === 'list' ? value.split(',').filter((t) => t !== '') : [value];
        refs.set(
          def.name,
          tokens.map((token) => {
            const r = state.resolve(def.entity!, token);
            if (!r) {
              throw paramError(
                `Unable to execute API command ${api} due to invalid value. Invalid parameter ${def.name} value=${token} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
              );
            }
            return r;
          }),
        );
        break;
      }
      case 'boolean':
        break;
    }
  }
  return new Params(raw, refs);
}
