/**
 * A kubeconfig from outside (an HTTP header, a tool argument, an upstream answer) that this server will not
 * use. The message names the problem and the field (`users[1].user.exec is not accepted here`), never the
 * content: no token, key or certificate text ever appears in it.
 */
export class UntrustedKubeconfigError extends Error {
  override name = 'UntrustedKubeconfigError';
}

/**
 * A cluster server that resolves to a loopback, link-local, unspecified or cloud-metadata address, which a
 * kubeconfig from outside may not reach unless the operator allows it. `code` lets transport errors carry it.
 */
export class LocalAddressError extends UntrustedKubeconfigError {
  override name = 'LocalAddressError';
  readonly code = 'ELOCALADDRESS';

  constructor(host: string, address: string, kind: string) {
    const literal = host === address ? '' : ` (${address})`;
    super(
      `the cluster's server "${host}" resolves to ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address${literal}, ` +
        'which requests may not reach; ' +
        'the operator can allow it with --allow-local-clusters',
    );
  }
}
