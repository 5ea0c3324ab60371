import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../src/client.js';
import { TYPES } from '../src/client.js';
import { KubeApiError } from '../src/errors.js';
import type { Pod } from '../src/pods.js';
import { limiter } from '../src/tools/concurrency.js';
import { hostMatches, pathScore, type Route, routesFor } from '../src/tools/ingress-routes.js';
import type { Ingress } from '../src/tools/kinds.js';
import { kubeletUnreachable } from '../src/tools/log-hints.js';
import { countObjects } from '../src/tools/metadata.js';

const route = (path: string, pathType = 'Prefix'): Route => ({
  ingress: {},
  host: 'shop.example.com',
  path,
  pathType,
  backend: {},
});

describe('ingress rules as a controller reads them', () => {
  it('hosts: exact (any case), or a wildcard for exactly one more label', () => {
    expect(hostMatches('shop.example.com', 'SHOP.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'shop.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'a.shop.example.com')).toBe(false);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches('shop.example.com', 'shop.example.org')).toBe(false);
  });

  it('paths: Prefix by whole elements, Exact only equal, the longest wins', () => {
    expect(pathScore(route('/api'), '/api/orders')).toBeGreaterThan(pathScore(route('/'), '/api/orders'));
    expect(pathScore(route('/api'), '/apis')).toBe(-1);
    expect(pathScore(route('/api/'), '/api')).toBeGreaterThan(0);
    expect(pathScore(route('/admin', 'Exact'), '/admin/x')).toBe(-1);
    expect(pathScore(route('/admin', 'Exact'), '/admin')).toBeGreaterThan(
      pathScore(route('/admin'), '/admin'),
    );
    const ingress: Ingress = {
      spec: {
        rules: [
          {
            host: '*.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'web' } } },
                {
                  path: '/static',
                  pathType: 'ImplementationSpecific',
                  backend: { service: { name: 'cdn' } },
                },
              ],
            },
          },
        ],
      },
    };
    expect(
      routesFor([ingress], 'a.example.com', '/static/x.css').map((r) => r.backend.service?.name),
    ).toEqual(['cdn']);
    expect(routesFor([ingress], 'a.example.com', undefined)).toHaveLength(2);
    expect(routesFor([ingress], 'a.example.net', '/')).toEqual([]);
  });
});

describe('countObjects', () => {
  /** A client whose metadata lists page through `total` names, with or without a remaining count. */
  function fakeClient(total: number, withRemaining: boolean) {
    const asked: Array<Record<string, unknown>> = [];
    const client = {
      async listMetadata(_type: unknown, query: { limit: number; continue?: string }) {
        asked.push(query);
        const start = Number(query.continue ?? 0);
        const end = Math.min(total, start + query.limit);
        const items = Array.from({ length: end - start }, (_, i) => ({
          metadata: { name: `cm-${start + i}` },
        }));
        const more = end < total;
        return {
          items,
          metadata: {
            ...(more ? { continue: String(end) } : {}),
            ...(more && withRemaining ? { remainingItemCount: total - end } : {}),
          },
        };
      },
    } as unknown as KubeClient;
    return { client, asked };
  }
  const signal = new AbortController().signal;

  it('one request of one item when the server counts the rest', async () => {
    const { client, asked } = fakeClient(1234, true);
    expect(await countObjects(client, TYPES.configMaps, 'x', signal)).toEqual({ count: 1234 });
    expect(asked).toHaveLength(1);
  });

  it('pages through names when it does not, and stops at the cap', async () => {
    const { client, asked } = fakeClient(1234, false);
    expect(await countObjects(client, TYPES.configMaps, 'x', signal)).toEqual({ count: 1234 });
    expect(asked.map((q) => q.limit)).toEqual([1, 500, 500, 500]);
    const capped = fakeClient(5000, false);
    expect(await countObjects(capped.client, TYPES.configMaps, 'x', signal, 1000)).toEqual({
      count: 1001,
      more: true,
    });
  });
});

describe('kubeletUnreachable', () => {
  const pod: Pod = {
    metadata: { name: 'web-1', namespace: 'shop' },
    spec: { nodeName: '10.0.10.5' },
    status: { hostIP: '10.0.10.5' } as Pod['status'],
  };
  const failure = (code: number, message: string) =>
    new KubeApiError(code, { kind: 'Status', code, message }, { method: 'GET', path: '/x', target: 'oke' });

  it.each([
    'Get "https://10.0.10.5:10250/containerLogs/shop/web-1/web?tailLines=200": dial tcp 10.0.10.5:10250: i/o timeout',
    'Get "https://10.0.10.5:10250/containerLogs/shop/web-1/web": dial tcp 10.0.10.5:10250: connect: connection refused',
    'error dialing backend: dial tcp 10.0.10.5:10250: connect: no route to host',
    'Get "https://10.0.10.5:10250/containerLogs/shop/web-1/web": proxy error from 127.0.0.1:6443 while dialing 10.0.10.5:10250, code 502: 502 Bad Gateway',
    'Get "https://10.0.10.5:10250/containerLogs/shop/web-1/web": net/http: TLS handshake timeout',
  ])('names the node and port 10250 for: %s', (message) => {
    const hint = kubeletUnreachable(failure(500, message), pod)!;
    expect(hint.message).toBe(
      'The API server could not reach the kubelet on node 10.0.10.5 (10.0.10.5:10250) to read the logs of pod shop/web-1.',
    );
    expect(hint.details.upstreamMessage).toBe(message);
    expect(hint.details.next).toMatch(/TCP 10250 .* security list or network security group/);
  });

  it('leaves other failures alone', () => {
    expect(
      kubeletUnreachable(failure(503, 'the server is currently unable to handle the request'), pod),
    ).toBe(undefined);
    expect(kubeletUnreachable(failure(400, 'dial tcp: container "x" is waiting to start'), pod)).toBe(
      undefined,
    );
    expect(kubeletUnreachable(new Error('dial tcp 1.2.3.4:10250'), pod)).toBe(undefined);
  });
});

describe('limiter', () => {
  it('runs at most `max` at once, in the order asked', async () => {
    const run = limiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const release: Array<() => void> = [];
    const gates = Array.from({ length: 5 }, () => new Promise<void>((go) => release.push(go)));
    const done = gates.map((gate, i) =>
      run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await gate;
        running--;
        return i;
      }),
    );
    for (const go of release) {
      await Promise.resolve();
      go();
    }
    expect(await Promise.all(done)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });
});
