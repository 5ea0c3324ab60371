import { createHash, createSign } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import * as common from 'oci-common';
import { ContainerEngineClient } from 'oci-containerengine';
import { IdentityClient } from 'oci-identity';
import type { ApiKeyUser, OciSim } from '../src/index.js';

/** One attempt per call and no circuit breaker, so a test sees each answer as sent. */
export const NO_RETRY: common.ClientConfiguration = {
  retryConfiguration: common.NoRetryConfigurationDetails,
  circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
};

export function apiKeyProvider(sim: OciSim, user: ApiKeyUser): common.AuthenticationDetailsProvider {
  return new common.SimpleAuthenticationDetailsProvider(
    sim.tenancyId,
    user.userId,
    user.fingerprint,
    user.privateKeyPem,
    null,
    common.Region.fromRegionId(sim.region),
  );
}

export interface Clients {
  ce: ContainerEngineClient;
  identity: IdentityClient;
}

/** The real SDK clients pointed at the simulator, as an app with an endpoint override makes them. */
export function clients(
  sim: OciSim,
  provider: common.AuthenticationDetailsProvider,
  config: common.ClientConfiguration = NO_RETRY,
): Clients {
  const ce = new ContainerEngineClient({ authenticationDetailsProvider: provider }, config);
  ce.endpoint = sim.url;
  const identity = new IdentityClient({ authenticationDetailsProvider: provider }, config);
  identity.endpoint = sim.url;
  return { ce, identity };
}

/** What an OCI SDK call threw: status, code and message of the OciError. */
export async function ociError(
  p: Promise<unknown>,
): Promise<{ statusCode: number; serviceCode: string; message: string; opcRequestId: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { statusCode: number; serviceCode: string; message: string; opcRequestId: string };
    return {
      statusCode: err.statusCode,
      serviceCode: err.serviceCode,
      message: err.message,
      opcRequestId: err.opcRequestId,
    };
  }
  throw new Error('expected the call to fail');
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A plain HTTP call, for requests the SDK would never send (tampered, unsigned…). */
export function raw(
  url: string,
  o: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

export interface SignOptions {
  method: string;
  url: string;
  keyId: string;
  privateKeyPem: string;
  body?: string;
  /** Signed header names (default: what the TS SDK signs). */
  headers?: string[];
  date?: Date;
}

/**
 * Signs a request the way the OCI docs describe, independently of the SDK: the test's own signer, so a
 * test can leave headers out or tamper with them afterwards.
 */
export function signRequest(o: SignOptions): Record<string, string> {
  const u = new URL(o.url);
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(o.method);
  const headers: Record<string, string> = { host: u.host, 'x-date': (o.date ?? new Date()).toUTCString() };
  if (hasBody) {
    const body = o.body ?? '';
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    headers['x-content-sha256'] = createHash('sha256').update(body).digest('base64');
  }
  const names = o.headers ?? [
    'x-date',
    '(request-target)',
    'host',
    ...(hasBody ? ['content-type', 'content-length', 'x-content-sha256'] : []),
  ];
  const target = `${o.method.toLowerCase()} ${u.pathname}${u.search}`;
  const text = names.map((n) => `${n}: ${n === '(request-target)' ? target : headers[n]}`).join('\n');
  const signature = createSign('sha256').update(text).sign(o.privateKeyPem, 'base64');
  headers.authorization = `Signature version="1",keyId="${o.keyId}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`;
  return headers;
}

/**
 * An OKE cluster token built as `oci ce cluster generate-token` builds it (NOTES.md): a GET of
 * /cluster_request/<id> on containerengine.<region>.oraclecloud.com signed over date, (request-target)
 * and host, its authorization and date moved into the query, the URL base64url-encoded.
 */
export function clusterToken(o: {
  clusterId: string;
  region: string;
  keyId: string;
  privateKeyPem: string;
  date?: Date;
  host?: string;
  encoding?: 'base64url' | 'base64';
}): string {
  const host = o.host ?? `containerengine.${o.region}.oraclecloud.com`;
  const date = (o.date ?? new Date()).toUTCString();
  const text = `date: ${date}\n(request-target): get /cluster_request/${o.clusterId}\nhost: ${host}`;
  const signature = createSign('sha256').update(text).sign(o.privateKeyPem, 'base64');
  const authorization = `Signature version="1",headers="date (request-target) host",keyId="${o.keyId}",algorithm="rsa-sha256",signature="${signature}"`;
  const query = new URLSearchParams({ authorization, date });
  const url = `https://${host}/cluster_request/${o.clusterId}?${query}`;
  return Buffer.from(url).toString(o.encoding ?? 'base64url');
}

/** GET on a cluster's kube-sim with a bearer token, trusting its CA. */
export function kubeGet(
  kube: { url: string; caPem: string },
  path: string,
  token: string,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(path, kube.url),
      { headers: { Authorization: `Bearer ${token}` }, ca: kube.caPem },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Polls `probe` until `done` says so, at most `max` times; returns every value seen. */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  max = 400,
): Promise<T[]> {
  const seen: T[] = [];
  for (let i = 0; i < max; i++) {
    const v = await probe();
    seen.push(v);
    if (done(v)) return seen;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`condition not reached after ${max} polls; last: ${JSON.stringify(seen.at(-1))}`);
}
