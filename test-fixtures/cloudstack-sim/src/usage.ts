import { LIMITED_RESOURCES, type LimitedResource, type State } from './state.js';

const GB = 1024 ** 3;

/** What ResourceLimitManager counts against a limit: destroyed, expunging and failed VMs do not count. */
const COUNTED_VM = new Set(['Running', 'Stopped', 'Starting', 'Stopping']);

/** An account's resource counts in listProjects' units: memory in MiB, storage in whole GiB. */
export function resourceCounts(s: State, accountId: string): Record<LimitedResource, number> {
  const vms = s.all('vm').filter((vm) => vm.accountId === accountId && COUNTED_VM.has(vm.state));
  const offering = (id: string) => s.get('serviceoffering', id)!;
  const volumes = s.all('volume').filter((v) => v.accountId === accountId && v.state !== 'Destroy');
  const snapshots = s.all('snapshot').filter((sn) => sn.accountId === accountId);
  const templates = s.all('template').filter((t) => t.accountId === accountId);
  const gib = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0) / GB;
  return {
    network: s.all('network').filter((n) => n.accountId === accountId).length,
    vpc: 0,
    cpu: vms.reduce((n, vm) => n + offering(vm.serviceOfferingId).cpunumber, 0),
    memory: vms.reduce((n, vm) => n + offering(vm.serviceOfferingId).memory, 0),
    primarystorage: Math.floor(gib(volumes.map((v) => v.size))),
    // A float in CloudStack too: the only count not rounded down to whole GiB.
    secondarystorage: gib([...snapshots.map((sn) => sn.size), ...templates.map((t) => t.size)]),
    vm: vms.length,
    ip: s.all('ipaddress').filter((ip) => ip.accountId === accountId && !ip.issourcenat).length,
    volume: volumes.length,
    snapshot: snapshots.length,
    template: templates.length,
  };
}

/**
 * AccountJoinDaoImpl.setResourceLimits: `<r>limit` and `<r>available` are strings ("Unlimited" for -1),
 * `<r>total` a number; secondary storage's available is a Java double ("400.0").
 */
function javaDouble(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

export function limitFields(
  limits: Record<LimitedResource, number>,
  counts: Record<LimitedResource, number>,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const r of LIMITED_RESOURCES) {
    const limit = limits[r];
    const left = limit - counts[r];
    out[`${r}limit`] = limit === -1 ? 'Unlimited' : String(limit);
    out[`${r}total`] = counts[r];
    out[`${r}available`] =
      limit === -1 ? 'Unlimited' : r === 'secondarystorage' ? javaDouble(left) : String(left);
  }
  return out;
}
