import { readFile, stat } from 'node:fs/promises';

/**
 * A file that is read again only when it changes (inode, size or modification time), so that every request
 * can check it for the price of one `stat`: `oci session refresh` rewrites the token file under a running
 * server, and the next request must sign with the new token.
 */
export class WatchedFile {
  private stamp: string | undefined;
  private text: string | undefined;

  constructor(readonly path: string) {}

  /** The file's text, and whether it differs from what the previous call returned. Throws fs errors. */
  async read(): Promise<{ text: string; changed: boolean }> {
    let before = await this.stat();
    if (before === this.stamp && this.text !== undefined) return { text: this.text, changed: false };
    // A writer may be half-way through: read until the file holds still (a few tries, then take it).
    for (let attempt = 0; ; attempt++) {
      const text = await readFile(this.path, 'utf8');
      const after = await this.stat();
      if (after === before || attempt === 2) {
        const changed = text !== this.text;
        this.stamp = after;
        this.text = text;
        return { text, changed };
      }
      before = after;
    }
  }

  /** Forget what was read, so the next `read` reads the file whatever its stamp. */
  forget(): void {
    this.stamp = undefined;
  }

  private async stat(): Promise<string> {
    const info = await stat(this.path, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}`;
  }
}
