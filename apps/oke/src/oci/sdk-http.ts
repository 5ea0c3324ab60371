import { AsyncLocalStorage } from 'node:async_hooks';
import type { HttpClient } from '@cloudmcp/toolkit';
import type { HttpClient as OciHttpClient, HttpRequest as OciHttpRequest, RequestSigner } from 'oci-common';

/**
 * What one OciApi call tells the HTTP layer below the SDK, which has no per-request options: the caller's
 * AbortSignal, whether the request may be repeated, and (on the way back) the real failure, which the SDK's
 * retrier would otherwise flatten into a plain `{ code, message }`.
 */
export interface OciCall {
  signal?: AbortSignal;
  idempotent: boolean;
  failure?: unknown;
}

const calls = new AsyncLocalStorage<OciCall>();

/** Runs `fn` (one SDK client call) with `call` visible to `SignedHttp.send`. */
export function runOciCall<T>(call: OciCall, fn: () => Promise<T>): Promise<T> {
  return calls.run(call, fn);
}

/** Statuses whose Response must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The SDK clients' HTTP client: signs with the SDK's own signer (OCI signature v1, `x-date`, body digest
 * headers), then sends through the server's toolkit `HttpClient`, so OCI calls get the same timeouts,
 * cancellation, keep-alive pool and retry policy as every other upstream (reads retried on 429/5xx/resets
 * with backoff and Retry-After, mutations never). It replaces the SDK's FetchHttpClient and with it the
 * SDK's circuit breaker; the SDK's own retrier is configured to make one attempt.
 */
export class SignedHttp implements OciHttpClient {
  constructor(
    private readonly signer: RequestSigner,
    private readonly http: HttpClient,
  ) {}

  async send(request: OciHttpRequest, forceExcludeBody = false): Promise<Response> {
    const call = calls.getStore() ?? { idempotent: false };
    try {
      if (request.body !== undefined && typeof request.body !== 'string') {
        throw new TypeError('SignedHttp: only string bodies are supported');
      }
      await this.signer.signHttpRequest(
        { method: request.method, headers: request.headers, uri: request.uri, body: request.body },
        forceExcludeBody,
      );
      // The SDK's User-Agent names the OS and its release; the toolkit client sends the server's own.
      request.headers.delete('user-agent');
      const response = await this.http.request({
        method: request.method,
        url: request.uri,
        headers: Object.fromEntries(request.headers),
        ...(request.body === undefined ? {} : { body: request.body }),
        idempotent: call.idempotent,
        ...(call.signal ? { signal: call.signal } : {}),
      });
      const body = NULL_BODY_STATUSES.has(response.status) ? null : response.text;
      return new Response(body, { status: response.status, headers: response.headers });
    } catch (error) {
      call.failure = error;
      // The SDK's retrier reads `shouldBeRetried` from what a client throws; retries happened below already.
      throw Object.assign(new Error('OCI request failed'), { shouldBeRetried: false });
    }
  }
}
