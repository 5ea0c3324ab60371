/**
 * A tiny Kubernetes API client over node:https: JSON requests and watch streams, trusting only the cluster's CA
 * and carrying one bearer token. Each OCM agent and hub controller has its own, so every action it takes goes
 * through the API server's authentication and RBAC under its own identity.
 */
import { Agent, request } from 'node:https';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are read field by field
export type K8sObject = Record<string, any>;

export interface ClusterEndpoint {
  url: string;
  caPem: string;
}

/** A failed API call: the HTTP status and the Status message the API server answered with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.status === 404;
export const isConflict = (e: unknown): boolean => e instanceof ApiError && e.status === 409;
export const isAlreadyExists = (e: unknown): boolean => e instanceof ApiError && e.reason === 'AlreadyExists';

/** `/api/v1` or `/apis/<group>/<version>`, then the namespace, resource, name and subresource. */
export function resourcePath(
  apiVersion: string,
  plural: string,
  namespace?: string,
  name?: string,
  subresource?: string,
): string {
  let p = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  if (namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${plural}`;
  if (name) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** A failed watch is retried after 200 ms, then twice as long each time it fails again, up to 5 s. */
const WATCH_RETRY_MS = 200;
const WATCH_RETRY_MAX_MS = 5000;

export interface Watch {
  stop(): void;
}

export class ApiClient {
  private readonly agent: Agent;
  private stopped = false;
  private readonly streams = new Set<() => void>();
  /** Mutating requests that succeeded so far (settle() uses it to tell a controller that changed something). */
  writes = 0;

  constructor(
    private readonly endpoint: ClusterEndpoint,
    private readonly token: string,
    readonly userAgent: string,
  ) {
    this.agent = new Agent({ keepAlive: true, ca: endpoint.caPem, maxSockets: 8 });
  }

  get url(): string {
    return this.endpoint.url;
  }

  /** The cluster's CA (what an agent's in-cluster config carries). */
  get caPem(): string {
    return this.endpoint.caPem;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<K8sObject> {
    if (this.stopped) throw new ApiError(0, `${this.userAgent}: client closed`);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    };
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.endpoint.url), { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: K8sObject | undefined;
          try {
            parsed = text ? (JSON.parse(text) as K8sObject) : {};
          } catch {
            parsed = undefined;
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            if (method !== 'GET') this.writes++;
            resolve(parsed ?? { text });
          } else
            reject(
              new ApiError(
                status,
                parsed?.message ?? (text.slice(0, 200) || `HTTP ${status}`),
                parsed?.reason,
              ),
            );
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', (e) => reject(new ApiError(0, e.message)));
      req.end(payload);
    });
  }

  get = (path: string) => this.request('GET', path);

  /** The HTTP status of a GET whose body does not matter (a health probe); 0 when the request failed. */
  async probe(path: string): Promise<number> {
    try {
      await this.get(path);
      return 200;
    } catch (e) {
      return e instanceof ApiError ? e.status : 0;
    }
  }

  /** The object, or undefined when it does not exist. */
  async find(path: string): Promise<K8sObject | undefined> {
    try {
      return await this.get(path);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(path: string, labelSelector?: string): Promise<K8sObject[]> {
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return ((await this.get(`${path}${q}`)).items ?? []) as K8sObject[];
  }

  create = (path: string, obj: K8sObject) => this.request('POST', path, obj);
  replace = (path: string, obj: K8sObject) => this.request('PUT', path, obj);
  mergePatch = (path: string, patch: K8sObject) =>
    this.request('PATCH', path, patch, 'application/merge-patch+json');

  /** Server-side apply as `fieldManager` (`force` takes over fields other managers own). */
  apply = (path: string, obj: K8sObject, fieldManager: string, force = false) =>
    this.request(
      'PATCH',
      `${path}?fieldManager=${encodeURIComponent(fieldManager)}${force ? '&force=true' : ''}`,
      obj,
      'application/apply-patch+yaml',
    );

  /** Deletes; true when it existed. */
  async delete(path: string, propagationPolicy?: 'Foreground' | 'Background' | 'Orphan'): Promise<boolean> {
    try {
      const body = propagationPolicy
        ? { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy }
        : undefined;
      await this.request('DELETE', path, body);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /**
   * Watches a collection (or one object by name) and calls `onEvent` for every event; reconnects when the
   * stream ends or fails (the initial events of the new stream say what changed meanwhile).
   */
  watch(path: string, onEvent: (type: string, obj: K8sObject) => void): Watch {
    let current: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    let retryMs = WATCH_RETRY_MS;
    const connect = () => {
      if (done || this.stopped) return;
      let ended = false;
      const again = () => {
        if (ended) return;
        ended = true;
        if (!done && !this.stopped) timer = setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, WATCH_RETRY_MAX_MS);
      };
      const sep = path.includes('?') ? '&' : '?';
      const req = request(
        new URL(`${path}${sep}watch=1`, this.endpoint.url),
        {
          method: 'GET',
          headers: { Authorization: `Bearer ${this.token}`, 'User-Agent': this.userAgent },
          agent: false,
          ca: this.endpoint.caPem,
        },
        (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            res.on('end', again);
            return;
          }
          retryMs = WATCH_RETRY_MS;
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buf += chunk;
            for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (line) {
                const ev = JSON.parse(line) as { type: string; object: K8sObject };
                onEvent(ev.type, ev.object);
              }
            }
          });
          res.on('end', again);
          res.on('error', again);
        },
      );
      req.on('error', again);
      req.on('close', again);
      req.end();
      current = () => {
        ended = true;
        req.destroy();
      };
    };
    const handle = () => {
      done = true;
      if (timer) clearTimeout(timer);
      current?.();
    };
    this.streams.add(handle);
    connect();
    return {
      stop: () => {
        this.streams.delete(handle);
        handle();
      },
    };
  }

  close(): void {
    this.stopped = true;
    for (const s of this.streams) s();
    this.streams.clear();
    this.agent.destroy();
  }
}
