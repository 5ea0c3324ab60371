import { createHash } from 'node:crypto';

/**
 * The cache key for one credential at one endpoint of one provider: the sha256 hex digest of the three
 * strings, each preceded by its UTF-8 byte length (8 bytes, big-endian), so ('a', 'bc') and ('ab', 'c')
 * differ. Only the digest is ever stored; the credential itself is not.
 */
export function cacheKey(provider: string, endpoint: string, credential: string): string {
  const hash = createHash('sha256');
  for (const part of [provider, endpoint, credential]) {
    if (typeof part !== 'string')
      throw new TypeError('cacheKey: provider, endpoint and credential must be strings');
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(bytes.length));
    hash.update(length);
    hash.update(bytes);
  }
  return hash.digest('hex');
}
