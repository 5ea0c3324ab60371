import { readFileSync, writeFileSync } from 'node:fs';
import type { OciSim } from 'oci-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterNamed, items, type OkeServer, startOke, startSim, tempDir } from './harness.js';

// Both auth modes of the stdio bin: an API key (profile DEFAULT) and a security token (profile SESSION, as
// `oci session authenticate` writes it), the token file rotated under a running server, an expired token,
// and never the API key in its place.

let sim: OciSim;
const servers: OkeServer[] = [];

beforeAll(async () => {
  sim = await startSim();
});
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
afterAll(async () => {
  await sim?.close();
});

/** A config file with an API key DEFAULT profile and a SESSION profile beside it, like a real ~/.oci. */
function bothProfiles() {
  const dir = tempDir('oke-oci-');
  sim.writeConfig(dir, { auth: 'api_key', profile: 'DEFAULT' });
  return sim.writeConfig(dir, { auth: 'security_token', profile: 'SESSION' });
}

async function start(opts: Parameters<typeof startOke>[1]) {
  const server = await startOke(sim, opts);
  servers.push(server);
  return server;
}

/** What the simulator saw since `from`: how each request authenticated. */
const authSince = (from: number) => sim.log.slice(from).map((e) => e.auth);

describe('API key (profile DEFAULT)', () => {
  it('signs OCI calls and cluster tokens with the API key', async () => {
    const server = await start({ auth: 'api_key' });
    const from = sim.log.length;
    expect(items(await server.ok('cluster_list')).map((c) => c['name'])).toEqual(['oke-prod']);
    await server.ok('namespace_list', { cluster: 'oke-prod' });
    expect(new Set(authSince(from))).toEqual(new Set(['api_key']));
    expect(sim.log.slice(from).every((e) => e.principal === sim.users.admin.userId)).toBe(true);
  });
});

describe('security token (profile SESSION)', () => {
  it('signs with the session, picks up a refreshed token file mid session and never uses the API key', async () => {
    const config = bothProfiles();
    const server = await start({ auth: 'security_token', config });
    const from = sim.log.length;
    await server.ok('cluster_list');
    await server.ok('namespace_list', { cluster: 'oke-prod' });
    const env = await server.ok('environment_get');
    expect(env.structured?.['auth']).toMatchObject({ mode: 'security_token', profile: 'SESSION' });

    // `oci session refresh`: a new token for the same session key, the old one expired.
    const old = readFileSync(config.tokenFile!, 'utf8').trim();
    const next = sim.refreshSession(old);
    writeFileSync(config.tokenFile!, next.token, { mode: 0o600 });
    sim.expireSession(old);

    expect(items(await server.ok('cluster_list')).map((c) => c['name'])).toEqual(['oke-prod']);
    // The cluster token signed with the old session is refused by the cluster; a new one is made.
    expect(items(await server.ok('namespace_list', { cluster: 'oke-prod' })).length).toBeGreaterThan(0);
    expect(sim.clusterTokenChecks.get(clusterNamed(sim, 'oke-prod').id)).toBeGreaterThanOrEqual(2);
    expect(new Set(authSince(from))).toEqual(new Set(['session']));
  });

  it('picks up a new session (`oci session authenticate` again: new key and token) without a restart', async () => {
    const config = bothProfiles();
    const server = await start({ auth: 'security_token', config });
    await server.ok('cluster_list');

    const old = readFileSync(config.tokenFile!, 'utf8').trim();
    const fresh = sim.createSession();
    writeFileSync(config.keyFile, fresh.privateKeyPem, { mode: 0o600 });
    writeFileSync(config.tokenFile!, fresh.token, { mode: 0o600 });
    sim.expireSession(old);

    const from = sim.log.length;
    expect(items(await server.ok('cluster_list')).map((c) => c['name'])).toEqual(['oke-prod']);
    expect(sim.log.slice(from).map((e) => e.status)).toEqual([200]);
  });

  it('an expired token answers with the `oci session refresh` advice and sends nothing with the API key', async () => {
    const config = bothProfiles();
    const server = await start({ auth: 'security_token', config });
    await server.ok('cluster_list');
    sim.expireSession(readFileSync(config.tokenFile!, 'utf8').trim());

    const from = sim.log.length;
    const failed = await server.call('cluster_get', { cluster: clusterNamed(sim, 'oke-prod').id });
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain('oci session refresh --profile SESSION');
    const kube = await server.call('namespace_list', { cluster: 'oke-prod' });
    expect(kube.isError).toBe(true);
    expect(authSince(from).every((a) => a === 'session')).toBe(true);
  });

  it('a token file whose own expiry has passed is refused before anything is sent', async () => {
    const dir = tempDir('oke-oci-');
    const config = sim.writeConfig(dir, { auth: 'security_token', profile: 'SESSION', ttlMs: 1 });
    const server = await start({ auth: 'security_token', config });
    const from = sim.log.length;
    const failed = await server.call('cluster_list');
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain('oci session refresh --profile SESSION');
    expect(sim.log.length).toBe(from);
  });
});
