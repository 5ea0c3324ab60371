import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  reserveSecretFile,
  type SecretDir,
  type SecretDirWords,
  type SecretFile,
  secretDirFrom,
  secretFileName,
} from '@cloudmcp/toolkit';

// Where token_regenerate saves a new cldkctl token: the toolkit's secret directory (one directory the
// operator chose with --token-dir, or over stdio a default; a model names a file in it, never a path), as
// CloudStack's ssh_key_create saves private keys.

export type TokenDir = SecretDir;
export type TokenFile = SecretFile;
export const tokenFileName = secretFileName;

const WORDS: SecretDirWords = {
  directory: 'token directory',
  flag: '--token-dir',
  argument: 'token_file',
  undone: 'regenerated',
  off: {
    what: 'Saving new tokens',
    next:
      'Regenerate the token in the portal (profile → API → Token), which shows the new value once, or ' +
      'ask the operator to start the server with --token-dir DIR.',
  },
};

/** The stdio default when no --token-dir is set. */
export function defaultTokenDir(home: string = homedir()): string {
  return join(home, '.cldkctl', 'cloudmcp');
}

/** --token-dir when set; otherwise the default over stdio, and nothing over HTTP. */
export function tokenDirFrom(config: { tokenDir?: string | undefined; http?: unknown }): TokenDir {
  return secretDirFrom(config.tokenDir, config.http, defaultTokenDir(), true);
}

/** Creates `name` in the token directory exclusively (0600), never following a link and never overwriting. */
export function reserveTokenFile(dir: TokenDir, name: string): Promise<TokenFile> {
  return reserveSecretFile(dir, name, WORDS);
}
