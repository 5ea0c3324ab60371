import { Prng } from 'sim-kit';
import { createVm } from './provision.js';
import {
  DATA_VOLUMES,
  DISK_OFFERINGS,
  KEYPAIRS,
  NETWORK_OFFERINGS,
  OS_TYPES,
  PROJECT_VMS,
  PROJECTS,
  SERVICE_OFFERINGS,
  SNAPSHOTS,
  TEMPLATES,
  VMS,
  ZONES,
} from './seed-data.js';
import { type Account, type Network, State, type User, type VmState, type Zone } from './state.js';
import { csDate } from './time.js';

const GB = 1024 ** 3;
const BASE = Date.UTC(2024, 0, 15, 9, 0, 0);
const HOUR = 3_600_000;

export const PASSWORDS = { admin: 'password', alice: 'alice-pass', bob: 'bob-pass' } as const;

export interface Seeded {
  state: State;
  userIds: { admin: string; alice: string; bob: string };
}

/**
 * Three independent generators so ids stay stable: the catalog (identical for `realistic` and `empty`), the
 * realistic workload, and the extra benchmark VMs (adding `vms` never shifts the other ids).
 */
export function seed(kind: 'realistic' | 'empty', extraVms: number, zoneCount = ZONES.length): Seeded {
  const rng = new Prng('cloudstack-sim/catalog');
  const s = new State(rng.uuid());
  const date = (hours: number) => csDate(BASE + hours * HOUR);

  const roleIds = { admin: rng.uuid(), user: rng.uuid() };
  const account = (internalId: number, name: string, admin: boolean): Account => {
    const a: Account = {
      id: rng.uuid(),
      internalId,
      name,
      type: admin ? 1 : 0,
      roleId: admin ? roleIds.admin : roleIds.user,
      roleName: admin ? 'Root Admin' : 'User',
      roleType: admin ? 'Admin' : 'User',
      created: date(internalId),
    };
    s.accounts.set(a.id, a);
    return a;
  };
  const admin = account(2, 'admin', true);
  const alice = account(3, 'alice', false);
  const bob = account(4, 'bob', false);
  const user = (a: Account, first: string, last: string, password: string, keys: boolean): User =>
    s.add('user', {
      id: rng.uuid(),
      username: a.name,
      password,
      firstname: first,
      lastname: last,
      email: `${a.name}@example.com`,
      accountId: a.id,
      ...(keys ? { apiKey: rng.key(), secretKey: rng.key() } : {}),
      state: 'enabled',
      timezone: 'UTC',
      created: a.created,
    });
  const adminUser = user(admin, 'admin', 'cloud', PASSWORDS.admin, true);
  const aliceUser = user(alice, 'Alice', 'Liddell', PASSWORDS.alice, true);
  const bobUser = user(bob, 'Bob', 'Builder', PASSWORDS.bob, false);

  const zones = ZONES.slice(0, zoneCount).map((z, i) =>
    s.add('zone', {
      id: rng.uuid(),
      name: z.name,
      description: z.description,
      dns1: '8.8.8.8',
      internaldns1: `10.${10 + i}.0.2`,
      guestcidraddress: '10.1.1.0/24',
      zonetoken: rng.uuid(),
      podId: rng.uuid(),
      podName: `${z.name}-pod-1`,
      clusterId: rng.uuid(),
      clusterName: `${z.name}-kvm-cluster-1`,
      physicalNetworkId: rng.uuid(),
      publicNetworkId: rng.uuid(),
      vlanId: rng.uuid(),
      publicPrefix: z.publicPrefix,
      nextPublicHost: 10,
    }),
  );
  zones.forEach((z, i) => {
    for (const n of [1, 2]) {
      s.add('host', {
        id: rng.uuid(),
        name: `kvm-${z.name.toLowerCase()}-0${n}`,
        zoneId: z.id,
        ipaddress: `10.${10 + i}.1.${10 + n}`,
        cpunumber: 48,
        cpuspeed: 2400,
        memorytotal: 512 * GB,
        created: date(i * 2 + n),
      });
    }
  });

  const categories = new Map<string, string>();
  const os = new Map<string, string>();
  for (const [description, category] of OS_TYPES) {
    if (!categories.has(category)) categories.set(category, rng.uuid());
    const id = rng.uuid();
    os.set(description, id);
    s.add('ostype', { id, categoryId: categories.get(category)!, categoryName: category, description });
  }

  const allZones = zones.map((z) => z.id);
  TEMPLATES.forEach((t, i) => {
    s.add('template', {
      id: rng.uuid(),
      name: t.name,
      displaytext: t.displaytext,
      osTypeId: os.get(t.os)!,
      accountId: t.owner === 'alice' ? alice.id : admin.id,
      ispublic: t.visibility !== 'private',
      isfeatured: t.visibility === 'featured',
      passwordenabled: t.password ?? false,
      format: 'QCOW2',
      templatetype: t.builtin ? 'BUILTIN' : 'USER',
      size: t.sizeGb * GB,
      created: date(10 + i * 24),
      zoneIds: t.zones ? [...new Set(t.zones.map((n) => zoneAt(zones, n).id))] : allZones,
    });
  });

  SERVICE_OFFERINGS.forEach((o, i) => {
    s.add('serviceoffering', { id: rng.uuid(), ...o, cpuspeed: 2000, created: date(5 + i) });
  });
  DISK_OFFERINGS.forEach((o, i) => {
    s.add('diskoffering', { id: rng.uuid(), ...o, iscustomized: o.disksize === 0, created: date(6 + i) });
  });
  const [isolatedOffering, sharedOffering] = NETWORK_OFFERINGS.map((o, i) =>
    s.add('networkoffering', { id: rng.uuid(), ...o, created: date(3 + i) }),
  );

  const implemented = kind === 'realistic';
  const networksByZone = zones.map((z, i) => {
    const isolated = (a: Account, cidr: string, netmask: string, vlan: number): Network =>
      s.add('network', {
        id: rng.uuid(),
        name: `${a.name}-net-${z.name.toLowerCase()}`,
        displaytext: `${a.name} isolated network in ${z.name}`,
        zoneId: z.id,
        offeringId: isolatedOffering!.id,
        type: 'Isolated',
        accountId: a.id,
        cidr,
        gateway: cidr.replace(/0\/\d+$/, '1'),
        netmask,
        vlan,
        networkdomain: `cs${a.internalId}cloud.internal`,
        state: implemented ? 'Implemented' : 'Allocated',
        created: date(30 + i),
        nextHost: 1,
      });
    return {
      // /16 so thousands of generated admin VMs still get distinct addresses
      admin: isolated(admin, `10.${1 + i}.0.0/16`, '255.255.0.0', 100 + i),
      alice: isolated(alice, `10.${101 + i}.1.0/24`, '255.255.255.0', 200 + i),
      shared: s.add('network', {
        id: rng.uuid(),
        name: `shared-${z.name.toLowerCase()}`,
        displaytext: `Shared guest network of ${z.name}`,
        zoneId: z.id,
        offeringId: sharedOffering!.id,
        type: 'Shared',
        cidr: `172.16.${i}.0/24`,
        gateway: `172.16.${i}.1`,
        netmask: '255.255.255.0',
        vlan: 500 + i,
        networkdomain: 'shared.cloud.internal',
        state: 'Implemented',
        created: date(33 + i),
        nextHost: 1,
      }),
    };
  });

  const world: World = { s, date, zones, networksByZone, admin, alice, adminUser, aliceUser };
  if (kind === 'realistic') seedWorkload(world);
  seedExtraVms(world, extraVms);
  return { state: s, userIds: { admin: adminUser.id, alice: aliceUser.id, bob: bobUser.id } };
}

/**
 * The seed data's zone `n` in a cloud of fewer zones (SimOptions.zones): what the data puts in a missing
 * zone lands in an existing one, so every seeded VM, volume and template still exists.
 */
function zoneAt<T>(perZone: readonly T[], n: number): T {
  return perZone[n % perZone.length]!;
}

interface World {
  s: State;
  date: (hours: number) => string;
  zones: Zone[];
  networksByZone: { admin: Network; alice: Network; shared: Network }[];
  admin: Account;
  alice: Account;
  adminUser: User;
  aliceUser: User;
}

function seedWorkload(w: World): void {
  const rng = new Prng('cloudstack-sim/realistic');
  const uuid = () => rng.uuid();
  const { s, date } = w;
  const byName = (name: string) => s.all('template').find((t) => t.name === name)!.id;
  const offering = (name: string) => s.all('serviceoffering').find((o) => o.name === name)!.id;
  const disk = (name: string) => s.all('diskoffering').find((o) => o.name === name)!;

  const vms = new Map<string, string>();
  VMS.forEach((v, i) => {
    const owner = v.owner === 'alice' ? w.alice : w.admin;
    const nets = zoneAt(w.networksByZone, v.zone);
    const vm = createVm(s, uuid, {
      name: v.name,
      displayname: v.name,
      accountId: owner.id,
      userId: v.owner === 'alice' ? w.aliceUser.id : w.adminUser.id,
      zoneId: zoneAt(w.zones, v.zone).id,
      templateId: byName(v.template),
      serviceOfferingId: offering(v.offering),
      networkIds: [v.shared ? nets.shared.id : v.owner === 'alice' ? nets.alice.id : nets.admin.id],
      state: v.state,
      created: date(24 * 40 + i * 30),
      ...(v.keypair ? { keypair: v.keypair } : {}),
    });
    vms.set(v.name, vm.id);
  });
  // A destroyed VM's root volume is marked for destruction along with it.
  for (const vol of s.all('volume')) {
    if (vol.vmId && s.get('vm', vol.vmId)!.state === 'Destroyed') vol.state = 'Destroy';
  }

  const volumes = new Map<string, string>();
  DATA_VOLUMES.forEach((d, i) => {
    const owner = d.owner === 'alice' ? w.alice : w.admin;
    const off = disk(d.offering);
    const vmId = d.vm ? vms.get(d.vm) : undefined;
    const created = date(24 * 45 + i * 7);
    const vol = s.add('volume', {
      id: uuid(),
      name: d.name,
      type: 'DATADISK',
      zoneId: zoneAt(w.zones, d.zone).id,
      accountId: owner.id,
      size: (d.sizeGb ?? off.disksize) * GB,
      diskOfferingId: off.id,
      ...(vmId ? { vmId, deviceId: 1, attached: created } : {}),
      state: vmId || d.ready ? 'Ready' : 'Allocated',
      created,
    });
    volumes.set(d.name, vol.id);
  });

  SNAPSHOTS.forEach((sn, i) => {
    const vol =
      s.get('volume', volumes.get(sn.volume) ?? '') ??
      s.all('volume').find((v) => v.type === 'ROOT' && v.vmId === vms.get(sn.volume))!;
    const vmName = vol.vmId ? s.get('vm', vol.vmId)!.name : vol.name;
    const created = BASE + (24 * 60 + i * 5) * HOUR;
    const stamp = new Date(created).toISOString().replace(/\D/g, '').slice(0, 14);
    s.add('snapshot', {
      id: uuid(),
      name: `${vmName}_${vol.name}_${stamp}`,
      volumeId: vol.id,
      volumeName: vol.name,
      volumeType: vol.type,
      accountId: vol.accountId,
      zoneId: vol.zoneId,
      state: 'BackedUp',
      created: csDate(created),
      size: vol.size,
    });
  });

  for (const [name, owner] of KEYPAIRS) {
    const fp = rng.bytes(16).toString('hex').match(/../g)!.join(':');
    s.sshKeyPairs.push({
      id: uuid(),
      name,
      accountId: (owner === 'alice' ? w.alice : w.admin).id,
      fingerprint: fp,
    });
  }

  w.networksByZone.forEach(({ admin, alice }, i) => {
    for (const net of [admin, alice]) {
      s.add('ipaddress', {
        id: uuid(),
        ipaddress: s.allocatePublicIp(w.zones[i]!),
        zoneId: net.zoneId,
        accountId: net.accountId!,
        networkId: net.id,
        issourcenat: true,
        state: 'Allocated',
        allocated: net.created,
      });
    }
  });
  const extraIp = (zone: number, owner: Account, network: Network, vm?: string) =>
    s.add('ipaddress', {
      id: uuid(),
      ipaddress: s.allocatePublicIp(w.zones[zone]!),
      zoneId: w.zones[zone]!.id,
      accountId: owner.id,
      networkId: network.id,
      issourcenat: false,
      ...(vm ? { vmId: vms.get(vm)! } : {}),
      state: 'Allocated',
      allocated: date(24 * 50 + zone),
    });
  extraIp(0, w.admin, w.networksByZone[0]!.admin, 'web-01');
  extraIp(0, w.alice, w.networksByZone[0]!.alice);

  seedProjects(w, uuid);
}

/**
 * Projects and their project accounts. The accounts and the project's VMs take ids from a generator of
 * their own, so the ids seeded before them stay what they were before projects owned anything.
 */
function seedProjects(w: World, uuid: () => string): void {
  const rng = new Prng('cloudstack-sim/projects');
  const { s, date } = w;
  const accounts = { admin: w.admin, alice: w.alice };
  const projects = PROJECTS.map((def, i) => {
    const account: Account = {
      id: rng.uuid(),
      internalId: 5 + i,
      name: `PrjAcct-${def.name}-${w.admin.internalId}`,
      type: 5,
      roleId: '',
      roleName: '',
      roleType: 'User',
      created: date(24 * (20 + i)),
    };
    s.accounts.set(account.id, account);
    return s.add('project', {
      id: uuid(),
      name: def.name,
      displaytext: def.displaytext,
      ownerAccountId: w.admin.id,
      memberAccountIds: def.members.map((m) => accounts[m].id),
      accountId: account.id,
      limits: def.limits,
      state: 'Active',
      created: account.created,
    });
  });
  const platform = projects[0]!;
  const byName = <K extends 'template' | 'serviceoffering'>(kind: K, name: string) =>
    s.all(kind).find((e) => e.name === name)!.id;
  PROJECT_VMS.forEach((v, i) => {
    createVm(s, () => rng.uuid(), {
      name: v.name,
      displayname: v.name,
      accountId: platform.accountId,
      userId: w.aliceUser.id,
      zoneId: w.zones[0]!.id,
      templateId: byName('template', v.template),
      serviceOfferingId: byName('serviceoffering', v.offering),
      networkIds: [w.networksByZone[0]!.shared.id],
      state: v.state,
      created: date(24 * 70 + i * 5),
    });
  });
}

function seedExtraVms(w: World, count: number): void {
  const rng = new Prng('cloudstack-sim/bench');
  const linux = w.s
    .all('template')
    .filter((t) => t.isfeatured && !t.passwordenabled && t.zoneIds.length === 3);
  const offerings = w.s.all('serviceoffering');
  const width = Math.max(4, String(count).length);
  for (let i = 1; i <= count; i++) {
    const zone = i % w.zones.length;
    const r = rng.next();
    const state: VmState = r < 0.7 ? 'Running' : r < 0.95 ? 'Stopped' : 'Error';
    const name = `vm-${String(i).padStart(width, '0')}`;
    createVm(w.s, () => rng.uuid(), {
      name,
      displayname: name,
      accountId: w.admin.id,
      userId: w.adminUser.id,
      zoneId: w.zones[zone]!.id,
      templateId: rng.pick(linux).id,
      serviceOfferingId: rng.pick(offerings).id,
      networkIds: [w.networksByZone[zone]!.admin.id],
      state,
      created: w.date(24 * 90 + i),
    });
  }
}
