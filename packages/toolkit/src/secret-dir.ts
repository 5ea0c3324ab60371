import { constants } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { badInput, ToolError } from './errors.js';

// Where a tool may save a secret it must hand over once (a new private key, a regenerated API token): one
// directory the operator chose, or over stdio a default. A model only ever names a file in it, never a
// path, so nothing it sends can write elsewhere or learn what exists outside that directory.

/** The directory secrets are saved in. */
export interface SecretDir {
  /** Absolute path; undefined when saving is off (over HTTP without the operator's flag). */
  path?: string;
  /** True only for the stdio default, which we create (0700) on first use; we create no other directory. */
  create: boolean;
  /** Also create the default's missing parents (0700): only where the parent is ours too (`~/.cldkctl`). */
  parents?: boolean;
}

/** How one server's tool speaks of its directory, in its errors. */
export interface SecretDirWords {
  /** `SSH key directory`, `token directory`. */
  directory: string;
  /** The operator's flag naming it: `--ssh-key-dir`. */
  flag: string;
  /** The tool argument that names the file: `private_key_file`. */
  argument: string;
  /** What did not happen when saving failed: `created`, `regenerated`. */
  undone: string;
  /** Saving is off (HTTP without the flag): what it is, and what the user can do instead. */
  off: { what: string; next: string };
}

/** A file name only: no separator, no leading dot or dash (so never `.`/`..`), ASCII, bounded. */
export const SECRET_FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

const NOT_A_FILE_NAME =
  'must be a file name, not a path: letters, digits, ".", "_" and "-", up to 100 characters, not starting with "." or "-"';

/** The input schema of a tool argument naming a file in a secret directory. */
export const secretFileName = z.string().max(100).regex(SECRET_FILE_NAME, NOT_A_FILE_NAME);

/**
 * The operator's directory when set; otherwise `stdioDefault` over stdio (created on first use, with its
 * missing parents when `parents`), and nothing over HTTP.
 */
export function secretDirFrom(
  configured: string | undefined,
  http: unknown,
  stdioDefault: string,
  parents = false,
): SecretDir {
  if (configured) return { path: configured, create: false };
  if (http) return { create: false };
  return { path: stdioDefault, create: true, ...(parents ? { parents } : {}) };
}

const errnoCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error';

/** A problem with the operator's directory: naming it tells a model nothing about other paths. */
function unusable(words: SecretDirWords, dir: string, why: string): ToolError {
  return new ToolError(`The ${words.directory} ${dir} cannot be used: ${why}. Nothing was ${words.undone}.`, {
    next: `Ask the operator to fix that directory or to start the server with ${words.flag} DIR.`,
  });
}

/** Checks the directory (creating the default one) and returns its path. */
async function readyDir(dir: SecretDir, words: SecretDirWords): Promise<string> {
  const { path } = dir;
  if (!path) {
    throw new ToolError(
      `${words.off.what} is off: this server serves HTTP and was started without ${words.flag}. ` +
        `Nothing was ${words.undone}.`,
      { next: words.off.next },
    );
  }
  if (dir.create) {
    try {
      await mkdir(path, { recursive: dir.parents === true, mode: 0o700 });
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'EEXIST') throw unusable(words, path, `cannot create it (${code})`);
    }
  }
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    throw unusable(words, path, errnoCode(error) === 'ENOENT' ? 'it does not exist' : errnoCode(error));
  }
  if (stats.isSymbolicLink()) throw unusable(words, path, 'it is a symbolic link');
  if (!stats.isDirectory()) throw unusable(words, path, 'it is not a directory');
  if (stats.uid !== process.getuid?.())
    throw unusable(words, path, 'it is not owned by the user this server runs as');
  if (stats.mode & 0o022) throw unusable(words, path, 'it is writable by group or others');
  return path;
}

/** A file created empty (0600) before the upstream is asked, so a taken name changes nothing there. */
export interface SecretFile {
  path: string;
  /** Writes the secret (with a final newline) and closes; on failure the file is removed again. */
  write(secret: string): Promise<void>;
  /** Closes and removes the still empty file. */
  discard(): Promise<void>;
}

/** Creates `name` in the directory exclusively, never following a link and never overwriting. */
export async function reserveSecretFile(
  dir: SecretDir,
  name: string,
  words: SecretDirWords,
): Promise<SecretFile> {
  if (!SECRET_FILE_NAME.test(name)) throw badInput(words.argument, NOT_A_FILE_NAME);
  const dirPath = await readyDir(dir, words);
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
        words.argument,
        `a file of that name exists in the ${words.directory}; nothing was ${words.undone}`,
        'pass another file name',
      );
    }
    throw unusable(words, dirPath, `cannot create a file in it (${errnoCode(error)})`);
  }
  const discard = async () => {
    await file.close().catch(() => {});
    await unlink(path).catch(() => {});
  };
  return {
    path,
    discard,
    async write(secret) {
      try {
        await file.writeFile(secret.endsWith('\n') ? secret : `${secret}\n`);
        await file.close();
      } catch (error) {
        await discard();
        throw error;
      }
    },
  };
}
