/** PromQL tokens, as Prometheus' lexer (promql/parser/lex.go) cuts them. */
import { PromError } from './ast.js';

export type TokenType = 'ident' | 'number' | 'duration' | 'string' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  /** The source text (for strings: the decoded value). */
  text: string;
  /** Offset in the query. */
  pos: number;
}

/** `1:5: parse error: …`: Prometheus reports positions as line:column (1-based). */
export function parseError(query: string, pos: number, message: string): PromError {
  const before = query.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return new PromError('bad_data', `${line}:${col}: parse error: ${message}`);
}

const PUNCT = [
  '==',
  '!=',
  '=~',
  '!~',
  '>=',
  '<=',
  '=',
  '>',
  '<',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ',',
];
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const DURATION_UNITS_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** model.ParseDuration: `1h30m`, `5m`, `500ms` (units in descending order, each at most once). */
export function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m || text === '') return undefined;
  let ms = 0;
  DURATION_UNITS_MS.forEach((unit, i) => {
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * unit;
  });
  return ms;
}

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (pos: number, message: string): never => {
    throw parseError(query, pos, message);
  };
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < query.length && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    // a leading colon starts a name (`:recorded`), not a subquery's `[5m:1m]` step
    if (/[a-zA-Z_]/.test(ch) || (ch === ':' && /[a-zA-Z_:]/.test(query[i + 1] ?? ''))) {
      while (i < query.length && /[a-zA-Z0-9_:]/.test(query[i]!)) i++;
      const text = query.slice(start, i);
      const lower = text.toLowerCase();
      tokens.push({ type: lower === 'inf' || lower === 'nan' ? 'number' : 'ident', text, pos: start });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(query[i + 1] ?? ''))) {
      const hex = /^0[xX][0-9a-fA-F]+/.exec(query.slice(i));
      if (hex) {
        i += hex[0].length;
        tokens.push({ type: 'number', text: hex[0], pos: start });
        continue;
      }
      const num = /^(?:[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)/.exec(query.slice(i))!;
      const rest = query.slice(i + num[0].length);
      if (/^[0-9]*[smhdwy]/.test(rest) && /^[0-9]+$/.test(num[0])) {
        const dur = /^[0-9smhdwy]+/.exec(query.slice(i))![0];
        i += dur.length;
        if (durationMs(dur) === undefined) fail(start, `bad duration syntax: "${dur}"`);
        tokens.push({ type: 'duration', text: dur, pos: start });
        continue;
      }
      i += num[0].length;
      if (/^[a-zA-Z_]/.test(rest)) fail(start, `bad number or duration syntax: "${num[0]}${rest[0]}"`);
      tokens.push({ type: 'number', text: num[0], pos: start });
      continue;
    }
    if (ch === '"' || ch === "'") {
      const [value, end] = quoted(query, i, fail);
      tokens.push({ type: 'string', text: value, pos: start });
      i = end;
      continue;
    }
    if (ch === '`') {
      const end = query.indexOf('`', i + 1);
      if (end < 0) fail(start, 'unterminated raw string');
      tokens.push({ type: 'string', text: query.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    const p = PUNCT.find((op) => query.startsWith(op, i));
    if (!p) {
      if (ch === '@' || ch === ':') {
        tokens.push({ type: 'punct', text: ch, pos: start });
        i++;
        continue;
      }
      fail(start, `unexpected character: ${JSON.stringify(ch)}`);
    }
    tokens.push({ type: 'punct', text: p!, pos: start });
    i += p!.length;
  }
  tokens.push({ type: 'eof', text: '', pos: query.length });
  return tokens;
}

/** A quoted string with Go's escapes; returns the value and the offset after the closing quote. */
function quoted(query: string, at: number, fail: (pos: number, message: string) => never): [string, number] {
  const quote = query[at]!;
  let out = '';
  let i = at + 1;
  while (i < query.length && query[i] !== quote) {
    const c = query[i]!;
    if (c === '\n') fail(at, 'unterminated quoted string');
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = query[i + 1] ?? '';
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
      continue;
    }
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex > 0) {
      const digits = query.slice(i + 2, i + 2 + hex);
      if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) fail(i, 'invalid escape sequence in string');
      out += String.fromCodePoint(Number.parseInt(digits, 16));
      i += 2 + hex;
      continue;
    }
    const octal = query.slice(i + 1, i + 4);
    if (/^[0-7]{3}$/.test(octal)) {
      out += String.fromCharCode(Number.parseInt(octal, 8));
      i += 4;
      continue;
    }
    fail(i, `unknown escape sequence ${JSON.stringify(`\\${e}`)}`);
  }
  if (i >= query.length) fail(at, 'unterminated quoted string');
  return [out, i + 1];
}
