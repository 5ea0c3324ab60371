import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CliAborted, CliError, CliRefused, type CliTool } from './errors.js';
import { urlRefusal } from './flags/urls.js';

/**
 * Fetches the URLs a command names (kubectl `-f https://…`) for the runner, so that no hop leaves the
 * operator's allowed prefixes: a CLI would follow redirects anywhere (Go's client also never proxies
 * loopback addresses, so a forward proxy cannot hold it). Each hop is checked with the policy's own prefix
 * match before it is requested; redirects are followed by hand, at most {@link MAX_REDIRECTS}; plain
 * `http`/`https` only; nothing but `accept` and `user-agent` is sent (no credentials, no cookies, no proxy,
 * no pooled connection).
 */

export const MAX_REDIRECTS = 5;
/** All the documents of one call together. */
export const MAX_FETCH_BYTES = 8 * 1024 * 1024;

const SCHEMES = ['http', 'https'];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface FetchUrlsOptions {
  tool: CliTool;
  /** The operator's prefixes (`--cli-allowed-urls`), as the policy reads them. */
  allowedUrls: readonly string[];
  /** For every URL and hop together. */
  timeoutMs: number;
  /** The call's cancellation. */
  signal?: AbortSignal | undefined;
  /** Default {@link MAX_FETCH_BYTES}. */
  maxBytes?: number;
}

type Answer = { status: number; location: string | undefined } | { status: number; body: Buffer };

class TooLarge extends Error {}

/** One GET without following redirects; the body is read only for a 2xx answer, up to `room` bytes. */
function get(url: URL, signal: AbortSignal, room: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ClientRequest;
    const onResponse = (res: IncomingMessage): void => {
      res.on('error', reject);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.resume();
        resolve({ status, location: res.headers.location });
        req.destroy();
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (declared > room) {
        req.destroy();
        reject(new TooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > room) {
          req.destroy();
          reject(new TooLarge());
        } else {
          chunks.push(chunk);
        }
      });
      res.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
    };
    req = send(
      url,
      {
        method: 'GET',
        agent: false,
        signal,
        headers: { accept: 'application/yaml, application/json, */*', 'user-agent': 'cloudmcp-kube' },
      },
      onResponse,
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * The hop's URL if it is under the allowed prefixes, else a refusal naming it. What is requested is the
 * WHATWG parse of it, so that form is checked too: no parser difference can move a request elsewhere.
 */
function checkHop(href: string, first: string, options: FetchUrlsOptions): URL {
  let why = urlRefusal(href, SCHEMES, options.allowedUrls);
  if (why === undefined) {
    const url = new URL(href);
    why = urlRefusal(url.href, SCHEMES, options.allowedUrls);
    if (why === undefined) return url;
  }
  const redirected = href !== first;
  throw new CliRefused(
    options.tool,
    'url',
    href,
    redirected
      ? `Refused \`${first}\`: it redirects to \`${href}\`, and ${why}; nothing was fetched from there.`
      : `Refused \`${first}\`: ${why}.`,
    `Use a URL under one of the allowed prefixes (${options.allowedUrls.join(', ') || 'none'}) that answers without leaving them, or pass the content as stdin with \`-\`.`,
  );
}

function failure(options: FetchUrlsOptions, url: string, why: string): CliError {
  return new CliError(
    options.tool,
    `Could not fetch \`${url}\`: ${why}; ${options.tool} was not run.`,
    'Check the URL (open it yourself), or pass the content as stdin with `-`.',
  );
}

/** Fetches one URL, following redirects inside the prefixes; `room` bytes are left of the cap. */
async function fetchOne(first: string, options: FetchUrlsOptions, signal: AbortSignal, room: number) {
  let href = first;
  for (let hops = 0; ; hops++) {
    const url = checkHop(href, first, options);
    const answer = await get(url, signal, room);
    if ('body' in answer) return answer.body;
    if (!REDIRECTS.has(answer.status)) {
      const at = href === first ? '' : ` (at \`${href}\`, where it redirected)`;
      throw failure(options, first, `the server answered HTTP ${answer.status}${at}`);
    }
    if (answer.location === undefined) {
      throw failure(options, first, `HTTP ${answer.status} without a Location to go on to`);
    }
    if (hops === MAX_REDIRECTS) throw failure(options, first, `more than ${MAX_REDIRECTS} redirects`);
    href = new URL(answer.location, url).href;
  }
}

/**
 * GETs each URL in order and returns their bodies as text. Throws {@link CliRefused} (`url`) when a URL or
 * a redirect leaves the allowed prefixes (that hop is never requested), {@link CliAborted} when the call is
 * cancelled, and a {@link CliError} naming the URL for an HTTP error, too many redirects, a network failure,
 * the size cap or the timeout.
 */
export async function fetchUrls(urls: readonly string[], options: FetchUrlsOptions): Promise<string[]> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const max = options.maxBytes ?? MAX_FETCH_BYTES;
  const out: string[] = [];
  let used = 0;
  for (const url of urls) {
    try {
      const body = await fetchOne(url, options, signal, max - used);
      used += body.length;
      out.push(body.toString('utf8'));
    } catch (error) {
      if (error instanceof CliError) throw error;
      if (options.signal?.aborted) throw new CliAborted(options.tool);
      if (deadline.aborted) throw failure(options, url, `no answer within ${options.timeoutMs} ms`);
      if (error instanceof TooLarge) {
        throw failure(options, url, `the documents are larger than ${max} bytes together`);
      }
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw failure(options, url, String(code));
    }
  }
  return out;
}
