/** OcmSimOptions checked and filled in with their defaults. */
import type { ManagedClusterOptions, OcmSimOptions, PrometheusExposure } from './types.js';

export interface ManagedClusterSpec {
  name: string;
  labels: Record<string, string>;
  claims: Record<string, string>;
  clusterSet: string;
  addons: string[];
  prometheus: PrometheusExposure;
  accepted: boolean;
}

export interface SimSettings {
  managed: ManagedClusterSpec[];
  clusterSets: string[];
  hubSeed: 'realistic' | 'empty';
  managedSeed: 'realistic' | 'empty';
  host: string;
  defaultTokenValiditySeconds: number;
  leaseDurationSeconds: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EXPOSURES: PrometheusExposure[] = ['route', 'service', 'none'];
/** The add-on's default rotation validity, 8640h (360 days). */
export const DEFAULT_TOKEN_VALIDITY_SECONDS = 8640 * 3600;

function label(what: string, value: unknown): string {
  if (typeof value !== 'string' || !DNS_LABEL.test(value)) {
    throw new Error(`${what} must be a DNS-1123 label, got ${JSON.stringify(value)}`);
  }
  return value;
}

function cluster(o: ManagedClusterOptions, index: number): ManagedClusterSpec {
  return {
    name: label('managed cluster name', o.name),
    labels: { ...(o.labels ?? {}) },
    claims: { ...(o.claims ?? {}) },
    clusterSet: label('clusterSet', o.clusterSet ?? 'default'),
    addons: (o.addons ?? ['managed-serviceaccount']).map((a) => label('add-on name', a)),
    prometheus: checkExposure(o.prometheus ?? (index === 0 ? 'route' : 'service')),
    accepted: o.accepted ?? true,
  };
}

function checkExposure(p: PrometheusExposure): PrometheusExposure {
  if (!EXPOSURES.includes(p))
    throw new Error(`prometheus must be one of ${EXPOSURES.join(', ')}, got "${p}"`);
  return p;
}

export function settings(o: OcmSimOptions): SimSettings {
  const managed = o.managed ?? 3;
  let specs: ManagedClusterSpec[];
  if (typeof managed === 'number') {
    if (!Number.isInteger(managed) || managed < 0 || managed > 200) {
      throw new Error(`managed must be an integer between 0 and 200, got ${managed}`);
    }
    specs = Array.from({ length: managed }, (_, i) => cluster({ name: `cluster${i + 1}` }, i));
  } else {
    specs = managed.map(cluster);
  }
  const names = specs.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error('managed cluster names must be unique');
  if (names.includes('hub')) throw new Error('"hub" is the hub cluster\'s name');
  const validity = o.defaultTokenValiditySeconds ?? DEFAULT_TOKEN_VALIDITY_SECONDS;
  if (!Number.isInteger(validity) || validity < 600) {
    throw new Error(
      'defaultTokenValiditySeconds must be an integer of at least 600 (the TokenRequest minimum)',
    );
  }
  const lease = o.leaseDurationSeconds ?? 1;
  if (!Number.isInteger(lease) || lease < 1)
    throw new Error('leaseDurationSeconds must be a positive integer');
  return {
    managed: specs,
    clusterSets: (o.clusterSets ?? []).map((set) => label('clusterSets entry', set)),
    hubSeed: o.hubSeed ?? 'empty',
    managedSeed: o.managedSeed ?? 'realistic',
    host: o.host ?? '127.0.0.1',
    defaultTokenValiditySeconds: validity,
    leaseDurationSeconds: lease,
  };
}
