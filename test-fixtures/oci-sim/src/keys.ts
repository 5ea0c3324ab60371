import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';

export interface RsaKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  publicKey: KeyObject;
  /** MD5 over the DER SubjectPublicKeyInfo, colon-separated: what the console shows for an API key. */
  fingerprint: string;
}

/** A fresh 2048-bit RSA pair like `oci setup keys` makes (PKCS#8 private key, SPKI public key). */
export function generateRsaKeyPair(): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    publicKey,
    fingerprint: fingerprintOf(publicKey),
  };
}

export function fingerprintOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
}

export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

/** The private key as an encrypted PKCS#8 PEM (`BEGIN ENCRYPTED PRIVATE KEY`, AES-256-CBC). */
export function encryptPrivateKey(privateKeyPem: string, passphrase: string): string {
  return createPrivateKey(privateKeyPem).export({
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase,
  }) as string;
}
