import { randomUUID } from 'node:crypto';
import { invalidValue } from '../errors.js';
import { generateVmPassword } from '../password.js';
import { createVm, pickHost } from '../provision.js';
import type { Network, Vm } from '../state.js';
import { csDate } from '../time.js';
import { renderVm } from '../views.js';
import { jobOn } from './async.js';
import {
  ensureAccess,
  found,
  keywordMatch,
  listParams,
  listResult,
  matches,
  nameMatch,
  P,
  refIs,
  visible,
} from './common.js';
import type { CommandDef, Ctx } from './types.js';

const GB = 1024 ** 3;
const HOSTNAME = /^[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/** Non-admins never see destroyed VMs in listings; admins do until they are expunged. */
function listable(ctx: Ctx, vm: Vm): boolean {
  const state = ctx.p.str('state')?.toLowerCase();
  const gone = vm.state === 'Destroyed' || vm.state === 'Expunging';
  if (gone && !ctx.caller.isAdmin) return false;
  if (state === undefined) return true;
  return state === 'present' ? !gone : vm.state.toLowerCase() === state;
}

export const vmCommands: CommandDef[] = [
  {
    name: 'listVirtualMachines',
    description:
      'List the virtual machines owned by the account. Admins see other accounts with listall=true.',
    isList: true,
    related: ['deployVirtualMachine', 'startVirtualMachine', 'stopVirtualMachine', 'destroyVirtualMachine'],
    params: listParams(
      [
        P.projectid(),
        P.id('vm', 'the ID of the virtual machine'),
        P.name('name of the virtual machine (a substring match is not done)'),
        {
          name: 'state',
          type: 'string',
          description:
            'state of the virtual machine. Possible values are: Running, Stopped, Present, Destroyed, Expunged.',
        },
        P.zoneid('the availability zone ID'),
        { name: 'templateid', type: 'uuid', entity: 'template', description: 'list vms by template' },
        {
          name: 'serviceofferingid',
          type: 'uuid',
          entity: 'serviceoffering',
          description: 'list by the service offering',
        },
        { name: 'networkid', type: 'uuid', entity: 'network', description: 'list by network id' },
        { name: 'details', type: 'string', description: 'comma separated list of vm details requested' },
      ],
      true,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'vm');
      const zone = p.ref('zoneid', 'zone');
      const template = p.ref('templateid', 'template');
      const offering = p.ref('serviceofferingid', 'serviceoffering');
      const network = p.ref('networkid', 'network');
      const vms = state
        .all('vm')
        .filter(
          (vm) =>
            visible(ctx, vm.accountId) &&
            listable(ctx, vm) &&
            matches(id, vm) &&
            refIs(zone, vm.zoneId) &&
            refIs(template, vm.templateId) &&
            refIs(offering, vm.serviceOfferingId) &&
            (network === undefined || vm.nics.some((n) => refIs(network, n.networkId))) &&
            nameMatch(p, vm.name) &&
            keywordMatch(p, vm.name, vm.displayname),
        );
      return listResult(ctx, vms, 'virtualmachine', (vm) => renderVm(state, vm));
    },
  },
  {
    name: 'deployVirtualMachine',
    description:
      'Creates and automatically starts a virtual machine based on a service offering, disk offering, and template.',
    isAsync: true,
    related: ['listVirtualMachines', 'queryAsyncJobResult'],
    params: [
      {
        name: 'zoneid',
        type: 'uuid',
        entity: 'zone',
        required: true,
        description: 'availability zone for the virtual machine',
      },
      {
        name: 'serviceofferingid',
        type: 'uuid',
        entity: 'serviceoffering',
        required: true,
        description: 'the ID of the service offering for the virtual machine',
      },
      {
        name: 'templateid',
        type: 'uuid',
        entity: 'template',
        required: true,
        description: 'the ID of the template for the virtual machine',
      },
      { name: 'name', type: 'string', description: 'host name for the virtual machine' },
      {
        name: 'displayname',
        type: 'string',
        description: 'an optional user generated name for the virtual machine',
      },
      {
        name: 'networkids',
        type: 'list',
        entity: 'network',
        description: 'list of network ids used by virtual machine',
      },
      {
        name: 'diskofferingid',
        type: 'uuid',
        entity: 'diskoffering',
        description: 'the ID of the disk offering for the virtual machine; creates a data disk',
      },
      {
        name: 'size',
        type: 'long',
        description: 'the arbitrary size for the DATADISK volume in GB; mandatory for custom disk offerings',
      },
      {
        name: 'keypair',
        type: 'string',
        description: 'name of the ssh key pair used to login to the virtual machine',
      },
      {
        name: 'startvm',
        type: 'boolean',
        description: 'true by default; false creates the VM without starting it',
      },
    ],
    handle(ctx) {
      const { p, state, caller } = ctx;
      const zone = found(p.ref('zoneid', 'zone'), `Unable to find zone by id=${p.str('zoneid')}`);
      const offering = found(
        p.ref('serviceofferingid', 'serviceoffering'),
        `Unable to find service offering: ${p.str('serviceofferingid')}`,
      );
      const template = found(
        p.ref('templateid', 'template'),
        `Unable to use template ${p.str('templateid')}`,
      );
      if (!template.ispublic) ensureAccess(ctx, template.accountId, template.id);
      if (!template.zoneIds.includes(zone.id)) {
        throw invalidValue(`The template ${template.id} is not available for use in zone ${zone.name}`);
      }
      const diskRef = p.ref('diskofferingid', 'diskoffering');
      const disk = diskRef && found(diskRef, `Unable to find disk offering ${p.str('diskofferingid')}`);
      const size = p.int('size');
      if (disk?.iscustomized) {
        if (size === undefined) throw invalidValue('This disk offering requires a custom size specified');
        if (size < 1 || size > 1024) throw invalidValue('Disk size must be between 1 and 1024');
      }
      const networks = chooseNetworks(ctx, zone.id);
      const keypair = p.str('keypair');
      if (
        keypair !== undefined &&
        !state.sshKeyPairs.some((k) => k.name === keypair && k.accountId === caller.account.id)
      ) {
        throw invalidValue(`A key pair with name '${keypair}' was not found.`);
      }
      const id = randomUUID();
      const name = p.str('name') ?? `VM-${id}`;
      if (!HOSTNAME.test(name)) {
        throw invalidValue(
          "Invalid name. Vm name can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'), must be between 1 and 63 characters long, and can't start or end with \"-\" and can't start with digit",
        );
      }
      for (const net of networks) {
        const clash = state
          .all('vm')
          .some(
            (vm) =>
              vm.name.toLowerCase() === name.toLowerCase() && vm.nics.some((n) => n.networkId === net.id),
          );
        if (clash) {
          throw invalidValue(
            `The vm with hostName ${name} already exists in the network domain: ${net.networkdomain}; network=${net.name}`,
          );
        }
      }

      const start = p.bool('startvm') ?? true;
      const created = csDate(Date.now());
      const uuids = [id];
      const vm = createVm(state, () => uuids.pop() ?? randomUUID(), {
        name,
        displayname: p.str('displayname') ?? name,
        accountId: caller.account.id,
        userId: caller.user.id,
        zoneId: zone.id,
        templateId: template.id,
        serviceOfferingId: offering.id,
        networkIds: networks.map((n) => n.id),
        state: start ? 'Starting' : 'Stopped',
        created,
        ...(keypair ? { keypair } : {}),
      });
      // Volumes are only created on primary storage when the VM first starts.
      const volumes = state.all('volume').filter((v) => v.vmId === vm.id);
      if (disk) {
        volumes.push(
          state.add('volume', {
            id: randomUUID(),
            name: `DATA-${vm.instanceName.split('-')[2]}`,
            type: 'DATADISK',
            zoneId: zone.id,
            accountId: caller.account.id,
            size: (disk.iscustomized ? size! : disk.disksize) * GB,
            diskOfferingId: disk.id,
            vmId: vm.id,
            deviceId: 1,
            state: 'Allocated',
            created,
            attached: created,
          }),
        );
      }
      for (const v of volumes) v.state = 'Allocated';

      return {
        id: vm.id,
        ...jobOn(ctx, vm, {
          cmd: 'org.apache.cloudstack.api.command.user.vm.DeployVMCmd',
          instanceType: 'VirtualMachine',
          finish: () => {
            if (start) {
              vm.state = 'Running';
              vm.hostId = pickHost(state, vm.zoneId, vm.name.length);
              for (const v of volumes) v.state = 'Ready';
            }
            // Only the deploy's own answer carries the password; listings never show it.
            const password = template.passwordenabled ? { password: generateVmPassword() } : {};
            return { virtualmachine: renderVm(state, vm, password) };
          },
        }),
      };
    },
  },
];

/** The requested networks, else the caller's isolated network in the zone, else the zone's shared network. */
function chooseNetworks(ctx: Ctx, zoneId: string): Network[] {
  const { p, state, caller } = ctx;
  const refs = p.refs('networkids', 'network');
  if (refs.length > 0) {
    return refs.map((ref, i) => {
      const net = found(ref, `Unable to find network by id ${p.str('networkids')!.split(',')[i]}`);
      if (net.accountId) ensureAccess(ctx, net.accountId, net.id);
      if (net.zoneId !== zoneId) throw invalidValue(`Network id=${net.id} doesn't belong to zone ${zoneId}`);
      return net;
    });
  }
  const all = state.all('network').filter((n) => n.zoneId === zoneId);
  const fallback =
    all.find((n) => n.type === 'Isolated' && n.accountId === caller.account.id) ??
    all.find((n) => n.type === 'Shared')!;
  return [fallback];
}
