/**
 * The lean credentials path (src/auth/) against hostile file contents of a trusted kubeconfig: a token file
 * that holds something else (a private key, a line break, control characters) or a key file that is not a
 * key is refused with the file's path and a reason, never with what the file holds, and nothing is sent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanMaterial } from '../src/auth/lean.js';
import { kubeFetch } from '../src/transport.js';

const SECRET = 'S3CRET-MATERIAL-do-not-echo';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-lean-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

const cluster = { server: 'https://127.0.0.1:9' };

describe('hostile kubeconfig file contents on the lean path', () => {
  it('a token file holding something other than one token is refused without its content', async () => {
    for (const [name, content] of [
      ['two-lines', `${SECRET}\nImpersonate-User: system:admin`],
      ['control', `${SECRET}\u0000`],
      ['key', `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`],
      ['unicode', `${SECRET}\u00e9`],
    ] as const) {
      const material = leanMaterial(cluster, { tokenFile: file(name, content) })!;
      const error = (await material().catch((e: unknown) => e)) as Error;
      expect(error, name).toBeInstanceOf(Error);
      expect(error.message, name).toMatch(/does not hold a token/);
      expect(error.message, name).toContain(join(dir, name));
      expect(error.message, name).not.toContain(SECRET);
    }
  });

  it('a client key or certificate that is not one fails before connecting, without its content', async () => {
    const material = leanMaterial(cluster, {
      'client-certificate': file(
        'cert',
        `-----BEGIN CERTIFICATE-----\n${SECRET}\n-----END CERTIFICATE-----\n`,
      ),
      'client-key': file('key.pem', `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`),
      token: `tok-${SECRET}`,
    })!;
    const { tls } = await material();
    const transport = kubeFetch(() => ({ tls }));
    try {
      const error = (await transport.fetch('https://127.0.0.1:9/api').catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(`${error.message} ${String(error.stack)}`).not.toContain(SECRET);
    } finally {
      transport.close();
    }
  });
});
