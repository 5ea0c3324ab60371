/**
 * Rebuilds a kubeconfig from outside out of an allowlist of fields. Nothing of the given object is passed
 * on: a new document is built from the fields below, in canonical form, and anything else is refused with
 * its path, so a field one reader would honour (an exec plugin, a file reference, a proxy) cannot slip
 * through to another.
 */
import type { KubeconfigDocument } from '../targets.js';
import { UntrustedKubeconfigError } from './errors.js';
import * as check from './fields.js';
import { childPath, itemPath } from './paths.js';

/** The fields accepted, per level: `entries` maps each list to the key its items carry the body under. */
const TOP = ['apiVersion', 'kind', 'clusters', 'users', 'contexts', 'current-context', 'preferences'];
const ENTRIES = { clusters: 'cluster', users: 'user', contexts: 'context' } as const;
const BODY: Record<(typeof ENTRIES)[keyof typeof ENTRIES], string[]> = {
  cluster: ['server', 'certificate-authority-data', 'tls-server-name'],
  user: ['token', 'client-certificate-data', 'client-key-data'],
  context: ['cluster', 'user', 'namespace'],
};

/** Why a well-known field is refused, for the message. */
const WHY: Record<string, string> = {
  exec: 'exec plugins would run commands on this server',
  'auth-provider': 'auth providers would run commands or fetch tokens from this server',
  tokenFile: 'file references would read files on this server',
  'token-file': 'file references would read files on this server',
  'client-certificate': 'file references would read files on this server',
  'client-key': 'file references would read files on this server',
  'certificate-authority': 'file references would read files on this server',
  'proxy-url': 'proxies would send requests elsewhere',
  'insecure-skip-tls-verify': "the server's certificate is always verified",
  username: 'basic authentication is not accepted; use a token or a client certificate',
  password: 'basic authentication is not accepted; use a token or a client certificate',
};

type Mapping = Record<string, unknown>;
type Section = keyof typeof ENTRIES;
const SECTIONS = Object.keys(ENTRIES) as Section[];

function fail(message: string): never {
  throw new UntrustedKubeconfigError(message);
}

function isMapping(value: unknown): value is Mapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function mapping(value: unknown, path: string, nullIsEmpty: boolean): Mapping {
  if ((value === null || value === undefined) && nullIsEmpty) return {};
  return isMapping(value) ? value : fail(`${path} must be a mapping`);
}

function list(value: unknown, path: string): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : fail(`${path} must be a list`);
}

/** Fields accepted (and dropped) only with their default value: client-node's `exportConfig` writes them. */
const DEFAULTS: Record<string, unknown> = { 'insecure-skip-tls-verify': false };

function onlyKeys(value: Mapping, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key) || (Object.hasOwn(DEFAULTS, key) && value[key] === DEFAULTS[key])) continue;
    const why = Object.hasOwn(WHY, key) ? WHY[key] : undefined;
    fail(`${childPath(path, key)} is not accepted here${why ? ` (${why})` : ''}`);
  }
}

/** First pass: every key at every level is one of the allowlist's, before any value is looked at. */
function checkShape(root: Mapping): void {
  onlyKeys(root, TOP, '');
  for (const section of SECTIONS) {
    const bodyKey = ENTRIES[section];
    list(root[section], section).forEach((item, index) => {
      const at = itemPath(section, index);
      const entry = mapping(item, at, false);
      onlyKeys(entry, ['name', bodyKey], at);
      onlyKeys(mapping(entry[bodyKey], `${at}.${bodyKey}`, true), BODY[bodyKey], `${at}.${bodyKey}`);
    });
  }
}

type Cluster = { server: string; 'certificate-authority-data'?: string; 'tls-server-name'?: string };
type User = { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string };
type Context = { cluster: string; user: string; namespace?: string };

/** Each item of a section as `{ name, body }`, names unique. */
function entries(root: Mapping, section: Section): Array<{ name: string; body: Mapping; at: string }> {
  const bodyKey = ENTRIES[section];
  const seen = new Map<string, string>();
  return list(root[section], section).map((item, index) => {
    const at = itemPath(section, index);
    const entry = item as Mapping;
    const name = check.name(entry['name'], `${at}.name`);
    const first = seen.get(name);
    if (first !== undefined) fail(`${at}.name repeats ${first}.name`);
    seen.set(name, at);
    return { name, body: mapping(entry[bodyKey], `${at}.${bodyKey}`, true), at: `${at}.${bodyKey}` };
  });
}

/** Copies `key` through `validate` when it is present (null counts as absent). */
function optional<T>(body: Mapping, key: string, at: string, validate: (v: unknown, p: string) => T) {
  const value = body[key];
  return value === undefined || value === null ? {} : { [key]: validate(value, `${at}.${key}`) };
}

/**
 * Builds a new kubeconfig from an already parsed object (YAML or JSON from outside, an upstream answer)
 * through the allowlist: `apiVersion` (v1), `kind` (Config), `clusters` (`server`,
 * `certificate-authority-data`, `tls-server-name`), `users` (`token`, `client-certificate-data`,
 * `client-key-data`), `contexts` (`cluster`, `user`, `namespace`), `current-context`, and an empty
 * `preferences` (dropped). Throws `UntrustedKubeconfigError` naming the first field it refuses.
 */
export function rebuildKubeconfig(parsed: unknown): KubeconfigDocument {
  const root = isMapping(parsed) ? parsed : fail('it is not a kubeconfig (not a mapping)');
  checkShape(root);
  if (root['apiVersion'] !== undefined && root['apiVersion'] !== 'v1') fail('apiVersion must be v1');
  if (root['kind'] !== undefined && root['kind'] !== 'Config') fail('kind must be Config');
  const preferences = root['preferences'];
  if (preferences !== undefined && !(isMapping(preferences) && Object.keys(preferences).length === 0)) {
    fail('preferences must be empty');
  }

  const clusters = entries(root, 'clusters').map(({ name, body, at }) => {
    if (body['server'] === undefined) fail(`${at}.server is missing`);
    const cluster: Cluster = {
      server: check.server(body['server'], `${at}.server`),
      ...optional(body, 'certificate-authority-data', at, check.certificatesData),
      ...optional(body, 'tls-server-name', at, check.tlsServerName),
    };
    return { name, cluster };
  });
  const users = entries(root, 'users').map(({ name, body, at }) => {
    const user: User = {
      ...optional(body, 'token', at, check.token),
      ...optional(body, 'client-certificate-data', at, check.certificatesData),
      ...optional(body, 'client-key-data', at, check.keyData),
    };
    if ('client-certificate-data' in user !== 'client-key-data' in user) {
      fail(`${at} needs both client-certificate-data and client-key-data`);
    }
    return { name, user };
  });
  const clusterNames = new Set(clusters.map((c) => c.name));
  const userNames = new Set(users.map((u) => u.name));
  const contexts = entries(root, 'contexts').map(({ name, body, at }) => {
    const context: Context = {
      cluster: check.name(body['cluster'], `${at}.cluster`),
      user: check.name(body['user'], `${at}.user`),
      ...optional(body, 'namespace', at, check.namespace),
    };
    if (!clusterNames.has(context.cluster)) fail(`${at}.cluster names no cluster in clusters`);
    if (!userNames.has(context.user)) fail(`${at}.user names no user in users`);
    return { name, context };
  });
  if (contexts.length === 0) fail('it has no contexts');

  const current = root['current-context'];
  const doc: KubeconfigDocument = { apiVersion: 'v1', kind: 'Config', clusters, users, contexts };
  if (current !== undefined && current !== null && current !== '') {
    const name = check.name(current, 'current-context');
    if (!contexts.some((c) => c.name === name)) fail('current-context names no context in contexts');
    doc['current-context'] = name;
  }
  return doc;
}
