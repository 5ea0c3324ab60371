import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '@cloudmcp/toolkit';
import { parse as parseYaml } from 'yaml';
import type { KubeconfigDocument } from '../targets.js';

/** The user's kubeconfig, merged from its files and held in memory. */
export interface UserKubeconfig {
  /** The merged document, file references made absolute; undefined when no file was found. */
  doc: KubeconfigDocument | undefined;
  /** The files read, in order. */
  files: string[];
  /** Listed files that do not exist (skipped, as kubectl does). */
  missing: string[];
}

type Named = { name: string; [key: string]: unknown };

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/** First line of a parse error, without the source excerpt the yaml library appends. */
function parseProblem(error: unknown): string {
  const first = ((error as Error).message ?? String(error)).split('\n')[0]!;
  return first.replace(/:\s*$/, '');
}

function asMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function namedList(value: unknown): Named[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is Named => asMapping(v) && typeof v['name'] === 'string' && v['name'] !== '');
}

const CLUSTER_FILES = ['certificate-authority'];
const USER_FILES = ['client-certificate', 'client-key', 'tokenFile'];

/** Relative file references resolve against the kubeconfig's own directory, as kubectl does. */
function absolutize(item: Named, key: 'cluster' | 'user', dir: string): Named {
  const body = item[key];
  if (!asMapping(body)) return item;
  const copy: Record<string, unknown> = { ...body };
  for (const field of key === 'cluster' ? CLUSTER_FILES : USER_FILES) {
    const value = copy[field];
    if (typeof value === 'string' && value !== '' && !isAbsolute(value)) copy[field] = resolve(dir, value);
  }
  const exec = copy['exec'];
  if (key === 'user' && asMapping(exec) && typeof exec['command'] === 'string') {
    const command = exec['command'];
    // kubectl: a command with a path separator is relative to the kubeconfig; a bare name is looked up on PATH
    if (command.includes('/') && !isAbsolute(command)) {
      copy['exec'] = { ...exec, command: resolve(dir, command) };
    }
  }
  return { ...item, [key]: copy };
}

/**
 * Reads the user's kubeconfig files (`--kubeconfig` / `KUBECONFIG`, several joined by the path delimiter,
 * default `~/.kube/config`) and merges them the way kubectl does: for contexts, clusters and users the first
 * file naming one wins; the first non-empty `current-context` wins. Missing files are skipped; when every
 * listed file is missing, that is a configuration error (a default that does not exist is not).
 */
export function loadUserKubeconfig(value: string | undefined, home: string = homedir()): UserKubeconfig {
  const listed = (value ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => resolve(expandHome(p, home)));
  const explicit = listed.length > 0;
  const candidates = explicit ? [...new Set(listed)] : [join(home, '.kube', 'config')];
  const files = candidates.filter((file) => existsSync(file));
  const missing = candidates.filter((file) => !files.includes(file));
  if (files.length === 0) {
    if (explicit) {
      throw new ConfigError(`--kubeconfig (KUBECONFIG): no such file: ${missing.join(', ')}`);
    }
    return { doc: undefined, files, missing };
  }
  const clusters = new Map<string, Named>();
  const users = new Map<string, Named>();
  const contexts = new Map<string, Named>();
  let current: string | undefined;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`--kubeconfig (KUBECONFIG): cannot read ${file} (${code})`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new ConfigError(`--kubeconfig (KUBECONFIG): ${file} is not valid YAML: ${parseProblem(error)}`);
    }
    if (parsed === null || parsed === undefined) continue; // an empty file, as kubectl allows
    if (!asMapping(parsed)) {
      throw new ConfigError(`--kubeconfig (KUBECONFIG): ${file} is not a kubeconfig (not a YAML mapping)`);
    }
    const dir = dirname(file);
    for (const c of namedList(parsed['clusters'])) {
      if (!clusters.has(c.name)) clusters.set(c.name, absolutize(c, 'cluster', dir));
    }
    for (const u of namedList(parsed['users'])) {
      if (!users.has(u.name)) users.set(u.name, absolutize(u, 'user', dir));
    }
    for (const c of namedList(parsed['contexts'])) if (!contexts.has(c.name)) contexts.set(c.name, c);
    const cc = parsed['current-context'];
    if (current === undefined && typeof cc === 'string' && cc !== '') current = cc;
  }
  const doc: KubeconfigDocument = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [...clusters.values()] as KubeconfigDocument['clusters'],
    users: [...users.values()] as KubeconfigDocument['users'],
    contexts: [...contexts.values()] as KubeconfigDocument['contexts'],
    ...(current ? { 'current-context': current } : {}),
  };
  return { doc, files, missing };
}

/** Context names of a kubeconfig, in order. */
export function contextNames(doc: KubeconfigDocument): string[] {
  return namedList(doc.contexts).map((c) => c.name);
}

/**
 * Checks a context the operator named (`--context`) against the kubeconfig: a ConfigError naming `option`
 * and the contexts there are, when it has none of that name.
 */
export function checkContext(doc: KubeconfigDocument | undefined, context: string, option: string): void {
  const names = doc ? contextNames(doc) : [];
  if (names.includes(context)) return;
  throw new ConfigError(
    `${option}: no context "${context}" in the kubeconfig` +
      (names.length ? `; contexts: ${names.slice(0, 20).join(', ')}` : ''),
  );
}
