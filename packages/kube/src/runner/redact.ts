import { isSecretKey, REDACTED, redact, redactText } from '@cloudmcp/format';

export interface CliRedactOptions {
  /** Keep the values of Secret `data`/`stringData` (the `--allow-secrets` opt-in). */
  allowSecrets?: boolean;
  /** Exact strings to hide wherever they appear (the kubeconfig's own credentials). */
  knownSecrets?: readonly string[];
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// ---------------------------------------------------------------------------------------------------------
// JSON output (`-o json`, `get --raw`, watch streams of JSON objects)

interface Span {
  start: number;
  end: number;
}

/** Top-level JSON objects/arrays separated only by whitespace, or null when the text is anything else. */
function jsonSpans(text: string): Span[] | null {
  const spans: Span[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;
    if (text[i] !== '{' && text[i] !== '[') return null;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) return null;
    spans.push({ start, end: i });
  }
  return spans.length > 0 ? spans : null;
}

function indentOfJson(text: string): number {
  const match = /\n( +)\S/.exec(text);
  return match ? match[1]!.length : 0;
}

/** Structural redaction of each JSON document (Secrets, SecretLists, credential keys); null if one is not JSON. */
function redactJsonDocuments(text: string, allowSecrets: boolean): string | null {
  const spans = jsonSpans(text);
  if (!spans) return null;
  let out = '';
  let last = 0;
  for (const span of spans) {
    const doc = text.slice(span.start, span.end);
    let parsed: unknown;
    try {
      parsed = JSON.parse(doc);
    } catch {
      return null;
    }
    const redacted = redact(parsed, { allowSecrets });
    const changed = JSON.stringify(redacted) !== JSON.stringify(parsed);
    const indent = indentOfJson(doc);
    out +=
      text.slice(last, span.start) + (changed ? JSON.stringify(redacted, null, indent || undefined) : doc);
    last = span.end;
  }
  return out + text.slice(last);
}

/**
 * Text fallback for JSON that does not parse (cut output): the string values directly inside every
 * `"data": {…}` / `"stringData": {…}` object become `[REDACTED]`.
 */
function redactJsonSecretData(text: string): string {
  const opener = /"(?:data|stringData)"\s*:\s*\{/g;
  let out = '';
  let last = 0;
  for (let match = opener.exec(text); match !== null; match = opener.exec(text)) {
    let pos = match.index + match[0].length;
    out += text.slice(last, pos);
    let depth = 1;
    let expectValue = false;
    while (pos < text.length && depth > 0) {
      const c = text[pos]!;
      if (c === '"') {
        let end = pos + 1;
        while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
        const raw = text.slice(pos, Math.min(end + 1, text.length));
        out += depth === 1 && expectValue ? `"${REDACTED}"` : raw;
        expectValue = false;
        pos = end + 1;
        continue;
      }
      if (c === ':' && depth === 1) expectValue = true;
      else if (c === ',') expectValue = false;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      out += c;
      pos++;
    }
    last = Math.min(pos, text.length);
    opener.lastIndex = last;
  }
  return out + text.slice(last);
}

// ---------------------------------------------------------------------------------------------------------
// YAML output (`-o yaml`, `helm get manifest`, `helm template`, `argocd app manifests`)

const KIND_SECRET = /^( *)(- +)?(["']?)kind\3[ \t]*:[ \t]*(["']?)Secret\4[ \t]*(?:#.*)?$/;
/** `key: value`, `key:`, `- key: value`, quoted keys; group 5 is the value (rest of the line). */
const KEY_LINE = /^( *)(- +)?(["']?)([^"'\s#-][^"']*?|[^"'\s#])\3[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/;
const DOC_SEPARATOR = /^(?:---|\.\.\.)(?:\s|$)/;
const INERT = new Set(['', '{}', '[]', 'null', '~', '""', "''", REDACTED]);

function indentOf(line: string): number {
  let i = 0;
  while (line[i] === ' ') i++;
  return i;
}

function isBlank(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

interface YamlEdits {
  replace: Map<number, string>;
  drop: Set<number>;
  /** Lines that must not go through text redaction (Secret data the caller may see). */
  keep: Set<number>;
}

/** The lines of the mapping that holds `kind: Secret` at line `at`: [start, end), and its key column. */
function secretRegion(
  lines: readonly string[],
  at: number,
  match: RegExpExecArray,
): [number, number, number] {
  const col = match[1]!.length + (match[2]?.length ?? 0);
  let start = at;
  if (!match[2]) {
    for (let j = at - 1; j >= 0; j--) {
      const line = lines[j]!;
      if (isBlank(line)) continue;
      if (DOC_SEPARATOR.test(line)) break;
      const indent = indentOf(line);
      if (indent >= col) {
        start = j;
        continue;
      }
      const item = /^ *- +/.exec(line);
      if (item && item[0].length === col) start = j;
      break;
    }
  }
  let end = at + 1;
  for (let j = at + 1; j < lines.length; j++) {
    const line = lines[j]!;
    if (isBlank(line)) continue;
    if (DOC_SEPARATOR.test(line) || indentOf(line) < col) break;
    end = j + 1;
  }
  return [start, end, col];
}

/** Lines after `at` that are deeper than `col` (a block's content), up to `limit`. */
function blockEnd(lines: readonly string[], at: number, col: number, limit: number): number {
  let end = at + 1;
  for (let j = at + 1; j < limit; j++) {
    const line = lines[j]!;
    if (line.trim() === '') continue;
    if (indentOf(line) <= col) break;
    end = j + 1;
  }
  return end;
}

function hideValue(lines: readonly string[], j: number, value: string, edits: YamlEdits): void {
  const line = lines[j]!;
  const cut = line.lastIndexOf(value);
  edits.replace.set(j, `${line.slice(0, cut)}${REDACTED}`);
}

function redactSecretData(
  lines: readonly string[],
  at: number,
  col: number,
  value: string,
  limit: number,
  allowSecrets: boolean,
  edits: YamlEdits,
): void {
  const end = blockEnd(lines, at, col, limit);
  if (allowSecrets) {
    for (let j = at; j < end; j++) edits.keep.add(j);
    return;
  }
  if (value !== '' && !value.startsWith('#')) {
    // inline (flow) value: `data: {a: b}`; anything deeper continues it
    if (!INERT.has(value)) hideValue(lines, at, value, edits);
    for (let j = at + 1; j < end; j++) edits.drop.add(j);
    return;
  }
  let childIndent = -1;
  for (let j = at + 1; j < end; j++) {
    const line = lines[j]!;
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    if (childIndent < 0) childIndent = indent;
    if (indent > childIndent) {
      edits.drop.add(j); // the continuation of a multi-line value
      continue;
    }
    const match = KEY_LINE.exec(line);
    if (!match) {
      if (!line.trim().startsWith('#')) edits.replace.set(j, `${' '.repeat(indent)}${REDACTED}`);
      continue;
    }
    const item = match[5] ?? '';
    if (item === '' || /^[|>]/.test(item)) {
      edits.replace.set(
        j,
        `${line.replace(/[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$/, '').replace(/:$/, '')}: ${REDACTED}`,
      );
    } else if (!INERT.has(item)) {
      hideValue(lines, j, item, edits);
    }
  }
}

function redactYamlSecrets(text: string, allowSecrets: boolean): { lines: string[]; keep: Set<number> } {
  const lines = text.split('\n');
  const edits: YamlEdits = { replace: new Map(), drop: new Set(), keep: new Set() };
  for (let i = 0; i < lines.length; i++) {
    const match = KIND_SECRET.exec(lines[i]!);
    if (!match) continue;
    const [start, end, col] = secretRegion(lines, i, match);
    for (let j = start; j < end; j++) {
      if (edits.drop.has(j)) continue;
      const key = KEY_LINE.exec(lines[j]!);
      if (!key) continue;
      const keyCol = key[1]!.length + (key[2]?.length ?? 0);
      const name = key[4]!;
      const value = key[5] ?? '';
      if (keyCol === col && (name === 'data' || name === 'stringData')) {
        redactSecretData(lines, j, col, value, end, allowSecrets, edits);
      } else if (name === LAST_APPLIED) {
        // it holds the whole Secret, data included
        const blockStop = blockEnd(lines, j, keyCol, end);
        if (value !== '' && !/^[|>]/.test(value)) hideValue(lines, j, value, edits);
        else
          edits.replace.set(
            j,
            `${lines[j]!.replace(/[ \t]*[|>][-+0-9]*[ \t]*$/, '').replace(/:$/, '')}: ${REDACTED}`,
          );
        for (let k = j + 1; k < blockStop; k++) {
          edits.drop.add(k);
          edits.keep.delete(k);
        }
      }
    }
  }
  if (edits.replace.size === 0 && edits.drop.size === 0 && edits.keep.size === 0)
    return { lines, keep: edits.keep };
  const out: string[] = [];
  const keep = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    if (edits.drop.has(i)) continue;
    if (edits.keep.has(i)) keep.add(out.length);
    out.push(edits.replace.get(i) ?? lines[i]!);
  }
  return { lines: out, keep };
}

/** Text redaction of every line not in `keep`, run by run. */
function redactRuns(lines: readonly string[], keep: ReadonlySet<number>): string {
  if (keep.size === 0) return redactText(lines.join('\n'));
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 0) out.push(redactText(run.join('\n')));
    run = [];
  };
  for (let i = 0; i < lines.length; i++) {
    if (keep.has(i)) {
      flush();
      out.push(lines[i]!);
    } else {
      run.push(lines[i]!);
    }
  }
  flush();
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Redacts a CLI's output before anyone sees it:
 * - the exact credentials of the call's kubeconfig (`knownSecrets`), wherever they appear;
 * - JSON documents (`-o json`, `get --raw`, watch streams): structurally, with `redact` from
 *   `@cloudmcp/format` (Secret and SecretList values, credential keys, tokens in strings);
 * - YAML (`-o yaml`, `helm get manifest`, `helm template`, multi-document and `List` output): the values of
 *   `data`/`stringData` in every `kind: Secret` mapping, keys kept (unless `allowSecrets`), and its
 *   `last-applied-configuration` annotation (always); JSON that does not parse (cut) loses the string
 *   values of its `data`/`stringData` objects when it holds a Secret;
 * - then every line through `redactText` (JWTs, PEM private keys, bearer tokens, `password: …`,
 *   `token=…`…), except Secret data the caller chose to see.
 */
export function redactCliOutput(text: string, options: CliRedactOptions = {}): string {
  if (text === '') return text;
  const allowSecrets = options.allowSecrets === true;
  let out = text;
  for (const secret of options.knownSecrets ?? []) {
    if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  const trimmed = out.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json = redactJsonDocuments(out, allowSecrets);
    if (json !== null) return json;
    if (!allowSecrets && /"kind"\s*:\s*"Secret"/.test(out)) out = redactJsonSecretData(out);
  }
  if (/kind["']?[ \t]*:[ \t]*["']?Secret\b/.test(out)) {
    const { lines, keep } = redactYamlSecrets(out, allowSecrets);
    return redactRuns(lines, keep);
  }
  return redactText(out);
}

/**
 * The credentials in a kubeconfig (tokens, passwords, client keys, exec/auth-provider secrets): the values
 * of credential keys, 8 characters or longer, to hide verbatim in the tool's output.
 */
export function kubeconfigSecrets(kubeconfig: string): string[] {
  const found = new Set<string>();
  // `- name: AWS_SECRET_ACCESS_KEY` then `value: …` (exec plugin env)
  let secretName = false;
  for (const line of kubeconfig.split(/\r?\n/)) {
    const match = /^\s*(?:-\s+)?["']?([A-Za-z][\w.-]*)["']?\s*:\s*(.+?)\s*$/.exec(line);
    if (!match) continue;
    const key = match[1]!;
    const value = match[2]!.replace(/^(["'])(.*)\1$/, '$2');
    const secret = isSecretKey(key) || (key === 'value' && secretName);
    secretName = key === 'name' && isSecretKey(value);
    if (secret && value.length >= 8 && !/^[|>]/.test(value)) found.add(value);
  }
  return [...found];
}
