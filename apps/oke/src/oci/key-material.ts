import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { jwtExpiry } from '@cloudmcp/auth-cache';
import { ToolError } from '@cloudmcp/toolkit';

// Parses the secrets the auth reads from disk. Errors name the file and what to do, never its content.

/** An OCI session token is a JWT; this also keeps anything else out of the Authorization header. */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_TOKEN_CHARS = 16 * 1024;

/**
 * An RSA private key from PEM text (PKCS#1 or PKCS#8, encrypted or not; a trailing `OCI_API_KEY` line as
 * the console writes it is ignored by the PEM reader).
 */
export function parsePrivateKey(pem: string, passphrase: string | undefined, path: string): KeyObject {
  const encrypted = /ENCRYPTED/.test(pem);
  if (encrypted && !passphrase) {
    throw new ToolError(`The private key ${path} is encrypted and no pass phrase is configured.`, {
      next: "Set OCI_CLI_PASSPHRASE in the server's environment (or pass_phrase in the profile), then call the auth refresh tool.",
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(
      passphrase ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' },
    );
  } catch {
    throw new ToolError(
      encrypted
        ? `The private key ${path} could not be decrypted with the configured pass phrase.`
        : `${path} does not hold a PEM private key.`,
      { next: 'Check key_file (and the pass phrase) of the OCI profile, then call the auth refresh tool.' },
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ToolError(`The private key ${path} is not an RSA key; OCI API signing keys are RSA.`);
  }
  return key;
}

/** The OCI fingerprint of a key pair: MD5 of the DER public key, as colon-separated hex. */
export function keyFingerprint(privateKey: KeyObject): string {
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return createHash('md5').update(der).digest('hex').match(/../g)?.join(':') ?? '';
}

export interface SessionToken {
  token: string;
  /** From the JWT's `exp`, epoch milliseconds. */
  expiresAt?: number;
}

/** The text of a `security_token_file` (`oci session authenticate` writes it, `oci session refresh` rewrites it). */
export function parseSessionToken(text: string, path: string): SessionToken {
  const token = text.trim();
  if (token.length > MAX_TOKEN_CHARS || !JWT.test(token)) {
    throw new ToolError(`${path} does not hold an OCI session token.`, {
      next: 'Run `oci session authenticate` for this profile, then try again.',
    });
  }
  const expiresAt = jwtExpiry(token);
  return expiresAt === undefined ? { token } : { token, expiresAt };
}
