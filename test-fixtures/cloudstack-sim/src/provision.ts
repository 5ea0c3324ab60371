import type { State, Vm, VmState, Volume } from './state.js';

/** Shared by the seed and deployVirtualMachine so seeded and deployed VMs look alike. */
export interface VmSpec {
  name: string;
  displayname: string;
  accountId: string;
  userId: string;
  zoneId: string;
  templateId: string;
  serviceOfferingId: string;
  networkIds: readonly string[];
  state: VmState;
  created: string;
  keypair?: string;
}

export function createVm(s: State, uuid: () => string, spec: VmSpec): Vm {
  const n = s.nextVmNumber();
  const { networkIds, ...rest } = spec;
  const vm: Vm = {
    ...rest,
    id: uuid(),
    instanceName: `i-${s.account(spec.accountId).internalId}-${n}-VM`,
    nics: networkIds.map((networkId, i) => ({
      id: uuid(),
      networkId,
      ipaddress: s.allocateGuestIp(s.get('network', networkId)!),
      macaddress: s.macAddress(),
      isdefault: i === 0,
    })),
  };
  if (spec.state === 'Running') vm.hostId = pickHost(s, spec.zoneId, n);
  s.add('vm', vm);
  s.add('volume', {
    id: uuid(),
    name: `ROOT-${n}`,
    type: 'ROOT',
    zoneId: spec.zoneId,
    accountId: spec.accountId,
    size: s.get('template', spec.templateId)!.size,
    templateId: spec.templateId,
    serviceOfferingId: spec.serviceOfferingId,
    vmId: vm.id,
    deviceId: 0,
    state: 'Ready',
    created: spec.created,
    attached: spec.created,
  });
  return vm;
}

export function pickHost(s: State, zoneId: string, salt: number): string {
  const hosts = s.all('host').filter((h) => h.zoneId === zoneId);
  return hosts[salt % hosts.length]!.id;
}

export function rootVolume(s: State, vmId: string): Volume | undefined {
  return s.all('volume').find((v) => v.vmId === vmId && v.type === 'ROOT');
}

/** Lowest free device id from 1; 3 is the CD-ROM slot CloudStack never hands to a data disk. */
export function nextDeviceId(s: State, vmId: string): number {
  const used = new Set(
    s
      .all('volume')
      .filter((v) => v.vmId === vmId)
      .map((v) => v.deviceId),
  );
  let d = 1;
  while (used.has(d) || d === 3) d++;
  return d;
}
