import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheKey } from '../src/index.js';
import { filesContaining, tempDir, walk } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/refresh.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => {
      stdout += b;
    });
    child.stderr.on('data', (b) => {
      stderr += b;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('two processes refreshing at once', () => {
  beforeAll(() => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` before the tests`);
  });

  it('fetch once between them and share the token', async () => {
    const work = await tempDir();
    const cacheDir = join(work, 'cache');
    const credential = 'cldkctl-LONG-LIVED-credential-9f8e7d';
    const names = ['a', 'b'];
    const runs = names.map((name) => run([cacheDir, work, credential, name]));
    await until(() => names.every((n) => existsSync(join(work, `ready-${n}`))), 'both processes to be ready');
    await writeFile(join(work, 'go'), '');
    const outcomes = await Promise.all(runs);

    for (const o of outcomes) {
      expect(o.stderr).toBe('');
      expect(o.code).toBe(0);
    }
    const results = outcomes.map((o) => JSON.parse(o.stdout.trim()));
    const counter = (await readFile(join(work, 'counter'), 'utf8')).trim().split('\n');
    expect(counter).toHaveLength(1);
    expect(results.filter((r) => r.fetched)).toHaveLength(1);
    expect(counter[0]?.split(' ')[0]).toBe(results.find((r) => r.fetched).name);

    const [first, second] = results;
    expect(first.token).toMatch(/^jwt-[0-9a-f-]{36}$/);
    expect(second.token).toBe(first.token);
    expect(second.data).toEqual({ user: 'alice' });

    // The token lives in the cache file and nowhere else; the credential nowhere at all; no lock or temp left.
    const key = cacheKey('cloudeka', 'https://ai.cloudeka.id', credential);
    expect(await filesContaining(work, first.token)).toEqual([`cache/cloudeka/${key}.json`]);
    expect(await filesContaining(work, credential)).toEqual([]);
    expect(await walk(cacheDir)).toEqual(['cloudeka', `cloudeka/${key}.json`]);
  });
});
