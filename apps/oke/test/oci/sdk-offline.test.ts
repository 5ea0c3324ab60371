import dns from 'node:dns';
import net from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import { loadContainerEngine, loadIdentity, loadOciCommon } from '../../src/oci/sdk.js';

// The OCI SDK must not touch the network (instance metadata at 169.254.169.254 included) when it is
// imported or when a client is constructed and pointed at a region: OciApi does both on the first call,
// and a call that fails validation must not have talked to anyone.

afterEach(() => {
  vi.restoreAllMocks();
});

it('imports the SDK and constructs both clients without any connection or DNS lookup', async () => {
  const connect = vi.spyOn(net.Socket.prototype, 'connect');
  const lookup = vi.spyOn(dns, 'lookup');
  const fetchSpy = vi.spyOn(globalThis, 'fetch');
  const common = await loadOciCommon();
  const { ContainerEngineClient } = await loadContainerEngine();
  const { IdentityClient } = await loadIdentity();
  const configuration = {
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
    retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
  };
  const httpClient = { send: () => Promise.reject(new Error('no request expected')) };
  const containerEngine = new ContainerEngineClient({ httpClient }, configuration);
  containerEngine.regionId = 'us-phoenix-1';
  const identity = new IdentityClient({ httpClient }, configuration);
  identity.regionId = 'xx-unknown-1';
  expect(containerEngine.endpoint).toBe('https://containerengine.us-phoenix-1.oci.oraclecloud.com/20180222');
  expect(identity.endpoint).toBe('https://identity.xx-unknown-1.oci.oraclecloud.com/20160918');
  containerEngine.endpoint = 'http://127.0.0.1:9000';
  expect(containerEngine.endpoint).toBe('http://127.0.0.1:9000/20180222');
  expect(connect).not.toHaveBeenCalled();
  expect(lookup).not.toHaveBeenCalled();
  expect(fetchSpy).not.toHaveBeenCalled();
});
