/** Pruning of empty values before YAML/JSON rendering. */

const DROPPED_KEYS = new Set(['managedFields']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.keys(value).length === 0;
  return false;
}

function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function prune(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) return '[Circular]';
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    // Dates and other value objects: render what JSON would render.
    const json: unknown = toJSON.call(value);
    if (json !== value) {
      ancestors.add(value);
      try {
        return prune(json, ancestors);
      } finally {
        ancestors.delete(value);
      }
    }
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      // Positions in a list carry meaning: keep every element (undefined becomes null, as in JSON).
      return Array.from(value, (item) => prune(item, ancestors) ?? null);
    }
    const out: Record<string, unknown> = {};
    const entries: Iterable<[unknown, unknown]> =
      value instanceof Map ? value.entries() : Object.entries(value as Record<string, unknown>);
    for (const [key, item] of entries) {
      const name = String(key);
      if (DROPPED_KEYS.has(name)) continue;
      const pruned = prune(item, ancestors);
      if (!isEmpty(pruned)) setKey(out, name, pruned);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * Copy of `value` without noise: drops keys named `managedFields` at any depth, null/undefined values,
 * empty objects `{}` and empty arrays `[]` (also those that become empty after pruning); keeps `0`, `false`
 * and `''`. Key order is kept. List elements are kept in place (an undefined element becomes null). Objects
 * with `toJSON` (dates) are replaced by their JSON form; Maps become objects, Sets arrays; a cycle prints as
 * `'[Circular]'`. The top-level value itself is never dropped (`pruneEmpty({})` is `{}`).
 */
export function pruneEmpty(value: unknown): unknown {
  return prune(value, new Set());
}
