import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { badInput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';

// Where token_regenerate saves a new cldkctl token: one directory the operator chose (--token-dir), or over
// stdio a default. A model only ever names a file in it, never a path, so nothing it sends can write elsewhere
// or learn what exists outside that directory. These are the rules CloudStack's ssh_key_create keeps for
// private keys (apps/cloudstack/src/key-dir.ts); one shared copy belongs in @cloudmcp/toolkit.

/** The directory new tokens are saved in. */
export interface TokenDir {
  /** Absolute path; undefined when saving tokens is off (over HTTP without --token-dir). */
  path?: string;
  /** True only for the stdio default, which we create (0700) on first use; we create no other directory. */
  create: boolean;
}

/** A file name only: no separator, no leading dot or dash (so never `.`/`..`), ASCII, bounded. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

const NOT_A_FILE_NAME =
  'must be a file name, not a path: letters, digits, ".", "_" and "-", up to 100 characters, not starting with "." or "-"';

export const tokenFileName = z.string().max(100).regex(FILE_NAME, NOT_A_FILE_NAME);

/** The stdio default when no --token-dir is set. */
export function defaultTokenDir(home: string = homedir()): string {
  return join(home, '.cldkctl', 'cloudmcp');
}

/** --token-dir when set; otherwise the default over stdio, and nothing over HTTP. */
export function tokenDirFrom(config: { tokenDir?: string | undefined; http?: unknown }): TokenDir {
  if (config.tokenDir) return { path: config.tokenDir, create: false };
  if (config.http) return { create: false };
  return { path: defaultTokenDir(), create: true };
}

/** A problem with the operator's directory: naming it tells a model nothing about other paths. */
function unusable(dir: string, why: string): ToolError {
  return new ToolError(`The token directory ${dir} cannot be used: ${why}. Nothing was regenerated.`, {
    next: 'Ask the operator to fix that directory or to start the server with --token-dir DIR.',
  });
}

const errnoCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error';

/** Checks the directory (creating the default one) and returns its path. */
async function readyDir(dir: TokenDir): Promise<string> {
  const { path } = dir;
  if (!path) {
    throw new ToolError(
      'Saving new tokens is off: this server serves HTTP and was started without --token-dir. Nothing was regenerated.',
      {
        next:
          'Regenerate the token in the portal (profile → API → Token), which shows the new value once, or ' +
          'ask the operator to start the server with --token-dir DIR.',
      },
    );
  }
  if (dir.create) {
    try {
      await mkdir(path, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw unusable(path, `cannot create it (${errnoCode(error)})`);
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

/** A token file created empty (0600) before Cloudeka is asked, so a taken name regenerates nothing. */
export interface TokenFile {
  path: string;
  /** Writes the token and closes; on failure the file is removed again. */
  write(token: string): Promise<void>;
  /** Closes and removes the still empty file. */
  discard(): Promise<void>;
}

/** Creates `name` in the token directory exclusively, never following a link and never overwriting. */
export async function reserveTokenFile(dir: TokenDir, name: string): Promise<TokenFile> {
  if (!FILE_NAME.test(name)) throw badInput('token_file', NOT_A_FILE_NAME);
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
        'token_file',
        'a file of that name exists in the token directory; nothing was regenerated',
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
    async write(token) {
      try {
        await file.writeFile(`${token}\n`);
        await file.close();
      } catch (error) {
        await discard();
        throw error;
      }
    },
  };
}
