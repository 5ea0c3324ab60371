import { createHash, type KeyObject } from 'node:crypto';

// OpenSSH public key wire format (RFC 4253 §6.6), built here so the tests do not trust the simulator's.

function sshString(data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}
function mpint(b64url: string): Buffer {
  const raw = Buffer.from(b64url, 'base64url');
  return sshString(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
}
function sshBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty === 'OKP') {
    return Buffer.concat([
      sshString(Buffer.from('ssh-ed25519')),
      sshString(Buffer.from(jwk.x!, 'base64url')),
    ]);
  }
  return Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
}
export const sshLine = (key: KeyObject, comment: string) =>
  `${key.asymmetricKeyType === 'ed25519' ? 'ssh-ed25519' : 'ssh-rsa'} ${sshBlob(key).toString('base64')} ${comment}`;
/** CloudStack's fingerprint: MD5 of the key blob, colon-separated hex. */
export const md5Fingerprint = (key: KeyObject) =>
  createHash('md5').update(sshBlob(key)).digest('hex').match(/../g)!.join(':');
