/** YAML rendering of one object (the `get` tools). */
import { pruneEmpty } from './prune.js';
import { loadedYaml } from './yaml-module.js';

// Strings a YAML 1.1 reader (PyYAML, older kubectl paths, many CI tools) would read as something else:
// booleans (yes/no/on/off/y/n), timestamps, sexagesimal and octal-looking numbers. YAML 1.2 writers leave
// them plain, so `edited: "yes"` would come back as a boolean when pasted into a manifest.
const YAML11_AMBIGUOUS = [
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^\d{4}-\d{1,2}-\d{1,2}(?:$|[Tt ])/,
  /^[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?$/,
  /^[-+]?0[0-7_]+$/,
];

/**
 * YAML of `value` after {@link pruneEmpty}: no `managedFields`, nulls, `{}` or `[]`; keys in the order given;
 * no line folding (long strings stay on one line, multi-line strings become block literals); shared objects
 * are written out again rather than as anchors/aliases; strings that YAML 1.1 would read as another type are
 * quoted. No trailing newline. `loadYaml()` must have been awaited.
 */
export function renderYaml(value: unknown): string {
  const { Document, visit } = loadedYaml();
  const pruned = pruneEmpty(value);
  if (pruned === undefined) return 'null';
  const doc = new Document(pruned, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML11_AMBIGUOUS.some((re) => re.test(node.value as string))) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
}
