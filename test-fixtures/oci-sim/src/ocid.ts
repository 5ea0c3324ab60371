import type { Prng } from 'sim-kit';

/** Region identifiers and their short keys as OCIDs carry them (a newer region's OCIDs carry its full name). */
const REGION_KEYS: Record<string, string> = {
  'us-ashburn-1': 'iad',
  'us-phoenix-1': 'phx',
  'us-sanjose-1': 'sjc',
  'us-chicago-1': 'ord',
  'ca-toronto-1': 'yyz',
  'eu-frankfurt-1': 'fra',
  'eu-amsterdam-1': 'ams',
  'uk-london-1': 'lhr',
  'ap-tokyo-1': 'nrt',
  'ap-sydney-1': 'syd',
  'ap-mumbai-1': 'bom',
  'sa-saopaulo-1': 'gru',
};

export const REGION_ID = /^[a-z]{2,}-[a-z]+-\d{1,2}$/;

export function regionKey(region: string): string {
  return REGION_KEYS[region] ?? region;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * OCIDs are `ocid1.<type>.oc1.<region key or empty>.<unique>`; the unique part is 60 lower-case base32
 * characters, starting with `aaaaaaaa` for most resource types.
 */
export class OcidFactory {
  constructor(
    private readonly prng: Prng,
    private readonly region: string,
  ) {}

  /** A regional resource (cluster, node pool, instance, subnet…). */
  regional(type: string): string {
    return `ocid1.${type}.oc1.${regionKey(this.region)}.${this.unique()}`;
  }

  /** A global resource (tenancy, user, compartment). */
  global(type: string): string {
    return `ocid1.${type}.oc1..${this.unique()}`;
  }

  private unique(): string {
    let s = 'aaaaaaaa';
    while (s.length < 60) s += BASE32[this.prng.int(32)];
    return s;
  }
}
