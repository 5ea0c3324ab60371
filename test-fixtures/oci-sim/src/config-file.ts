/** `~/.oci/config`-style profiles and key files for the simulator's users, as the SDK and CLI read them. */

import { createPublicKey } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encryptPrivateKey, fingerprintOf } from './keys.js';
import type { Sessions } from './sessions.js';
import type { ApiKeyUser, SimUser, WriteConfigOptions, WrittenConfig } from './types.js';

export interface ConfigSource {
  tenancyId: string;
  region: string;
  users: Record<SimUser, ApiKeyUser>;
  sessions: Sessions;
}

function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The file's text with section `[profile]` replaced (or appended), other profiles kept as they were. */
function withProfile(existing: string, profile: string, lines: string[]): string {
  const kept: string[] = [];
  let skipping = false;
  for (const line of existing.split('\n')) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(line);
    if (section) skipping = section[1] === profile;
    if (!skipping) kept.push(line);
  }
  const head = kept.join('\n').trim();
  return `${head ? `${head}\n\n` : ''}[${profile}]\n${lines.join('\n')}\n`;
}

/**
 * Writes (or updates) `<dir>/config` with one profile and the files it points at, all mode 0600:
 * an API key profile (`user`, `fingerprint`, `key_file`, `tenancy`, `region`, `pass_phrase`) or a security
 * token profile like `oci session authenticate` writes (`security_token_file` and the session key).
 */
export function writeConfig(source: ConfigSource, dir: string, opts: WriteConfigOptions): WrittenConfig {
  const profile = opts.profile ?? 'DEFAULT';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(profile)) throw new Error(`invalid profile name "${profile}"`);
  if (opts.auth !== 'api_key' && opts.auth !== 'security_token')
    throw new Error('auth must be api_key or security_token');
  const user = source.users[opts.user ?? 'admin'];
  if (!user) throw new Error('user must be admin or reader');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const configFile = join(dir, 'config');
  const lines: string[] = [];
  let keyFile: string;
  let tokenFile: string | undefined;
  let privateKeyPem: string;
  if (opts.auth === 'api_key') {
    keyFile = join(dir, `${profile}_api_key.pem`);
    privateKeyPem = user.privateKeyPem;
    lines.push(`user=${user.userId}`, `fingerprint=${user.fingerprint}`);
  } else {
    const sessionDir = join(dir, 'sessions', profile);
    mkdirSync(sessionDir, { recursive: true, mode: 0o700 });
    const session = source.sessions.create(user.userId, opts.ttlMs);
    keyFile = join(sessionDir, 'oci_api_key.pem');
    tokenFile = join(sessionDir, 'token');
    privateKeyPem = session.privateKeyPem;
    writePrivate(tokenFile, session.token);
    lines.push(`fingerprint=${fingerprintOf(createPublicKey(session.publicKeyPem))}`);
  }
  writePrivate(keyFile, opts.passphrase ? encryptPrivateKey(privateKeyPem, opts.passphrase) : privateKeyPem);
  lines.push(`key_file=${keyFile}`, `tenancy=${source.tenancyId}`, `region=${opts.region ?? source.region}`);
  if (opts.passphrase) lines.push(`pass_phrase=${opts.passphrase}`);
  if (tokenFile) lines.push(`security_token_file=${tokenFile}`);
  const existing = existsSync(configFile) ? readFileSync(configFile, 'utf8') : '';
  writePrivate(configFile, withProfile(existing, profile, lines));
  return tokenFile ? { configFile, keyFile, tokenFile } : { configFile, keyFile };
}
