/**
 * A `fetch` over `node:https` for one Kubernetes API server.
 *
 * The toolkit's `HttpClient` (retries, timeouts, cancellation, error classification) runs on an injectable
 * `fetch`; the global one cannot take a cluster's CA or client certificate, so each target gets this
 * adapter with its own keep-alive agent. Authentication headers travel with each request (see `auth/`); the
 * TLS material becomes one secure context per agent.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { type Impersonation, impersonationHeaders } from './impersonation.js';
import { assertNotLocal, guardedLookup, unbracket } from './kubeconfig/addresses.js';

/** The TLS side of a KubeConfig's credentials (the headers travel with each request). */
export interface TransportAuth {
  tls: TlsMaterial;
  /** An agent client-node builds for a proxy named in the kubeconfig; ours is used otherwise. */
  proxyAgent?: http.Agent;
}

export interface TlsMaterial {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** Largest body read into memory; anything bigger is cut off with an error rather than exhausting RAM. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export interface KubeFetch {
  /** A `fetch` for `HttpClient`: its answers carry status, headers, URL and `text()` (see `bufferedResponse`). */
  fetch: typeof fetch;
  /**
   * Builds the agent (and its TLS context) for `url` now, without connecting, so the first request does
   * not pay for it: the first context with a CA of its own makes Node load its root CA store.
   */
  prepare(url: URL): void;
  close(): void;
}

export interface KubeFetchOptions {
  /**
   * Refuse loopback, link-local, unspecified and metadata addresses at connect time (`LocalAddressError`):
   * IP-literal hosts before connecting, names in the agent's DNS lookup, so every connection, also one
   * after a DNS change, is checked. For targets from kubeconfigs sent from outside.
   */
  refuseLocal?: boolean;
  /**
   * Whom every request acts as, read per request: its `Impersonate-*` headers (`impersonationHeaders`)
   * replace any the request carries (a kubeconfig's `as:`). They are set here rather than passed in, because
   * the request's headers come as a `Headers` object, which joins a repeated name (one line per group) into
   * one comma-separated line.
   */
  actingAs?: () => Impersonation;
}

/**
 * Builds the `fetch` one target uses. `auth()` is read per request; a keep-alive agent is made for the
 * TLS material it returns and reused while that material stays the same.
 */
export function kubeFetch(auth: () => TransportAuth, opts: KubeFetchOptions = {}): KubeFetch {
  const guard = opts.refuseLocal ? { lookup: guardedLookup } : {};
  let agent: http.Agent | undefined;
  let agentKey = '';
  const agentFor = (url: URL, tls: TlsMaterial): http.Agent => {
    const key = [url.protocol, tls.ca, tls.cert, tls.key, tls.rejectUnauthorized, tls.servername]
      .map((v) => (v === undefined ? '' : String(v)))
      .join('\u0000');
    if (agent && key === agentKey) return agent;
    agent?.destroy();
    agentKey = key;
    agent =
      url.protocol === 'http:'
        ? new http.Agent({ keepAlive: true, maxSockets: 16, ...guard })
        : new https.Agent({ keepAlive: true, maxSockets: 16, ...connectOptions(tls), ...guard });
    return agent;
  };

  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    // A literal address is never looked up, so the agent's lookup cannot check it.
    const host = unbracket(url.hostname);
    if (opts.refuseLocal && isIP(host) !== 0) assertNotLocal(host, host);
    const { tls, proxyAgent } = auth();
    const headers: http.OutgoingHttpHeaders = {};
    new Headers(init.headers).forEach((value, name) => {
      if (!(opts.actingAs && name.startsWith('impersonate-'))) headers[name] = value;
    });
    if (opts.actingAs) Object.assign(headers, impersonationHeaders(opts.actingAs()));
    const body = init.body === undefined || init.body === null ? undefined : Buffer.from(init.body as string);
    if (body) headers['content-length'] = String(body.length);
    const signal = init.signal ?? undefined;
    const agentToUse = proxyAgent ?? agentFor(url, tls);
    const lib = url.protocol === 'http:' ? http : https;

    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const req = lib.request(url, { method: init.method ?? 'GET', headers, agent: agentToUse });
      const onAbort = (): void => {
        req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      req.on('error', (error) => {
        done();
        reject(error);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            res.destroy(new Error(`response body over ${MAX_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (error) => {
          done();
          reject(error);
        });
        res.on('aborted', () => {
          done();
          reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
        });
        res.on('end', () => {
          done();
          const status = res.statusCode ?? 502;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value === undefined) continue;
            for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
          }
          resolve(
            bufferedResponse(
              url,
              status,
              res.statusMessage ?? '',
              responseHeaders,
              NULL_BODY_STATUSES.has(status) ? undefined : Buffer.concat(chunks),
            ),
          );
        });
      });
      req.end(body);
    });
  };

  return {
    fetch: fetchImpl as typeof fetch,
    prepare(url) {
      const { tls, proxyAgent } = auth();
      if (!proxyAgent) agentFor(url, tls);
    },
    close() {
      agent?.destroy();
      agent = undefined;
    },
  };
}

/**
 * The answer as the `HttpClient` reads it (status, headers, URL, the body as text), over the body already in
 * memory: a `Response` would stream it through undici again and copy it twice more (a 500-pod list is
 * 2.5 MB). The text is decoded as `Response.text()` decodes it: UTF-8, a leading byte-order mark dropped.
 */
function bufferedResponse(
  url: URL,
  status: number,
  statusText: string,
  headers: Headers,
  body: Buffer | undefined,
): Response {
  const bom = body !== undefined && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  const answer: Pick<Response, 'status' | 'statusText' | 'ok' | 'headers' | 'url' | 'text'> = {
    status,
    statusText,
    ok: status >= 200 && status < 300,
    headers,
    url: url.href,
    text: () => Promise.resolve(body === undefined ? '' : body.toString('utf8', bom)),
  };
  return answer as Response;
}

/**
 * The agent's TLS options: one secure context for its material, which every connection shares (without it,
 * each new connection would build its own from `ca`, `cert` and `key`).
 */
function connectOptions(material: TlsMaterial): https.AgentOptions {
  const { ca, cert, key, rejectUnauthorized, servername } = material;
  return {
    secureContext: tls.createSecureContext({
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
    }),
    ...(rejectUnauthorized !== undefined ? { rejectUnauthorized } : {}),
    ...(servername ? { servername } : {}),
  };
}
