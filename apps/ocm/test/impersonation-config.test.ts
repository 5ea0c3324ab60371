import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createLogger } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import { ocmConfigSchema } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { ocmServer } from '../src/server.js';

// --impersonate-caller cannot be honoured here (managed clusters are reached through the server's own
// service account per cluster, shared by every caller): starting with it is a configuration error. A
// read-scope OAuth caller still gets what --read-only lists, the reading kubectl and helm among it.

const logger = createLogger({ name: 'test', level: 'error', write: () => {} });

function kubeconfigFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ocm-imp-')), 'config');
  writeFileSync(
    path,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'hub',
      clusters: [{ name: 'hub', cluster: { server: 'https://hub.example.com:6443' } }],
      users: [{ name: 'u', user: { token: 'hub-token-0123456789' } }],
      contexts: [{ name: 'hub', context: { cluster: 'hub', user: 'u' } }],
    }),
  );
  return path;
}

describe('ocm-mcp and --impersonate-caller', () => {
  it('is a configuration error saying why, not a flag accepted and ignored', () => {
    const config = ocmConfigSchema.parse({ kubeconfig: kubeconfigFile(), impersonateCaller: true });
    expect(() => createDeps(config, logger)).toThrow(ConfigError);
    expect(() => createDeps(config, logger)).toThrow(
      /^--impersonate-caller \(CLOUDMCP_IMPERSONATE_CALLER\) is not available in ocm-mcp: managed clusters/,
    );
    expect(() => createDeps(ocmConfigSchema.parse({ kubeconfig: kubeconfigFile() }), logger)).not.toThrow();
  });

  it('gives read-only callers the reading kubectl and helm (readOnlyTools)', () => {
    const spec = ocmServer();
    const readOnly = new Map((spec.readOnlyTools ?? []).map((t) => [t.name, t]));
    for (const name of ['kubectl', 'helm']) {
      expect(spec.tools.find((t) => t.name === name)?.annotations.readOnlyHint, name).toBe(false);
      expect(readOnly.get(name)?.annotations.readOnlyHint, name).toBe(true);
    }
  });
});
