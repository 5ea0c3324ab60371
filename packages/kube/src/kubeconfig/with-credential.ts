import type { KubeconfigDocument } from '../targets.js';
import type { ExecCredential } from './exec-credential.js';

/**
 * A copy of `doc` whose current context's user carries `credential` inline (`token`, or
 * `client-certificate-data` and `client-key-data`): for a CLI child, which cannot ask a `CredentialSource`
 * itself. The copy holds a secret: hand it to the runner, never to a log or a file of ours.
 */
export function withCredential(doc: KubeconfigDocument, credential: ExecCredential): KubeconfigDocument {
  const current = (doc.contexts ?? []).find((c) => c.name === doc['current-context']);
  const userName = current?.context.user;
  const inline: Record<string, string> = {};
  if (credential.token) inline['token'] = credential.token;
  if (credential.clientCertificateData && credential.clientKeyData) {
    inline['client-certificate-data'] = Buffer.from(credential.clientCertificateData).toString('base64');
    inline['client-key-data'] = Buffer.from(credential.clientKeyData).toString('base64');
  }
  return {
    ...doc,
    users: (doc.users ?? []).map((u) => (u.name === userName ? { ...u, user: { ...u.user, ...inline } } : u)),
  };
}
