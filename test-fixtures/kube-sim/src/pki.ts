import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * A minimal X.509 v3 certificate builder (DER/ASN.1 by hand, ECDSA P-256 with SHA-256 signed by node:crypto),
 * enough for a per-cluster CA and a serving certificate that Go's crypto/x509 (kubectl, helm) and Node accept.
 */

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n >>= 8;
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);
const set = (...c: Buffer[]) => tlv(0x31, ...c);
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer) => tlv(0x03, Buffer.from([0]), b);
const explicit = (n: number, b: Buffer) => tlv(0xa0 + n, b);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  let v = b.subarray(i);
  if ((v[0]! & 0x80) !== 0) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk = [p & 0x7f];
    let v = p >> 7;
    while (v > 0) {
      chunk.unshift((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  // UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5).
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

function name(cn: string, org?: string): Buffer {
  const rdns = [];
  if (org) rdns.push(set(seq(oid('2.5.4.10'), utf8(org))));
  rdns.push(set(seq(oid('2.5.4.3'), utf8(cn))));
  return seq(...rdns);
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function keyId(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

interface CertSpec {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  ca: boolean;
  sans?: string[];
  authorityKeyId?: Buffer;
  days: number;
}

function buildCert(spec: CertSpec): { der: Buffer; keyId: Buffer } {
  const spki = spec.publicKey.export({ type: 'spki', format: 'der' });
  const ski = keyId(spki);
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + spec.days * 24 * 60 * 60 * 1000);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const exts: Buffer[] = [];
  if (spec.ca) {
    // keyUsage: digitalSignature(0) keyCertSign(5) cRLSign(6) → bits 1000 0110 = 0x86, 1 unused bit.
    exts.push(extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x01, 0x86]))));
    exts.push(extension('2.5.29.19', true, seq(bool(true))));
    exts.push(extension('2.5.29.14', false, octets(ski)));
  } else {
    // keyUsage: digitalSignature(0) keyEncipherment(2) → 1010 0000 = 0xa0, 5 unused bits.
    exts.push(extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x05, 0xa0]))));
    exts.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))));
    exts.push(extension('2.5.29.19', true, seq()));
    if (spec.authorityKeyId) exts.push(extension('2.5.29.35', false, seq(tlv(0x80, spec.authorityKeyId))));
    const general = (spec.sans ?? []).map((san) => {
      const kind = isIP(san);
      if (kind === 4) return tlv(0x87, Buffer.from(san.split('.').map(Number)));
      if (kind === 6) return tlv(0x87, ipv6Bytes(san));
      return tlv(0x82, Buffer.from(san, 'ascii'));
    });
    exts.push(extension('2.5.29.17', false, seq(...general)));
  }
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    spec.issuer,
    seq(time(notBefore), time(notAfter)),
    spec.subject,
    spki,
    explicit(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, { key: spec.signingKey, dsaEncoding: 'der' });
  return { der: seq(tbs, ECDSA_SHA256, bitString(signature)), keyId: ski };
}

function ipv6Bytes(addr: string): Buffer {
  const [head = '', tail = ''] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = addr.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => {
    out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  });
  return out;
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

export interface ClusterPki {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface ServingCertificate {
  certPem: string;
  keyPem: string;
}

interface CaSigner {
  name: Buffer;
  keyId: Buffer;
  key: KeyObject;
}

/**
 * The CAs this process generated, by their PEM: the private keys never leave this module, and only a caller
 * that already holds a cluster's CA certificate can have a serving certificate signed by it.
 */
const signers = new Map<string, CaSigner>();

function servingCertificate(ca: CaSigner, commonName: string, sans: string[]): ServingCertificate {
  const leaf = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cert = buildCert({
    subject: name(commonName),
    issuer: ca.name,
    publicKey: leaf.publicKey,
    signingKey: ca.key,
    ca: false,
    sans,
    authorityKeyId: ca.keyId,
    days: 365,
  });
  return {
    certPem: pem('CERTIFICATE', cert.der),
    keyPem: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/** A fresh CA and a serving certificate for 127.0.0.1, localhost (and `host` when it is something else). */
export function generateClusterPki(clusterName: string, host = '127.0.0.1'): ClusterPki {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = name(`kube-sim-ca-${clusterName}`, 'kube-sim');
  const caCert = buildCert({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    ca: true,
    days: 3650,
  });
  const signer: CaSigner = { name: caName, keyId: caCert.keyId, key: ca.privateKey };
  const caPem = pem('CERTIFICATE', caCert.der);
  signers.set(caPem, signer);
  const sans = ['127.0.0.1', 'localhost', 'kubernetes', 'kubernetes.default.svc'];
  if (host && !sans.includes(host) && host !== '0.0.0.0' && host !== '::') sans.push(host);
  return { caPem, ...servingCertificate(signer, 'kube-apiserver', sans) };
}

/**
 * A serving certificate for another server of a simulated cluster (an OpenShift route, a webhook), signed by
 * that cluster's CA (`caPem`, as `SimCluster.caPem` carries it), so clients trusting the cluster trust it too.
 */
export function issueServingCertificate(
  caPem: string,
  commonName: string,
  sans: string[],
): ServingCertificate {
  const signer = signers.get(caPem);
  if (!signer) throw new Error('kube-sim: not a CA this process generated');
  return servingCertificate(signer, commonName, sans);
}
