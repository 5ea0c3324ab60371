import { invalidParameter, missingParameter } from './errors.js';

export function required(query: URLSearchParams, name: string): string {
  const v = query.get(name);
  if (v === null || v === '') throw missingParameter(name);
  return v;
}

export function oneOf<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!allowed.includes(v as T)) {
    throw invalidParameter(`Invalid ${name}: ${v}. Allowed values are: ${allowed.join(', ')}`);
  }
  return v as T;
}

/** A repeatable query parameter (`lifecycleState=ACTIVE&lifecycleState=UPDATING`), each value checked. */
export function manyOf<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T[] {
  const values = query.getAll(name);
  for (const v of values) {
    if (!allowed.includes(v as T)) {
      throw invalidParameter(`Invalid ${name}: ${v}. Allowed values are: ${allowed.join(', ')}`);
    }
  }
  return values as T[];
}

export function bool(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (v !== 'true' && v !== 'false') throw invalidParameter(`Invalid ${name}: ${v}. Must be true or false`);
  return v === 'true';
}

/**
 * Sorts by `key(item)` for the chosen sortBy; without sortOrder, names sort ascending and times
 * descending (OCI's documented defaults). Without sortBy the order is the creation order.
 */
export function sorted<T>(
  items: T[],
  sortBy: string | undefined,
  sortOrder: 'ASC' | 'DESC' | undefined,
  key: (item: T, sortBy: string) => string,
): T[] {
  if (sortBy === undefined) return sortOrder === 'DESC' ? [...items].reverse() : items;
  const isTime = sortBy.startsWith('TIME');
  const dir = (sortOrder ?? (isTime ? 'DESC' : 'ASC')) === 'ASC' ? 1 : -1;
  return [...items].sort((a, b) => dir * key(a, sortBy).localeCompare(key(b, sortBy)));
}

export const SORT_ORDERS = ['ASC', 'DESC'] as const;
