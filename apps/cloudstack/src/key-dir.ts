import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { badInput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';

// Where ssh_key_create may save private keys: one directory the operator chose (or the stdio default).
// A model only ever names a file in it, never a path, so nothing it sends can write elsewhere or learn
// what exists outside that directory.

/** The directory private keys are saved in. */
export interface KeyDir {
  /** Absolute path; undefined when saving keys is off (over HTTP without --ssh-key-dir). */
  path?: string;
  /** True only for the stdio default, which we create (0700) on first use; we create no other directory. */
  create: boolean;
}

/** A file name only: no separator, no leading dot or dash (so never `.`/`..`), ASCII, bounded. */
export const KEY_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

const NOT_A_FILE_NAME =
  'must be a file name, not a path: letters, digits, ".", "_" and "-", up to 100 characters, not starting with "." or "-"';

export const keyFileName = z.string().max(100).regex(KEY_FILE_NAME, NOT_A_FILE_NAME);

/** The stdio default when no --ssh-key-dir is set. */
export function defaultKeyDir(home: string = homedir()): string {
  return join(home, '.ssh', 'cloudmcp');
}

/** --ssh-key-dir when set; otherwise the default over stdio, and nothing over HTTP. */
export function keyDirFrom(config: { sshKeyDir?: string | undefined; http?: unknown }): KeyDir {
  if (config.sshKeyDir) return { path: config.sshKeyDir, create: false };
  if (config.http) return { create: false };
  return { path: defaultKeyDir(), create: true };
}

/** A problem with the operator's directory: naming it tells a model nothing about other paths. */
function unusable(dir: string, why: string): ToolError {
  return new ToolError(`The SSH key directory ${dir} cannot be used: ${why}. Nothing was created.`, {
    next: 'Ask the operator to fix that directory or to start the server with --ssh-key-dir DIR.',
  });
}

const errnoCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error';

/** Checks the directory (creating the default one) and returns its path. */
async function readyDir(dir: KeyDir): Promise<string> {
  const { path } = dir;
  if (!path) {
    throw new ToolError(
      'Saving private keys is off: this server serves HTTP and was started without --ssh-key-dir. Nothing was created.',
      {
        next:
          'Make a key pair yourself (ssh-keygen) and register its public key with `ssh_key_register`, ' +
          'or ask the operator to start the server with --ssh-key-dir DIR.',
      },
    );
  }
  if (dir.create) {
    try {
      await mkdir(path, { mode: 0o700 });
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'EEXIST') throw unusable(path, `cannot create it (${code})`);
    }
  }
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    throw unusable(path, errnoCode(error) === 'ENOENT' ? 'it does not exist' : errnoCode(error));
  }
  if (stats.isSymbolicLink()) throw unusable(path, 'it is a symbolic link');
  if (!stats.isDirectory()) throw unusable(path, 'it is not a directory');
  if (stats.uid !== process.getuid?.())
    throw unusable(path, 'it is not owned by the user this server runs as');
  if (stats.mode & 0o022) throw unusable(path, 'it is writable by group or others');
  return path;
}

/** A key file created empty (0600) before CloudStack is asked for a pair, so a taken name creates nothing. */
export interface KeyFile {
  path: string;
  /** Writes the private key and closes; on failure the file is removed again. */
  write(privateKey: string): Promise<void>;
  /** Closes and removes the still empty file. */
  discard(): Promise<void>;
}

/** Creates `name` in the key directory exclusively, never following a link and never overwriting. */
export async function reserveKeyFile(dir: KeyDir, name: string): Promise<KeyFile> {
  if (!KEY_FILE_NAME.test(name)) throw badInput('private_key_file', NOT_A_FILE_NAME);
  const dirPath = await readyDir(dir);
  const path = join(dirPath, name);
  let file: FileHandle;
  try {
    file = await open(
      path,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') {
      throw badInput(
        'private_key_file',
        'a file of that name exists in the key directory; nothing was created',
        'pass another file name',
      );
    }
    throw unusable(dirPath, `cannot create a file in it (${errnoCode(error)})`);
  }
  const discard = async () => {
    await file.close().catch(() => {});
    await unlink(path).catch(() => {});
  };
  return {
    path,
    discard,
    async write(privateKey) {
      try {
        await file.writeFile(privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`);
        await file.close();
      } catch (error) {
        await discard();
        throw error;
      }
    },
  };
}
