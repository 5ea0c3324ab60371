import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { CachedToken } from '../src/index.js';

const made: string[] = [];

/** A fresh directory under the OS temp dir, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'auth-cache-test-'));
  made.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

export const HOUR = 3_600_000;
export const isRoot = process.getuid?.() === 0;
export const posix = process.platform !== 'win32';

/** A fetch that counts its calls and hands out tok-1, tok-2 … */
export function counter(expiresAt: () => number = () => Date.now() + HOUR, data?: CachedToken['data']) {
  const fetch = async (): Promise<CachedToken> => {
    fetch.calls += 1;
    return { token: `tok-${fetch.calls}`, expiresAt: expiresAt(), ...(data ? { data } : {}) };
  };
  fetch.calls = 0;
  return fetch;
}

/** A promise with its resolve/reject outside. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Every path below `dir` (files, dirs, symlinks), relative to it. */
export async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    out.push(join(entry.parentPath, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

/** The files below `dir` whose name or content contains `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    const rel = path.slice(dir.length + 1);
    if (rel.includes(needle)) hits.push(rel);
    else if (entry.isFile() && (await readFile(path)).includes(needle)) hits.push(rel);
  }
  return hits.sort();
}

/** A unsigned JWT-shaped string with the given payload. */
export function makeJwt(payload: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}.c2lnbmF0dXJl`;
}
