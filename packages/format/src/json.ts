/** JSON rendering (`--output json`). */
import { pruneEmpty } from './prune.js';

/** JSON text of `value` after {@link pruneEmpty}, 2-space indent; bigints print as strings. */
export function renderJson(value: unknown): string {
  const pruned = pruneEmpty(value);
  return (
    JSON.stringify(pruned, (_key, val: unknown) => (typeof val === 'bigint' ? val.toString() : val), 2) ??
    'null'
  );
}
