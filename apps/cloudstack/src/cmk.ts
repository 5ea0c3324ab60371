import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The fields of a CloudMonkey (`cmk`) profile that this server understands. */
export interface CmkProfile {
  url?: string;
  apikey?: string;
  secretkey?: string;
  username?: string;
  password?: string;
  domain?: string;
  timeout?: string;
}

export function defaultCmkConfigPath(): string {
  return join(homedir(), '.cmk', 'config');
}

/** Parses CloudMonkey's INI config and returns one profile's section; throws a plain message when absent. */
export function readCmkProfile(path: string, profile: string): CmkProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read CloudMonkey config ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = {};
      sections.set(header[1]!.trim(), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  const section = sections.get(profile);
  if (!section) {
    const names = [...sections.keys()].filter((n) => n !== 'core');
    throw new Error(`no profile "${profile}" in ${path} (profiles: ${names.join(', ') || 'none'})`);
  }
  const pick = (k: string) => (section[k] ? { [k]: section[k] } : {});
  return {
    ...pick('url'),
    ...pick('apikey'),
    ...pick('secretkey'),
    ...pick('username'),
    ...pick('password'),
    ...pick('domain'),
    ...pick('timeout'),
  };
}
