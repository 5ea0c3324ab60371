/**
 * Redaction: secrets never reach the model or the logs.
 *
 * Two layers:
 * - structure ({@link redact}): values under credential keys, Kubernetes Secret data, `{name, value}` pairs
 *   whose name is a credential (container env), and every string through {@link redactText};
 * - text ({@link redactText}): JWTs, PEM private keys, bearer tokens, cldkctl tokens, credential URL query
 *   parameters, `Authorization:` headers, `key=value`, `"key": "value"` and `key: value` lines whose key is a
 *   credential.
 */

/** What a secret is replaced with. */
export const REDACTED = '[REDACTED]';

export interface RedactOptions {
  /**
   * Keep the values of Kubernetes Secret `data`/`stringData` (the `--allow-secrets` opt-in). Credential keys
   * anywhere else (passwords, tokens, keys…) stay redacted regardless.
   */
  allowSecrets?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Credential key names

/** Key names (lower case, without `_`, `-`, `.` and spaces) whose value is always a credential. */
const SECRET_KEYS = new Set([
  'password',
  'passwd',
  'pass',
  'passphrase',
  'secret',
  'secretkey',
  'clientsecret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'sessiontoken',
  'sessionkey',
  'sessionid',
  'jsessionid',
  'apikey',
  'xapikey',
  'privatekey',
  'privatekeydata',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'clientkeydata',
  'tokendata',
  'credential',
  'credentials',
  'bearer',
  'xauthtoken',
  'kubeconfig',
  'dockerconfigjson',
  'dockercfg',
]);

/** Endings that make a key a credential (`adminPassword`, `DB_PASSWORD`, `webhookSecret`, `GITHUB_TOKEN`…). */
const SECRET_SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secretkey',
  'secretaccesskey',
  'accesskeysecret',
  'apikey',
  'privatekey',
  'sessionkey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'token',
  'credential',
  'credentials',
];

/** `…token` endings that are paging state, not credentials. */
const NOT_SECRET_TOKEN_SUFFIXES = [
  'pagetoken',
  'nexttoken',
  'continuetoken',
  'continuationtoken',
  'paginationtoken',
  'resumetoken',
  'synctoken',
];

/** Extra URL query parameter names that carry a credential (request signatures). */
const SECRET_QUERY_PARAMS = new Set(['signature', 'sig', 'xamzsignature', 'xgoogsignature']);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_.\s]/g, '');
}

function isSecretName(normalized: string): boolean {
  if (normalized === '') return false;
  if (SECRET_KEYS.has(normalized)) return true;
  for (const suffix of SECRET_SUFFIXES) {
    if (normalized.endsWith(suffix)) {
      return !(suffix === 'token' && NOT_SECRET_TOKEN_SUFFIXES.some((s) => normalized.endsWith(s)));
    }
  }
  return false;
}

/** Answers for keys seen before: the same few hundred names recur in every object of a listing. */
const secretKeyCache = new Map<string, boolean>();
const SECRET_KEY_CACHE_MAX = 10_000;

/**
 * Whether a key names a credential. Case-insensitive, ignoring `_`, `-`, `.` and spaces; exact names
 * (`password`, `token`, `apikey`, `client-key-data`, `kubeconfig`…) plus a few endings (`…password`,
 * `…secret`, `…token` except paging tokens, `…apikey`, `…privatekey`, `…credentials`…). Look-alikes such as
 * `publickey`, `fingerprint`, `keypair`, `passwordenabled`, `tokenexpiry`, `secretName`, `secretRef` are not.
 */
export function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    secret = isSecretName(normalizeKey(key));
    if (secretKeyCache.size >= SECRET_KEY_CACHE_MAX) secretKeyCache.clear();
    secretKeyCache.set(key, secret);
  }
  return secret;
}

// ---------------------------------------------------------------------------------------------------------
// Text

const PRE_CHECK = /[=:]|eyJ|-----BEGIN|bearer|cldkctl_/i;
const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;
/** Key material after a BEGIN line whose END line is missing (cut output). */
const KEY_MATERIAL = /(?:[A-Za-z0-9+/=\s:,.-]|\\[nr])*/y;
const JWT =
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+){0,2}/g;
const BEARER = /\b(bearer)(\s+)([A-Za-z0-9._~+/=-]{8,})/gi;
const CLDKCTL = /(?<![A-Za-z0-9])cldkctl_([A-Za-z0-9_-]{8,})/g;
const AUTH_HEADER =
  /(?<![A-Za-z0-9_-])((?:proxy-)?authorization)([ \t]*:[ \t]*)(?!\[REDACTED\])([^\r\n'"]*[^\s'"])/gi;
const KEY_LINE = /^([ \t]*(?:-[ \t]+)?)(["']?)([A-Za-z][\w.-]{0,63})\2([ \t]*:[ \t]+)(\S.*)$/gm;
const KEY_EQUALS =
  /(?<![\w.])([A-Za-z][\w.-]{0,63})=(?!\[REDACTED\])("[^"\r\n]*"|'[^'\r\n]*'|[^\s&#;,"'<>)\]}]*)/g;
/** `"key": "value"` (JSON) or `'key': 'value'` (Python reprs in CLI errors). */
const QUOTED_PAIR = /(["'])([A-Za-z][\w.-]{0,63})\1(\s*:\s*)(["'])((?:(?!\4)[^\\\r\n]|\\.)*)\4/g;
/** A YAML key whose value is a block scalar on the following, more indented lines. */
const BLOCK_KEY =
  /^([ \t]*(?:-[ \t]+)?)(["']?)([A-Za-z][\w.-]{0,63})\2[ \t]*:[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$/;

/** What BEARER, AUTH_HEADER and KEY_LINE cannot match without. */
const BEARER_WORD = /bearer/i;
const AUTHORIZATION_WORD = /authorization/i;
const COLON_BLANK = /:[ \t]/;

/** Values that are not secrets even under a credential key. */
const INERT_VALUES = new Set(['', 'true', 'false', 'null', '~', REDACTED, `"${REDACTED}"`, `'${REDACTED}'`]);
/** YAML block scalar indicators: the value is on the following lines. */
const BLOCK_SCALAR = /^[|>][-+0-9]*$/;

function isInert(value: string): boolean {
  const v = value.trim();
  return INERT_VALUES.has(v) || INERT_VALUES.has(v.toLowerCase());
}

/**
 * PEM private keys: `-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----` (any lines between, or
 * escaped `\n`) keeps its BEGIN/END lines around `[REDACTED]`; a block whose END line is missing loses the key
 * material that follows. Linear: each END line is searched once per label.
 */
function redactPem(text: string): string {
  let out = '';
  let last = 0;
  const noEnd = new Set<string>();
  PEM_BEGIN.lastIndex = 0;
  for (let match = PEM_BEGIN.exec(text); match !== null; match = PEM_BEGIN.exec(text)) {
    const label = match[1]!;
    const bodyStart = match.index + match[0].length;
    out += `${text.slice(last, match.index)}-----BEGIN ${label}-----${REDACTED}`;
    const endLine = `-----END ${label}-----`;
    const end = noEnd.has(label) ? -1 : text.indexOf(endLine, bodyStart);
    if (end >= 0) {
      out += endLine;
      last = end + endLine.length;
    } else {
      noEnd.add(label);
      KEY_MATERIAL.lastIndex = bodyStart;
      last = bodyStart + (KEY_MATERIAL.exec(text)?.[0].length ?? 0);
    }
    PEM_BEGIN.lastIndex = last;
  }
  return out + text.slice(last);
}

/** `password: |` followed by indented lines (YAML text): the indented lines become one `[REDACTED]`. */
function redactBlockScalars(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    const match = BLOCK_KEY.exec(line);
    if (!match || !isSecretKey(match[3]!)) continue;
    const keyColumn = match[1]!.length;
    let end = i + 1;
    let indent = '';
    while (end < lines.length) {
      const next = lines[end]!;
      const lead = /^[ \t]*/.exec(next)![0];
      if (next.trim() !== '' && lead.length <= keyColumn) break;
      if (indent === '' && next.trim() !== '') indent = lead;
      end++;
    }
    while (end > i + 1 && lines[end - 1]!.trim() === '') end--; // trailing blank lines are not content
    if (end > i + 1 && lines.slice(i + 1, end).some((l) => l.trim() !== REDACTED)) {
      out.push(`${indent}${REDACTED}`);
      i = end - 1;
    }
  }
  return out.join('\n');
}

function looksRandom(token: string): boolean {
  return /[0-9._~+/=-]/.test(token) || token.length >= 24;
}

/**
 * Redacts secrets inside free text (log lines, error messages, YAML or JSON text, URLs):
 * - JWTs (`eyJ….….…`) → `[REDACTED]`;
 * - PEM private key blocks (any `-----BEGIN … PRIVATE KEY-----`, multi-line, also cut ones) → key material
 *   `[REDACTED]` (certificates are public and kept);
 * - `Bearer <token>` → `Bearer [REDACTED]`; `cldkctl_<token>` → `cldkctl_[REDACTED]`;
 * - `Authorization: …` (and `Proxy-Authorization`) → `Authorization: [REDACTED]`;
 * - `name=value` when the name is a credential or a request signature (URL query parameters such as
 *   `?apikey=…&signature=…`, `password=…` in free text, `SECRET_KEY=…` env lines) → `name=[REDACTED]`;
 * - `"name": "value"` (JSON, also single-quoted), `name: value` lines (YAML, HTTP headers) and YAML block
 *   scalars (`password: |` and the indented lines below) when the name is a credential.
 * Booleans and empty values stay. Applying it twice changes nothing more.
 */
export function redactText(text: string): string {
  if (typeof text !== 'string' || !PRE_CHECK.test(text)) return text;
  let out = text;
  if (out.includes('-----BEGIN')) out = redactPem(out);
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
  // Each rule below runs only where its match is possible (most strings that pass PRE_CHECK are times,
  // image names and URLs with a `:` in them).
  if (BEARER_WORD.test(out)) {
    out = out.replace(BEARER, (m, word: string, space: string, token: string) =>
      looksRandom(token) ? `${word}${space}${REDACTED}` : m,
    );
  }
  if (out.includes('cldkctl_')) {
    out = out.replace(CLDKCTL, (m, body: string) =>
      /[0-9]/.test(body) || (body.length >= 20 && !body.includes('_')) ? `cldkctl_${REDACTED}` : m,
    );
  }
  if (AUTHORIZATION_WORD.test(out)) {
    out = out.replace(AUTH_HEADER, (m, name: string, sep: string, value: string) =>
      isInert(value) ? m : `${name}${sep}${REDACTED}`,
    );
  }
  if (out.includes('=')) {
    out = out.replace(KEY_EQUALS, (m, name: string, value: string) => {
      const key = normalizeKey(name);
      if (!(isSecretName(key) || SECRET_QUERY_PARAMS.has(key)) || isInert(value)) return m;
      return `${name}=${REDACTED}`;
    });
  }
  if (out.includes('"') || out.includes("'")) {
    out = out.replace(QUOTED_PAIR, (m, q: string, name: string, sep: string, v: string, value: string) =>
      isSecretKey(name) && !isInert(value) ? `${q}${name}${q}${sep}${v}${REDACTED}${v}` : m,
    );
  }
  if (out.includes(': |') || out.includes(': >')) out = redactBlockScalars(out);
  if (COLON_BLANK.test(out)) {
    out = out.replace(
      KEY_LINE,
      (m, lead: string, quote: string, name: string, sep: string, value: string) => {
        const key = normalizeKey(name);
        if (!isSecretName(key)) return m;
        const v = value.trim();
        if (isInert(v) || BLOCK_SCALAR.test(v) || v.startsWith('#')) return m;
        return `${lead}${quote}${name}${quote}${sep}${REDACTED}`;
      },
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Structure

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Types of Kubernetes Secrets, to recognise a Secret whose `kind` was dropped (items of a SecretList). */
const SECRET_TYPE = /^(Opaque$|kubernetes\.io\/|bootstrap\.kubernetes\.io\/|helm\.sh\/release)/;
/**
 * Keys of an object that only refers to a secret (`volumes[].secret: {secretName, items}`,
 * `projected.sources[].serviceAccountToken: {audience, path}`): such an object is walked, not hidden.
 */
const REFERENCE_KEYS = new Set([
  'name',
  'namespace',
  'secretName',
  'items',
  'optional',
  'defaultMode',
  'audience',
  'expirationSeconds',
  'path',
  'kind',
  'apiVersion',
  'uid',
]);
const REFERENCE_ANCHORS = ['name', 'secretName', 'audience', 'path'];

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object';
}

function isReference(value: unknown): boolean {
  if (!isObject(value) || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    keys.every((key) => REFERENCE_KEYS.has(key)) &&
    REFERENCE_ANCHORS.some((key) => typeof value[key] === 'string')
  );
}

function isKubeSecret(value: Obj): boolean {
  if (value.kind === 'Secret') return true;
  return (
    value.kind === undefined &&
    ('data' in value || 'stringData' in value) &&
    isObject(value.metadata) &&
    typeof value.type === 'string' &&
    SECRET_TYPE.test(value.type)
  );
}

function setKey(target: Obj, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function isLeaf(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Promise ||
    value instanceof WeakMap ||
    value instanceof WeakSet ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value)
  );
}

/**
 * A value under a credential key, hidden leaf by leaf: strings and numbers become REDACTED, booleans and
 * null stay, plain objects and arrays keep their keys and length. Keeping the shape keeps a tool's
 * `structuredContent` valid against its output schema (`credentials: {user, key}` is still an object).
 */
function hideLeaves(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value;
  if (depth > 32 || !isObject(value)) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => hideLeaves(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype || isLeaf(value)) return REDACTED;
  const copy: Obj = {};
  for (const key of Object.keys(value)) setKey(copy, key, hideLeaves(value[key], depth + 1));
  return copy;
}

class Redactor {
  private readonly seen = new Map<object, unknown>();
  constructor(private readonly allowSecrets: boolean) {}

  walk(value: unknown, secretItems = false): unknown {
    if (typeof value === 'string') return this.string(value);
    if (!isObject(value)) return value;
    if (this.seen.has(value)) return this.seen.get(value);
    if (isLeaf(value)) return value;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      this.seen.set(value, copy);
      for (const item of value) {
        copy.push(
          secretItems && isObject(item) && !Array.isArray(item) ? this.secret(item) : this.walk(item),
        );
      }
      return copy;
    }
    if (value instanceof Map) {
      const copy = new Map<unknown, unknown>();
      this.seen.set(value, copy);
      for (const [key, item] of value) {
        copy.set(key, typeof key === 'string' ? this.member(key, item) : this.walk(item));
      }
      return copy;
    }
    if (value instanceof Set) {
      const copy = new Set<unknown>();
      this.seen.set(value, copy);
      for (const item of value) copy.add(this.walk(item));
      return copy;
    }
    if (isKubeSecret(value)) return this.secret(value);
    return this.object(value);
  }

  /** A string: embedded JSON documents are redacted structurally, then the text rules apply. */
  private string(value: string): string {
    const trimmed = value.trim();
    if (
      trimmed.length > 1 &&
      trimmed.length < 5_000_000 &&
      ((trimmed.startsWith('{') && trimmed.endsWith('}')) ||
        (trimmed.startsWith('[') && trimmed.endsWith(']')))
    ) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        const before = JSON.stringify(parsed);
        const after = JSON.stringify(new Redactor(this.allowSecrets).walk(parsed));
        if (after !== before) return after;
      } catch {
        // not JSON: plain text rules below
      }
    }
    return redactText(value);
  }

  /** The value under a key: hidden when the key names a credential. */
  private member(key: string, value: unknown): unknown {
    if (!isSecretKey(key)) return this.walk(value);
    if (isReference(value)) return this.walk(value);
    return hideLeaves(value);
  }

  private object(value: Obj): Obj {
    const copy = this.shell(value);
    for (const key of Object.keys(value)) {
      if (value.kind === 'SecretList' && key === 'items') {
        setKey(copy, key, this.walk(value[key], true));
      } else {
        setKey(copy, key, this.member(key, value[key]));
      }
    }
    // {name: DB_PASSWORD, value: …} (container env, exec env, settings lists) and {key: …, value: …}
    const label =
      typeof value.name === 'string' ? value.name : typeof value.key === 'string' ? value.key : null;
    if (label !== null && 'value' in value && isSecretKey(label)) {
      const item = value.value;
      if (item !== null && item !== undefined && typeof item !== 'boolean') copy.value = REDACTED;
    }
    return copy;
  }

  /** A Kubernetes Secret: keys of data/stringData kept, values hidden unless allowSecrets. */
  private secret(value: Obj): Obj {
    const copy = this.shell(value);
    for (const key of Object.keys(value)) {
      const item = value[key];
      if ((key === 'data' || key === 'stringData') && item !== null && item !== undefined) {
        setKey(copy, key, this.secretData(item));
      } else {
        setKey(copy, key, this.member(key, item));
      }
    }
    const metadata = copy.metadata;
    if (isObject(metadata) && isObject(metadata.annotations) && LAST_APPLIED in metadata.annotations) {
      // It holds the whole Secret, data included.
      metadata.annotations = { ...metadata.annotations, [LAST_APPLIED]: REDACTED };
    }
    return copy;
  }

  private secretData(data: unknown): unknown {
    if (this.allowSecrets) return isObject(data) && !Array.isArray(data) ? { ...data } : data;
    if (!isObject(data) || Array.isArray(data)) return REDACTED;
    const copy: Obj = {};
    for (const key of Object.keys(data)) {
      const item = data[key];
      setKey(copy, key, item === null || item === undefined ? item : REDACTED);
    }
    return copy;
  }

  /** An empty copy with the same prototype (class instances stay instances; Errors keep message/stack). */
  private shell(value: Obj): Obj {
    const proto = Object.getPrototypeOf(value) as object | null;
    const copy: Obj = proto === Object.prototype ? {} : Object.create(proto);
    this.seen.set(value, copy);
    if (value instanceof Error) {
      for (const key of ['message', 'stack'] as const) {
        if (typeof value[key] === 'string') {
          Object.defineProperty(copy, key, {
            value: redactText(value[key]),
            enumerable: false,
            writable: true,
            configurable: true,
          });
        }
      }
      if ('cause' in value && !Object.keys(value).includes('cause')) {
        Object.defineProperty(copy, 'cause', {
          value: this.walk(value.cause),
          enumerable: false,
          writable: true,
          configurable: true,
        });
      }
    }
    return copy;
  }
}

/**
 * Deep copy of `value` with every secret replaced by {@link REDACTED}. Never mutates its input; safe with
 * cycles and shared references (the copy has the same shape).
 *
 * - A value under a credential key (see {@link isSecretKey}) is hidden: strings and numbers become REDACTED,
 *   booleans (`passwordenabled: true` style flags) and null/undefined stay, plain objects and arrays keep
 *   their shape with every leaf hidden; objects that only refer to a secret (`secret: {secretName: …}` in a
 *   pod volume) are kept.
 * - `{name, value}` / `{key, value}` pairs whose name is a credential (`env: [{name: DB_PASSWORD, value}]`).
 * - Kubernetes Secrets (`kind: Secret`, items of a `SecretList`, or an object with a Secret `type` and
 *   `data`/`stringData`): every value of `data`/`stringData` hidden, keys kept, unless `allowSecrets`; the
 *   `kubectl.kubernetes.io/last-applied-configuration` annotation hidden always.
 * - Every string goes through {@link redactText}; a string holding a JSON document is redacted structurally.
 */
export function redact<T>(value: T, opts: RedactOptions = {}): T {
  return new Redactor(opts.allowSecrets === true).walk(value) as T;
}
