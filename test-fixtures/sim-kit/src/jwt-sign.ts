import {
  constants,
  createHmac,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';

// JWS compact serialisation (RFC 7515) with node:crypto only, the way an authorization server signs its
// access tokens — and the way an attacker builds the tokens a resource server must refuse (`none`, HS256
// keyed with the public key, a key of their own).

/** The algorithms the local issuer signs with: the asymmetric ones a resource server should accept. */
export type SigningAlg = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A fresh key pair for `alg` (RSA 2048, P-256 or Ed25519) with a random `kid`. */
export function generateSigningKey(alg: SigningAlg): SigningKey {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(9).toString('base64url'), alg, ...pair };
}

/** The public half as a JWK of a JWKS: `kid`, `alg`, `use: sig`. */
export function publicJwk(key: SigningKey): JsonWebKey {
  return { ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs `payload` under `header` (its `alg` picks how). `key`: a private key for RS256, PS256, ES256 and
 * EdDSA; the HMAC secret for HS256 (an attack: any bytes, such as the issuer's public key); nothing for
 * `none` (an attack too: the signature is empty).
 */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key?: KeyObject | Buffer,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const data = Buffer.from(input);
  const alg = header['alg'];
  let signature: Buffer;
  if (alg === 'none') signature = Buffer.alloc(0);
  else if (alg === 'HS256' && Buffer.isBuffer(key))
    signature = createHmac('sha256', key).update(data).digest();
  else if (key === undefined || Buffer.isBuffer(key))
    throw new Error(`signJwt: ${String(alg)} needs a private key`);
  else if (alg === 'RS256') signature = sign('sha256', data, key);
  else if (alg === 'PS256')
    signature = sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  else if (alg === 'ES256') signature = sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA') signature = sign(null, data, key);
  else throw new Error(`signJwt: unsupported alg ${String(alg)}`);
  return `${input}.${signature.toString('base64url')}`;
}
