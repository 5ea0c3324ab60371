import { createHash, generateKeyPairSync } from 'node:crypto';

/** SSHKeysHelper.getPublicKeyFingerprint: MD5 of the key blob as colon-separated hex. */
export function fingerprint(blob: Buffer): string {
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

function sshString(data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

/** An SSH mpint: big-endian, with a leading zero byte when the high bit is set. */
function mpint(b64url: string): Buffer {
  const raw = Buffer.from(b64url, 'base64url');
  return sshString(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
}

/** createSSHKeyPair: a real RSA key pair, private key as the PKCS#1 PEM CloudStack returns. */
export function generateRsaKeyPair(): { privateKey: string; blob: Buffer } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
  return { privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), blob };
}

/** Field layout after the type string, per key type (RFC 4253, 5656, 8709). */
const LAYOUTS: Record<string, (fields: Buffer[]) => boolean> = {
  'ssh-rsa': (f) => f.length === 2,
  'ssh-dss': (f) => f.length === 4,
  'ssh-ed25519': (f) => f.length === 1 && f[0]!.length === 32,
  'ecdsa-sha2-nistp256': (f) => f.length === 2 && f[0]!.toString() === 'nistp256',
  'ecdsa-sha2-nistp384': (f) => f.length === 2 && f[0]!.toString() === 'nistp384',
  'ecdsa-sha2-nistp521': (f) => f.length === 2 && f[0]!.toString() === 'nistp521',
};

/** The key blob of an OpenSSH public key line ("ssh-rsa AAAA... comment"), or undefined if it is not one. */
export function parsePublicKey(line: string): Buffer | undefined {
  const [type, data] = line.trim().split(/\s+/);
  const layout = type ? LAYOUTS[type] : undefined;
  if (!layout || !data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return undefined;
  const blob = Buffer.from(data, 'base64');
  const fields: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return undefined;
    fields.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  if (fields.shift()?.toString() !== type) return undefined;
  return layout(fields) ? blob : undefined;
}
