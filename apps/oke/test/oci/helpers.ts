import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestKey {
  /** PKCS#1 PEM, as `oci setup keys` writes it. */
  pem: string;
  publicKey: KeyObject;
  fingerprint: string;
}

export function makeKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const fingerprint = createHash('md5').update(der).digest('hex').match(/../g)!.join(':');
  return { pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicKey, fingerprint };
}

/** The key as encrypted PKCS#8 PEM. */
export function encryptedPem(key: TestKey, passphrase: string): string {
  return createPrivateKey(key.pem)
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    .toString();
}

/** A JWT-shaped session token (OCI signs real ones; nothing here checks that signature). */
export function sessionToken(exp: number, marker = 'session'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: marker, exp })}.${Buffer.from(`sig-${marker}`).toString('base64url')}`;
}

export const TENANCY = 'ocid1.tenancy.oc1..aaaaaaaatenancy';
export const USER = 'ocid1.user.oc1..aaaaaaaauser';
export const CLUSTER = 'ocid1.cluster.oc1.phx.aaaaaaaacluster1';
export const CLUSTER_2 = 'ocid1.cluster.oc1.phx.aaaaaaaacluster2';
export const COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaacompartment';

/** A throw-away home directory with files in it; `dispose()` removes it. */
export class TempHome {
  readonly dir = mkdtempSync(join(tmpdir(), 'oke-oci-'));

  write(relative: string, text: string): string {
    const path = join(this.dir, relative);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    chmodSync(path, 0o600);
    return path;
  }

  path(relative: string): string {
    return join(this.dir, relative);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
