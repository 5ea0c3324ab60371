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
 *
 * Plain JSON data is written directly (a third of `pod_get`'s time went into the yaml library's document
 * model), as the library writes it — except multi-line strings the library's block literals would not
 * hold exactly, which become double-quoted JSON strings. What the direct writer does not cover (a control
 * character, a key a parser could take for a document marker, a non-finite number, a multi-line key) goes
 * through the yaml library as a whole. The tests compare both.
 */
export function renderYaml(value: unknown): string {
  const pruned = pruneEmpty(value);
  if (pruned === undefined) return 'null';
  return directYaml(pruned) ?? libraryYaml(pruned);
}

/** The yaml library's rendering of a pruned value (the reference the direct writer matches). */
export function libraryYaml(pruned: unknown): string {
  const { Document, visit } = loadedYaml();
  const doc = new Document(pruned, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && isYaml11Ambiguous(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
}

function isYaml11Ambiguous(text: string): boolean {
  return YAML11_AMBIGUOUS.some((re) => re.test(text));
}

// ---- the direct writer: the yaml library's choices (indent 2, sequences indented, no folding) -------------

/** Anything the direct writer leaves to the library. */
class Unsupported extends Error {}
const unsupported = new Unsupported();

/** What the core schema reads as null, a boolean, an integer or a float (so a string must be quoted). */
const CORE_NON_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Where a plain scalar cannot be used (the library's rule, verbatim). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Characters the library escapes in double quotes (left to it): control characters, lone surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ESCAPED = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** The library writes longer keys as explicit `? key` entries. */
const MAX_IMPLICIT_KEY = 1000;

/** The direct writer's text of a pruned value, or undefined when it leaves the value to the library. */
export function directYaml(value: unknown): string | undefined {
  if (!isCollection(value) || isEmptyCollection(value)) return undefined;
  const lines: string[] = [];
  try {
    writeCollection(value, '', lines);
  } catch (error) {
    if (error === unsupported) return undefined;
    throw error;
  }
  return lines.join('\n');
}

type Collection = Record<string, unknown> | unknown[];

function isCollection(value: unknown): value is Collection {
  return typeof value === 'object' && value !== null;
}

function isEmptyCollection(value: Collection): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

/**
 * Appends a non-empty collection at `indent`. The first line carries `indent` too; a caller writing it after
 * `- ` replaces that.
 */
function writeCollection(value: Collection, indent: string, lines: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) writeEntry(`${indent}-`, item, `${indent}  `, lines);
  } else {
    for (const [key, item] of Object.entries(value))
      writeEntry(`${indent}${keyText(key)}:`, item, `${indent}  `, lines);
  }
}

/** One `key:` or `-` entry and its value, whose own lines are at `inner`. */
function writeEntry(head: string, item: unknown, inner: string, lines: string[]): void {
  if (isCollection(item)) {
    if (Object.getPrototypeOf(item) !== Object.prototype && !Array.isArray(item)) throw unsupported;
    if (isEmptyCollection(item)) {
      lines.push(`${head} ${Array.isArray(item) ? '[]' : '{}'}`);
    } else if (head.endsWith('-')) {
      // a collection in a sequence starts on the dash's line
      const start = lines.length;
      writeCollection(item, inner, lines);
      lines[start] = `${head} ${lines[start]!.slice(inner.length)}`;
    } else {
      lines.push(head);
      writeCollection(item, inner, lines);
    }
    return;
  }
  lines.push(`${head} ${scalarText(item, inner)}`);
}

function scalarText(value: unknown, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unsupported;
    return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  }
  if (typeof value !== 'string') throw unsupported;
  if (ESCAPED.test(value)) throw unsupported;
  if (isYaml11Ambiguous(value)) return doubleQuoted(value);
  if (value.includes('\n')) return multiLine(value, indent);
  if (NOT_PLAIN.test(value)) return quoted(value);
  return CORE_NON_STRING.some((re) => re.test(value)) ? quoted(value) : value;
}

function keyText(key: string): string {
  if (key.length > MAX_IMPLICIT_KEY || key.includes('\n') || ESCAPED.test(key) || DOCUMENT_MARKER.test(key)) {
    throw unsupported;
  }
  if (isYaml11Ambiguous(key)) return doubleQuoted(key);
  if (NOT_PLAIN.test(key) || CORE_NON_STRING.some((re) => re.test(key))) return quoted(key);
  return key;
}

/** Single quotes when that avoids escapes (the text has `"` and no `'`), else double. One line only. */
function quoted(text: string): string {
  return text.includes('"') && !text.includes("'") ? `'${text}'` : doubleQuoted(text);
}

/** Double quotes of one line without control characters: exactly JSON's. */
function doubleQuoted(text: string): string {
  if (text.includes('\n')) throw unsupported;
  return JSON.stringify(text);
}

/**
 * A multi-line string as a block literal (`|`, or `|-` without a final line break), as the library writes it,
 * when that is plain: no leading or trailing blank, no blank-only line, at most one final line break (its
 * lines are indented, so a `---` line is no document marker). Anything else is written as JSON's
 * double-quoted string, which every YAML reader reads back exactly (the library's block for `" \n"` reads
 * back as `"\n"`).
 */
function multiLine(text: string, indent: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (body === '' || /^\s|\s$|(^|\n)[ \t]+(\n|$)/.test(body)) return JSON.stringify(text);
  return `|${body === text ? '-' : ''}\n${indent}${body.replace(/\n+/g, `$&${indent}`)}`;
}
