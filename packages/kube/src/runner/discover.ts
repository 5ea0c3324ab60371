import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { CLI_TOOLS, type CliTool } from './errors.js';

export interface WhichOptions {
  /** Directories searched before PATH (e.g. a configured tools directory). */
  dirs?: readonly string[];
  /** The PATH to search; defaults to this process's PATH. */
  path?: string;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasSeparator(binary: string): boolean {
  return binary.includes('/') || (process.platform === 'win32' && binary.includes('\\'));
}

/**
 * The absolute path of an executable file named `binary` in `dirs`, then in PATH (relative PATH entries
 * such as `.` are skipped), or null. A `binary` with a slash is checked as a path.
 */
export async function which(binary: string, options: WhichOptions = {}): Promise<string | null> {
  if (binary === '') return null;
  if (hasSeparator(binary)) {
    const file = resolve(binary);
    return (await isExecutable(file)) ? file : null;
  }
  const pathDirs = (options.path ?? process.env['PATH'] ?? '').split(delimiter);
  const dirs = [...(options.dirs ?? []), ...pathDirs].filter((dir) => dir !== '' && isAbsolute(dir));
  const exts =
    process.platform === 'win32'
      ? ['', ...(process.env['PATHEXT'] ?? '.EXE;.CMD;.BAT;.COM').split(';')]
      : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = join(dir, binary + ext);
      if (await isExecutable(file)) return file;
    }
  }
  return null;
}

export interface DetectClisOptions extends WhichOptions {
  /** Configured binaries per tool (a name looked up like the others, or a path). */
  binaries?: Partial<Record<CliTool, string>>;
}

/** Where each CLI is, or null when missing: what `/healthz` reports. */
export async function detectClis(options: DetectClisOptions = {}): Promise<Record<CliTool, string | null>> {
  const found = await Promise.all(CLI_TOOLS.map((tool) => which(options.binaries?.[tool] ?? tool, options)));
  return Object.fromEntries(CLI_TOOLS.map((tool, i) => [tool, found[i] ?? null])) as Record<
    CliTool,
    string | null
  >;
}
