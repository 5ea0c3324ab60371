import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { issueServingCertificate } from 'kube-sim';
import type { OcmSim } from 'ocm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OcmServer, projectedTokens, seen, startOcm, startSim } from './harness.js';

// Whoever may write the Route openshift-monitoring/thanos-querier on a managed cluster steers where this
// server sends that cluster's token for a Prometheus query. The token goes only where TLS is verified with
// the cluster's CA, redirects are never followed (they would carry the Authorization header elsewhere), and
// the query reaches Prometheus as one URL parameter, whatever it holds.

interface Recorder {
  port: number;
  requests: Array<{ url: string; authorization: string | undefined }>;
  server: Server;
}

let sim: OcmSim;
let server: OcmServer;
const servers: Server[] = [];

/** An https server whose certificate `caPem` signed, recording every request and answering with `answer`. */
async function trustedServer(caPem: string, answer: (res: ServerResponse) => void): Promise<Recorder> {
  const cert = issueServingCertificate(caPem, 'route', ['127.0.0.1']);
  const requests: Recorder['requests'] = [];
  const https = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    answer(res);
  });
  servers.push(https);
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  return { port: (https.address() as AddressInfo).port, requests, server: https };
}

const EMPTY = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } });

/** Points cluster1's thanos-querier Route at `host`, as its owner (or an attacker with that right) would. */
function pointRouteAt(host: string): void {
  const store = sim.managed[0]!.cluster.store;
  const route = store.get('route.openshift.io/v1', 'Route', 'openshift-monitoring', 'thanos-querier')!;
  store.put({ ...route, spec: { ...(route['spec'] as object), host } });
}

beforeAll(async () => {
  sim = await startSim({ managed: 2 });
  // every call discovers again, so each test's Route is the one used
  server = await startOcm(sim, { args: ['--prometheus-cache-ttl', '0'] });
  await server.ok('connect_cluster', { cluster: 'cluster1' });
});
afterAll(async () => {
  const tokens = projectedTokens(sim);
  await server?.close();
  for (const https of servers) https.close();
  for (const text of seen) for (const token of tokens) expect(text).not.toContain(token);
  await sim?.close();
});

describe('a Route pointed elsewhere', () => {
  it('to a server that redirects: the redirect is not followed, its target gets nothing', async () => {
    const ca = sim.managed[0]!.cluster.caPem;
    const target = await trustedServer(ca, (res) => res.end(EMPTY));
    const redirector = await trustedServer(ca, (res) => {
      res.writeHead(302, { location: `https://127.0.0.1:${target.port}/api/v1/query?query=up` });
      res.end();
    });
    pointRouteAt(`127.0.0.1:${redirector.port}`);
    const result = await server.call('prometheus', { cluster: 'cluster1', ql: 'up' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(
      `Route openshift-monitoring/thanos-querier (https://127.0.0.1:${redirector.port}): answered a redirect (302), which is not followed`,
    );
    expect(redirector.requests).toHaveLength(1);
    expect(target.requests).toEqual([]);
  });

  it("to another cluster's API server: its certificate is not the cluster CA's, so no request is sent", async () => {
    const other = sim.managed[1]!.cluster;
    const before = other.log.length;
    pointRouteAt(`127.0.0.1:${other.port}`);
    const result = await server.call('prometheus', { cluster: 'cluster1', ql: 'up' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('its TLS certificate is not signed by the cluster CA or --prometheus-ca');
    expect(other.log.slice(before)).toEqual([]);
  });

  it('to a server the cluster CA trusts: the query arrives as one parameter, exactly as written', async () => {
    const recorder = await trustedServer(sim.managed[0]!.cluster.caPem, (res) => res.end(EMPTY));
    pointRouteAt(`127.0.0.1:${recorder.port}`);
    const ql = 'up{job="a&query=evil#x"} # and more\n+ 0 / on() ?x=1';
    const result = await server.ok('prometheus', { cluster: 'cluster1', ql });
    expect(result.text).toContain('No series matched');
    expect(recorder.requests).toHaveLength(1);
    const sent = new URL(recorder.requests[0]!.url, 'https://x');
    expect(sent.pathname).toBe('/api/v1/query');
    expect([...sent.searchParams.keys()].sort()).toEqual(['query', 'time']);
    expect(sent.searchParams.get('query')).toBe(ql);
    // the token went there, as it may: TLS was verified with the cluster's CA
    expect(recorder.requests[0]!.authorization).toMatch(/^Bearer \S+$/);
  });
});

describe('arguments that are no PromQL', () => {
  it.each([
    ['group_by', 'pod,namespace)) or vector(1'],
    ['group_by', 'pod\nnamespace'],
    ['step', '0s'],
    ['step', '1e400'],
  ])('%s %j is bad input, and nothing is asked', async (field, value) => {
    const result = await server.call('prometheus', {
      cluster: 'cluster1',
      ql: 'up',
      data_type: 'range',
      [field]: value,
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(new RegExp(`Invalid (input|arguments).*${field}`, 's'));
  });
});
