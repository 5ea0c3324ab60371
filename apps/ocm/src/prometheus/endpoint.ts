/**
 * One way to a Prometheus HTTP API, and how its failures are told apart: Prometheus answered (a query
 * error: stop and quote it), the way does not lead to Prometheus (try the next one), or the request ran out
 * of time (stop: another way would only run the same heavy query again).
 *
 * Both ways ride on `KubeClient` (TLS verified with a given CA, bearer token, timeouts, retries of reads,
 * cancellation, a capped body): a URL endpoint (`--prometheus-url`, an OpenShift Route) gets a client of
 * its own whose server is that URL, a Service is reached through the cluster's API server (service proxy).
 * The query travels as URL parameters only; the token only to the endpoint found, over verified TLS.
 */
import { KubeApiError, KubeClient, KubeTransportError, loadClientNode } from '@cloudmcp/kube';
import { type ServiceRef, serviceText } from './config.js';

export interface PrometheusEndpoint {
  /** How it is reached, for the reader: `Route openshift-monitoring/thanos-querier (https://…)`. */
  way: string;
  /** A GET of `path` (`/api/v1/query`) with `params`; the parsed JSON body. */
  get(path: string, params: Record<string, string>, signal: AbortSignal): Promise<unknown>;
  close(): void;
}

/** The way does not lead to a working Prometheus; `reason` says why, for the final error. */
export class EndpointFailure extends Error {
  constructor(
    readonly reason: string,
    /** `proxy-forbidden`: the connection's role may not use services/proxy. */
    readonly hint?: 'proxy-forbidden',
  ) {
    super(reason);
    this.name = 'EndpointFailure';
  }
}

/** Prometheus answered `{"status":"error"}`: the query is wrong or failed. */
export class PrometheusAnswerError extends Error {
  constructor(
    readonly errorType: string,
    readonly error: string,
    readonly httpStatus?: number,
  ) {
    super(error);
    this.name = 'PrometheusAnswerError';
  }
}

/** The request ran past the per-request timeout. */
export class EndpointTimeout extends Error {
  constructor(readonly way: string) {
    super(`${way} did not answer in time`);
    this.name = 'EndpointTimeout';
  }
}

/** A Prometheus answer larger than this is refused (the transport stops reading at 64 MiB). */
export const MAX_RESPONSE_CHARS = 32 * 1024 * 1024;

/** Prometheus' own error in a response body (possibly cut short by the API client), if it is one. */
export function prometheusErrorOf(text: string): { errorType: string; error: string } | undefined {
  try {
    const body = JSON.parse(text) as { status?: unknown; errorType?: unknown; error?: unknown };
    if (body?.status === 'error' && typeof body.error === 'string') {
      return { errorType: typeof body.errorType === 'string' ? body.errorType : 'error', error: body.error };
    }
    return undefined;
  } catch {
    // a body cut at 200 characters: read what is there
  }
  if (!/"status"\s*:\s*"error"/.test(text)) return undefined;
  const type = /"errorType"\s*:\s*"([A-Za-z_]+)"/.exec(text)?.[1] ?? 'error';
  const raw = /"error"\s*:\s*"((?:[^"\\]|\\.)*)/.exec(text)?.[1];
  if (raw === undefined) return undefined;
  let error: string;
  try {
    error = JSON.parse(`"${raw}"`) as string;
  } catch {
    error = raw.replace(/\\(.)/g, '$1');
  }
  return { errorType: type, error: text.endsWith('…') ? `${error}…` : error };
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO|HOSTNAME|ALTNAME/i;

/** Maps a failed request of one way to the three outcomes (anything else is rethrown as it is). */
function classify(error: unknown, way: string, proxied: boolean): unknown {
  if (error instanceof KubeApiError) {
    const answer = prometheusErrorOf(error.status.message ?? '');
    if (answer) return new PrometheusAnswerError(answer.errorType, answer.error, error.code);
    if (error.code >= 300 && error.code < 400) {
      // a redirect would carry the Authorization header to wherever it points
      return new EndpointFailure(
        `answered a redirect (${error.code}), which is not followed: the token goes only to the endpoint found`,
      );
    }
    if (proxied && error.code === 401) return error; // the API server refused the cluster's own credentials
    if (error.code === 403) {
      return proxied
        ? new EndpointFailure(
            "the API server forbids services/proxy to this connection's role (view may not; edit and admin may)",
            'proxy-forbidden',
          )
        : new EndpointFailure(
            "refused the token (403 Forbidden): the connection's role lacks what it checks",
          );
    }
    if (error.code === 401) return new EndpointFailure('refused the token (401 Unauthorized)');
    if (error.code === 404) return new EndpointFailure('no Prometheus API there (404 Not Found)');
    return new EndpointFailure(
      `answered ${error.code} ${error.reason}: ${error.status.message ?? ''}`.trim(),
    );
  }
  if (error instanceof KubeTransportError) {
    if (error.upstream.kind === 'aborted') return error;
    if (error.upstream.kind === 'timeout') return new EndpointTimeout(way);
    if (proxied) return error; // the cluster's API server itself is unreachable: no other way will do
    const code = error.upstream.causeCode ?? '';
    if (TLS_CODES.test(code)) {
      return new EndpointFailure(
        `its TLS certificate is not signed by the cluster CA or --prometheus-ca (${code})`,
      );
    }
    return new EndpointFailure(`could not connect (${code || error.upstream.message})`);
  }
  return error;
}

async function getJson(
  client: KubeClient,
  path: string,
  params: Record<string, string>,
  opts: { signal: AbortSignal; timeoutMs: number; way: string; proxied: boolean },
): Promise<unknown> {
  let text: string;
  try {
    const res = await client.request<string>({
      path,
      query: params,
      text: true,
      accept: 'application/json',
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      about: { verb: 'get', resource: opts.proxied ? 'services/proxy' : 'prometheus' },
    });
    text = res.body;
  } catch (error) {
    throw classify(error, opts.way, opts.proxied);
  }
  if (text.length > MAX_RESPONSE_CHARS) {
    throw new PrometheusAnswerError(
      'too_large',
      `the answer is ${Math.round(text.length / 2 ** 20)} MiB, over the ${MAX_RESPONSE_CHARS / 2 ** 20} MiB this server reads`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EndpointFailure('answered with something that is not JSON (not a Prometheus API)');
  }
}

/**
 * An https endpoint of its own (`--prometheus-url`, a Route's host): TLS verified with `caPem` only, the
 * cluster's token as bearer (asked before each request, so a rotated token is used).
 */
export async function urlEndpoint(opts: {
  url: string;
  way: string;
  caPem: string;
  token: (signal?: AbortSignal) => Promise<string>;
  timeoutMs: number;
}): Promise<PrometheusEndpoint> {
  const { KubeConfig } = await loadClientNode();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'prometheus',
        server: opts.url,
        caData: Buffer.from(opts.caPem).toString('base64'),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'prometheus' }],
    contexts: [{ name: 'prometheus', cluster: 'prometheus', user: 'prometheus' }],
    currentContext: 'prometheus',
  });
  const client = new KubeClient({
    target: 'prometheus',
    describe: opts.way,
    kubeConfig,
    timeoutMs: opts.timeoutMs,
    retries: 1,
    userAgent: 'cloudmcp-ocm',
    credentials: { get: async (signal) => ({ token: await opts.token(signal) }), invalidate: () => {} },
  });
  return {
    way: opts.way,
    get: (path, params, signal) =>
      getJson(client, path, params, { signal, timeoutMs: opts.timeoutMs, way: opts.way, proxied: false }),
    close: () => client.close(),
  };
}

/** The path of a Service's proxy on the API server: `/api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy`. */
export function serviceProxyPath(ref: ServiceRef): string {
  // every part is a DNS label or a port (checked when the option was read): nothing to escape
  return `/api/v1/namespaces/${ref.namespace}/services/${ref.https ? 'https:' : ''}${ref.name}:${ref.port}/proxy`;
}

/** A Service through the cluster's API server (its client, its credentials: `get services/proxy` needed). */
export function serviceEndpoint(client: KubeClient, ref: ServiceRef, timeoutMs: number): PrometheusEndpoint {
  const way = `Service ${serviceText(ref)} (API server service proxy)`;
  const base = serviceProxyPath(ref);
  return {
    way,
    get: (path, params, signal) =>
      getJson(client, base + path, params, { signal, timeoutMs, way, proxied: true }),
    close: () => {},
  };
}
