import { randomUUID } from 'node:crypto';
import { type ApiError, internalError, invalidValue } from '../errors.js';
import { nextDeviceId } from '../provision.js';
import type { Vm, Volume } from '../state.js';
import { csDate } from '../time.js';
import { renderVolume } from '../views.js';
import { jobOn } from './async.js';
import {
  busyText,
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
const CMD = 'org.apache.cloudstack.api.command.user.volume';
const NOT_ATTACHED_ONLY = 'Please specify a volume that is not attached to any VM.';

function targetVolume(ctx: Ctx): Volume {
  const vol = found(ctx.p.ref('id', 'volume'), `Unable to find volume with ID: ${ctx.p.str('id')}`);
  ensureAccess(ctx, vol.accountId, vol.id);
  return vol;
}

function attach(ctx: Ctx, vol: Volume, vm: Vm, deviceId?: number): void {
  vol.vmId = vm.id;
  vol.deviceId = deviceId ?? nextDeviceId(ctx.state, vm.id);
  vol.attached = csDate(Date.now());
  vol.state = 'Ready';
}

/** VolumeApiServiceImpl.attachVolumeToVM checks, evaluated when the job runs. */
function attachFailure(vol: Volume, vm: Vm): ApiError | undefined {
  if (vol.jobId || vm.jobId) return internalError(busyText('volume', vol.id));
  if (vol.type === 'ROOT') return invalidValue('Please specify a volume with the valid type: DATADISK');
  if (vol.state === 'Destroy') return invalidValue('Please specify a volume that is not destroyed.');
  if (vol.vmId) return invalidValue(NOT_ATTACHED_ONLY);
  if (vm.state !== 'Running' && vm.state !== 'Stopped') {
    return invalidValue('Please specify a VM that is either running or stopped.');
  }
  if (vm.zoneId !== vol.zoneId)
    return invalidValue('Please specify a VM that is in the same zone as the volume.');
  return undefined;
}

export const volumeCommands: CommandDef[] = [
  {
    name: 'listVolumes',
    description: 'Lists all volumes.',
    isList: true,
    related: ['createVolume', 'attachVolume', 'detachVolume', 'deleteVolume'],
    params: listParams(
      [
        P.projectid(),
        P.id('volume', 'the ID of the disk volume'),
        P.name('the name of the disk volume'),
        P.zoneid('the ID of the availability zone'),
        {
          name: 'virtualmachineid',
          type: 'uuid',
          entity: 'vm',
          description: 'the ID of the virtual machine',
        },
        { name: 'type', type: 'string', description: 'the type of disk volume (ROOT or DATADISK)' },
      ],
      true,
    ),
    handle(ctx) {
      const { p, state, caller } = ctx;
      const id = p.ref('id', 'volume');
      const zone = p.ref('zoneid', 'zone');
      const vm = p.ref('virtualmachineid', 'vm');
      const type = p.str('type')?.toUpperCase();
      const volumes = state
        .all('volume')
        .filter(
          (v) =>
            visible(ctx, v.accountId) &&
            (caller.isAdmin || v.state !== 'Destroy') &&
            matches(id, v) &&
            refIs(zone, v.zoneId) &&
            (vm === undefined || refIs(vm, v.vmId)) &&
            (type === undefined || v.type === type) &&
            nameMatch(p, v.name) &&
            keywordMatch(p, v.name),
        );
      return listResult(ctx, volumes, 'volume', (v) => renderVolume(state, v));
    },
  },
  {
    name: 'createVolume',
    description:
      'Creates a disk volume from a disk offering. This disk volume must still be attached to a virtual machine to make use of it.',
    isAsync: true,
    related: ['attachVolume', 'listDiskOfferings'],
    params: [
      {
        name: 'diskofferingid',
        type: 'uuid',
        entity: 'diskoffering',
        description: 'the ID of the disk offering. Either diskOfferingId or snapshotId must be passed in.',
      },
      { name: 'name', type: 'string', description: 'the name of the disk volume' },
      {
        name: 'size',
        type: 'long',
        description: 'Arbitrary volume size in GB; required for custom disk offerings',
      },
      {
        name: 'snapshotid',
        type: 'uuid',
        entity: 'snapshot',
        description:
          'the snapshot ID for the disk volume. Either diskOfferingId or snapshotId must be passed in.',
      },
      { name: 'zoneid', type: 'uuid', entity: 'zone', description: 'the ID of the availability zone' },
      {
        name: 'virtualmachineid',
        type: 'uuid',
        entity: 'vm',
        description:
          'the ID of the virtual machine; to be used with snapshot Id, VM to which the volume gets attached after creation',
      },
    ],
    handle(ctx) {
      const { p, state, caller } = ctx;
      const snapRef = p.ref('snapshotid', 'snapshot');
      const snapshot = snapRef && found(snapRef, `Unable to find snapshot by id ${p.str('snapshotid')}`);
      if (snapshot) ensureAccess(ctx, snapshot.accountId, snapshot.id);
      const diskRef = p.ref('diskofferingid', 'diskoffering');
      const disk = diskRef && found(diskRef, `Unable to find disk offering by id ${p.str('diskofferingid')}`);
      if (!snapshot && !disk) {
        throw invalidValue(
          'At least one of disk Offering ID or snapshot ID must be passed whilst creating volume',
        );
      }
      const zoneRef = p.ref('zoneid', 'zone');
      const zoneId =
        snapshot?.zoneId ?? (zoneRef && found(zoneRef, `Unable to find zone by id=${p.str('zoneid')}`).id);
      if (!zoneId) throw invalidValue('Please specify a zone id to create the volume in');
      const size = p.int('size');
      if (disk?.iscustomized && !snapshot) {
        if (size === undefined) throw invalidValue('This disk offering requires a custom size specified');
        if (size < 1 || size > 1024) throw invalidValue('Disk size must be between 1 and 1024');
      }
      const vmRef = p.ref('virtualmachineid', 'vm');
      const vm = vmRef && found(vmRef, `Unable to find virtual machine with id ${p.str('virtualmachineid')}`);
      if (vm) ensureAccess(ctx, vm.accountId, vm.id);

      const id = randomUUID();
      const vol = state.add('volume', {
        id,
        name: p.str('name') ?? `vol-${id.slice(0, 8)}`,
        type: 'DATADISK',
        zoneId,
        accountId: caller.account.id,
        size: snapshot ? snapshot.size : (disk!.iscustomized ? size! : disk!.disksize) * GB,
        ...(disk ? { diskOfferingId: disk.id } : {}),
        state: 'Allocated',
        created: csDate(Date.now()),
      });
      return {
        id: vol.id,
        ...jobOn(ctx, vol, {
          cmd: `${CMD}.CreateVolumeCmd`,
          instanceType: 'Volume',
          finish: () => {
            // A volume built from a snapshot lands on primary storage; a blank one stays Allocated until attached.
            if (snapshot) vol.state = 'Ready';
            if (vm) {
              const failure = attachFailure(vol, vm);
              if (failure) throw failure;
              attach(ctx, vol, vm);
            }
            return { volume: renderVolume(state, vol) };
          },
        }),
      };
    },
  },
  {
    name: 'attachVolume',
    description: 'Attaches a disk volume to a virtual machine.',
    isAsync: true,
    related: ['detachVolume'],
    params: [
      P.id('volume', 'the ID of the disk volume', true),
      {
        name: 'deviceid',
        type: 'long',
        description: 'The ID of the device to map the volume to the guest OS.',
      },
      {
        name: 'virtualmachineid',
        type: 'uuid',
        entity: 'vm',
        required: true,
        description: 'the ID of the virtual machine',
      },
    ],
    handle(ctx) {
      const vol = targetVolume(ctx);
      const vm = found(
        ctx.p.ref('virtualmachineid', 'vm'),
        `Unable to find virtual machine with id ${ctx.p.str('virtualmachineid')}`,
      );
      ensureAccess(ctx, vm.accountId, vm.id);
      return jobOn(ctx, vol, {
        cmd: `${CMD}.AttachVolumeCmd`,
        instanceType: 'Volume',
        failure: attachFailure(vol, vm),
        finish: () => {
          attach(ctx, vol, vm, ctx.p.int('deviceid'));
          return { volume: renderVolume(ctx.state, vol) };
        },
      });
    },
  },
  {
    name: 'detachVolume',
    description: 'Detaches a disk volume from a virtual machine.',
    isAsync: true,
    related: ['attachVolume'],
    params: [P.id('volume', 'the ID of the disk volume', true)],
    handle(ctx) {
      const vol = targetVolume(ctx);
      const failure = vol.jobId
        ? internalError(busyText('volume', vol.id))
        : !vol.vmId
          ? invalidValue('The specified volume is not attached to a VM.')
          : vol.type === 'ROOT'
            ? invalidValue('Please specify a data volume.')
            : undefined;
      return jobOn(ctx, vol, {
        cmd: `${CMD}.DetachVolumeCmd`,
        instanceType: 'Volume',
        failure,
        finish: () => {
          vol.vmId = undefined;
          vol.deviceId = undefined;
          vol.attached = undefined;
          return { volume: renderVolume(ctx.state, vol) };
        },
      });
    },
  },
  {
    name: 'deleteVolume',
    description: 'Deletes a detached disk volume.',
    related: ['detachVolume'],
    params: [P.id('volume', 'The ID of the disk volume', true)],
    handle(ctx) {
      const vol = targetVolume(ctx);
      if (vol.jobId) throw internalError(busyText('volume', vol.id));
      // VolumeApiServiceImpl.deleteVolume raises InvalidParameterValueException (431) for attached volumes.
      if (vol.vmId) throw invalidValue(NOT_ATTACHED_ONLY);
      ctx.state.remove('volume', vol.id);
      return { success: 'true' };
    },
  },
];
