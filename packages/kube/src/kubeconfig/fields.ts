/**
 * Checks of single values of a kubeconfig from outside. Each returns the value to keep (canonical form) or
 * throws `UntrustedKubeconfigError` naming the field, never the value.
 */
import { UntrustedKubeconfigError } from './errors.js';

const fail = (path: string, problem: string): never => {
  throw new UntrustedKubeconfigError(`${path} ${problem}`);
};

function string(value: unknown, path: string): string {
  return typeof value === 'string' ? value : fail(path, 'must be a string');
}

/** Control, format (zero-width, bidi), private-use, unassigned characters and line/paragraph separators. */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;
const MAX_NAME = 253;

/** A cluster, user or context name (or a reference to one): printable, non-empty, bounded. */
export function name(value: unknown, path: string): string {
  const text = string(value, path);
  if (text === '') fail(path, 'is empty');
  if (text.length > MAX_NAME) fail(path, `is longer than ${MAX_NAME} characters`);
  if (UNPRINTABLE.test(text)) fail(path, 'holds control or invisible characters');
  return text;
}

/**
 * A cluster's API server: an absolute http(s) URL without userinfo, query or fragment, returned in the
 * WHATWG-normalised form (a numeric host such as `0x7f.1` becomes the address every reader agrees on).
 */
export function server(value: unknown, path: string): string {
  const text = string(value, path);
  if (!/^https?:\/\//i.test(text)) fail(path, 'must be an http:// or https:// URL');
  if (/[\s\\@?#]/.test(text) || UNPRINTABLE.test(text)) {
    fail(path, 'must be a plain URL (no spaces, backslashes, user info, query or fragment)');
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(path, 'is not a valid URL');
  }
  if (url.hostname === '') fail(path, 'has no host');
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

/** `certificate-authority-data` or `client-certificate-data`: base64 of one or more PEM certificates. */
export function certificatesData(value: unknown, path: string): string {
  return pemData(value, path, ['CERTIFICATE'], 'certificates');
}

/** `client-key-data`: base64 of one PEM private key. */
export function keyData(value: unknown, path: string): string {
  return pemData(value, path, ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'], 'a private key', 1);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function pemData(value: unknown, path: string, labels: string[], what: string, exactly?: number): string {
  const text = string(value, path);
  if (!BASE64.test(text) || text.length % 4 !== 0) fail(path, 'is not base64');
  const bytes = Buffer.from(text, 'base64');
  // A canonical encoding only: every reader (Go, js) then decodes the same bytes.
  if (bytes.toString('base64') !== text) fail(path, 'is not canonical base64');
  const found = pemLabels(bytes.toString('latin1'));
  if (!found || found.length === 0 || found.some((label) => !labels.includes(label))) {
    fail(path, `is not base64 of PEM ${what}`);
  }
  if (exactly !== undefined && found!.length !== exactly) fail(path, `must hold exactly one PEM block`);
  return text;
}

/**
 * The labels of the PEM blocks of `text`, or undefined when it is anything but PEM blocks (base64 lines
 * between matching BEGIN/END lines) and blank lines: no headers, no text around them.
 */
function pemLabels(text: string): string[] | undefined {
  const labels: string[] = [];
  let open: string | undefined;
  let body = 0;
  for (const line of text.split(/\r?\n/)) {
    if (open === undefined) {
      if (line === '') continue;
      const begin = /^-----BEGIN ([A-Z0-9 ]{1,40})-----$/.exec(line);
      if (!begin) return undefined;
      open = begin[1]!;
      body = 0;
    } else if (line === `-----END ${open}-----`) {
      if (body === 0) return undefined;
      labels.push(open);
      open = undefined;
    } else if (/^[A-Za-z0-9+/]+={0,2}$/.test(line)) {
      body++;
    } else {
      return undefined;
    }
  }
  return open === undefined ? labels : undefined;
}

const MAX_TOKEN = 16 * 1024;

/** A bearer token: printable ASCII without whitespace (a newline would split the Authorization header). */
export function token(value: unknown, path: string): string {
  const text = string(value, path);
  if (text === '') fail(path, 'is empty');
  if (text.length > MAX_TOKEN) fail(path, `is longer than ${MAX_TOKEN} characters`);
  if (!/^[\x21-\x7e]+$/.test(text)) fail(path, 'must be printable ASCII without spaces or line breaks');
  return text;
}

/** `tls-server-name`: a DNS name. */
export function tlsServerName(value: unknown, path: string): string {
  const text = string(value, path);
  const labels = text.split('.');
  const ok =
    text.length <= 253 && labels.every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
  return ok ? text : fail(path, 'must be a DNS name');
}

/** A context's `namespace`: a DNS label, as Kubernetes requires. */
export function namespace(value: unknown, path: string): string {
  const text = string(value, path);
  return /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(text) ? text : fail(path, 'must be a DNS label');
}
