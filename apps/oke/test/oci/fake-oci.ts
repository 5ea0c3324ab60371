import { createHash, type KeyObject, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A small OCI endpoint for unit tests that checks request signatures the way OCI does (signature version 1,
// NOTES.md §2) and answers whatever the test routes say. test-fixtures/oci-sim is the faithful simulator;
// this one only has to be strict about signing.

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  keyId: string;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Route = (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const MAX_SKEW_MS = 5 * 60_000;

export class FakeOci {
  readonly requests: FakeRequest[] = [];
  /** Why requests were refused with 401. */
  readonly refused: string[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly keys = new Map<string, KeyObject>();
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));
  private counter = 0;

  /** Accepts signatures by `keyId` (an API key id, or `ST$<token>`) made with this key pair. */
  trust(keyId: string, publicKey: KeyObject): void {
    this.keys.set(keyId, publicKey);
  }

  /** `route('GET /20180222/clusters', …)`. */
  route(methodAndPath: string, route: Route): void {
    this.routes.set(methodAndPath, route);
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const requestId = `fake-${++this.counter}`;
    const send = (answer: FakeAnswer) => {
      const headers: Record<string, string> = { 'opc-request-id': requestId, ...answer.headers };
      if (answer.body !== undefined) headers['content-type'] ??= 'application/json';
      res.writeHead(answer.status, headers);
      res.end(
        answer.body === undefined
          ? undefined
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body),
      );
    };
    const verdict = this.verifySignature(req, body);
    if (typeof verdict === 'string') {
      this.refused.push(verdict);
      send({
        status: 401,
        body: {
          code: 'NotAuthenticated',
          message: 'The required information to complete authentication was not provided or was incorrect.',
        },
      });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      keyId: verdict.keyId,
    };
    this.requests.push(request);
    const route = this.routes.get(`${request.method} ${request.path}`);
    send(
      route
        ? await route(request)
        : {
            status: 404,
            body: {
              code: 'NotAuthorizedOrNotFound',
              message: 'Authorization failed or requested resource not found.',
            },
          },
    );
  }

  /** The keyId of a correctly signed request, or why it is not. */
  private verifySignature(req: IncomingMessage, body: string): { keyId: string } | string {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Signature ')) return 'no Signature authorization';
    const params: Record<string, string> = Object.fromEntries(
      [...header.slice('Signature '.length).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [
        m[1] ?? '',
        m[2] ?? '',
      ]),
    );
    if (params['version'] !== '1' || params['algorithm'] !== 'rsa-sha256') return 'bad version or algorithm';
    // Names compare case-insensitively: the TypeScript SDK lists `Content-Type Content-Length` as it set them.
    const signed = (params['headers'] ?? '').split(' ').map((name) => name.toLowerCase());
    const method = req.method ?? 'GET';
    const required = ['(request-target)', 'host', signed.includes('x-date') ? 'x-date' : 'date'];
    if (BODY_METHODS.has(method)) required.push('x-content-sha256', 'content-type', 'content-length');
    const missing = required.filter((name) => !signed.includes(name));
    if (missing.length) return `unsigned ${missing.join(', ')}`;
    if (BODY_METHODS.has(method)) {
      const digest = createHash('sha256').update(body).digest('base64');
      if (req.headers['x-content-sha256'] !== digest) return 'body digest mismatch';
      if (Number(req.headers['content-length']) !== Buffer.byteLength(body)) return 'content-length mismatch';
    }
    const when = Date.parse(String(req.headers['x-date'] ?? req.headers.date ?? ''));
    if (!(Math.abs(Date.now() - when) <= MAX_SKEW_MS)) return 'clock skew';
    const keyId = params['keyId'] ?? '';
    const publicKey = this.keys.get(keyId);
    if (!publicKey) return 'unknown keyId';
    const signingString = signed
      .map((name) =>
        name === '(request-target)'
          ? `(request-target): ${method.toLowerCase()} ${req.url}`
          : `${name}: ${req.headers[name]}`,
      )
      .join('\n');
    const ok = verify(
      'sha256',
      Buffer.from(signingString),
      publicKey,
      Buffer.from(params['signature'] ?? '', 'base64'),
    );
    return ok ? { keyId } : 'bad signature';
  }
}
