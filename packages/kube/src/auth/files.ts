import { readFile } from 'node:fs/promises';

/** How long a file's content is used before it is read again (client-go re-reads token files each minute). */
export const FILE_RECHECK_MS = 60_000;

/**
 * Files a kubeconfig user names (token file, certificate, key, CA bundle), read when first needed and again
 * once a minute, so a rotated token or certificate is picked up without a restart. Errors name the file and
 * the reason, never its content.
 */
export class KubeconfigFiles {
  private readonly cache = new Map<string, { at: number; content: Promise<Buffer> }>();

  constructor(private readonly now: () => number = Date.now) {}

  read(path: string, what: string): Promise<Buffer> {
    const cached = this.cache.get(path);
    const now = this.now();
    if (cached && now - cached.at < FILE_RECHECK_MS) return cached.content;
    const content = readFile(path).catch((error: unknown) => {
      this.cache.delete(path);
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new Error(`the ${what} file ${path} cannot be read (${code})`);
    });
    this.cache.set(path, { at: now, content });
    return content;
  }
}
