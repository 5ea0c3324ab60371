/**
 * OKE cluster tokens, as each cluster's API server accepts them: the base64 (URL-safe or standard) of a
 * presigned `GET https://containerengine.<region>.oraclecloud.com/cluster_request/<cluster OCID>` whose
 * `authorization` and `date` headers travel as query parameters (what `oci ce cluster generate-token` prints).
 */
import type { TokenAuthenticator } from 'kube-sim';
import type { Keyring, Principal } from './keyring.js';
import {
  MAX_SKEW_MS,
  parseHttpDate,
  parseSignatureHeader,
  signingString,
  verifyRsaSha256,
} from './signature.js';

const TOKEN = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** The signed headers generate-token uses: date, not x-date. */
const SIGNED = ['date', '(request-target)', 'host'];

/** The principal a token stands for when it is valid for this cluster, or why not. */
export function verifyClusterToken(
  token: string,
  cluster: { id: string; region: string },
  keyring: Keyring,
): Principal | string {
  if (!TOKEN.test(token)) return 'not base64';
  const text = Buffer.from(token, 'base64').toString('utf8');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  const host = `containerengine.${cluster.region}.oraclecloud.com`;
  if (url.protocol !== 'https:' || url.host !== host || url.username || url.password || url.hash) {
    return `not a ${host} URL`;
  }
  if (url.pathname !== `/cluster_request/${cluster.id}`) return 'for another cluster';
  const names = [...url.searchParams.keys()];
  if (names.length !== 2 || !names.includes('authorization') || !names.includes('date')) {
    return 'query must be exactly authorization and date';
  }
  const params = parseSignatureHeader(url.searchParams.get('authorization')!);
  if (typeof params === 'string') return params;
  if (params.headers.length !== SIGNED.length || !SIGNED.every((h) => params.headers.includes(h))) {
    return 'must sign date, (request-target) and host';
  }
  const date = url.searchParams.get('date')!;
  const at = parseHttpDate(date);
  if (at === undefined) return 'date is not an HTTP date';
  if (Math.abs(Date.now() - at) > MAX_SKEW_MS) return 'expired or not yet valid';
  const values: Record<string, string> = {
    date,
    '(request-target)': `get /cluster_request/${cluster.id}`,
    host,
  };
  const signed = signingString(params.headers, (name) => values[name]);
  if ('missing' in signed) return `missing ${signed.missing}`;
  const key = keyring.resolve(params.keyId);
  if (typeof key === 'string') return key;
  if (!verifyRsaSha256(key.publicKey, signed.text, params.signature)) return 'signature does not verify';
  return key.principal;
}

/**
 * The authenticator a cluster's kube-sim consults: the OCI user OCID is the Kubernetes user name, and the
 * tenancy admin is in `system:masters` (OKE makes tenancy administrators cluster-admin).
 */
export function clusterTokenAuthenticator(
  cluster: { id: string; region: string },
  keyring: Keyring,
  onAccepted: (token: string) => void,
): TokenAuthenticator {
  return (token) => {
    const principal = verifyClusterToken(token, cluster, keyring);
    if (typeof principal === 'string') return undefined;
    onAccepted(token);
    return { username: principal.userId, groups: principal.role === 'admin' ? ['system:masters'] : [] };
  };
}
