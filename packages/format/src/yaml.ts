/** YAML rendering of one object (the `get` tools). */
import { stringify } from 'yaml';
import { pruneEmpty } from './prune.js';

/**
 * YAML of `value` after {@link pruneEmpty}: no `managedFields`, nulls, `{}` or `[]`; keys in the order given;
 * no line folding (long strings stay on one line, multi-line strings become block literals); shared objects
 * are written out again rather than as anchors/aliases. No trailing newline.
 */
export function renderYaml(value: unknown): string {
  const pruned = pruneEmpty(value);
  if (pruned === undefined) return 'null';
  const text = stringify(pruned, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
  return text.replace(/\n$/, '');
}
