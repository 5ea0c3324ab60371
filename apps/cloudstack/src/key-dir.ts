import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  reserveSecretFile,
  SECRET_FILE_NAME,
  type SecretDir,
  type SecretDirWords,
  type SecretFile,
  secretDirFrom,
  secretFileName,
} from '@cloudmcp/toolkit';

// Where ssh_key_create may save private keys: the toolkit's secret directory (one directory the operator
// chose, or the stdio default; a model names a file in it, never a path), in CloudStack's words.

export type KeyDir = SecretDir;
export type KeyFile = SecretFile;
export const KEY_FILE_NAME = SECRET_FILE_NAME;
export const keyFileName = secretFileName;

const WORDS: SecretDirWords = {
  directory: 'SSH key directory',
  flag: '--ssh-key-dir',
  argument: 'private_key_file',
  undone: 'created',
  off: {
    what: 'Saving private keys',
    next:
      'Make a key pair yourself (ssh-keygen) and register its public key with `ssh_key_register`, ' +
      'or ask the operator to start the server with --ssh-key-dir DIR.',
  },
};

/** The stdio default when no --ssh-key-dir is set. */
export function defaultKeyDir(home: string = homedir()): string {
  return join(home, '.ssh', 'cloudmcp');
}

/** --ssh-key-dir when set; otherwise the default over stdio, and nothing over HTTP. */
export function keyDirFrom(config: { sshKeyDir?: string | undefined; http?: unknown }): KeyDir {
  return secretDirFrom(config.sshKeyDir, config.http, defaultKeyDir());
}

/** Creates `name` in the key directory exclusively (0600), never following a link and never overwriting. */
export function reserveKeyFile(dir: KeyDir, name: string): Promise<KeyFile> {
  return reserveSecretFile(dir, name, WORDS);
}
